"""Settings shared by the commands: defaults, a configuration file, command-line flags.

The configuration file is found as ruff and typos find theirs: from the working directory
upward, the first folder holding ``.repair.toml`` (its top level) or a ``pyproject.toml`` with a
``[tool.repair]`` table (a ``pyproject.toml`` without one is passed over). Keys are the long
option names (``min-tier``, ``exclude``); paths in the file are relative to its folder. A flag
on the command line overrides the file, and the file overrides the defaults; ``repair config``
prints every setting with where it came from.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import ConfigError

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

CONFIG_NAMES = (".repair.toml", "pyproject.toml")
TEXT_TYPES = ("*.txt", "*.text", "*.md", "*.markdown", "*.rst", "*.html", "*.htm")
"""What a folder walk takes by default: prose files. JSON Lines, data and code are left out
(``--include`` adds patterns; a file named on the command line is always taken)."""

DEFAULT = "default"
COMMAND_LINE = "command line"


@dataclass(frozen=True)
class Settings:
    """Every setting a command reads, with the source each value came from."""

    lexicons: tuple[str, ...] = ()
    bundled: bool = True
    threshold: float = 0.5
    min_tier: str = "context"
    min_confidence: float = 0.5
    assume_spun: bool = False
    lm_gate: bool = False
    include: tuple[str, ...] = TEXT_TYPES
    extend_include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    force_exclude: bool = False
    ignore_file: str = ".repair-ignore"
    encoding: str = "utf-8"
    config_file: str | None = None
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    def source(self, name: str) -> str:
        return self.sources.get(name, DEFAULT)

    def shown(self) -> list[tuple[str, object, str]]:
        """(key as written in a config file, value, source) for each setting."""
        out = []
        for f in fields(self):
            if f.name in ("sources", "config_file"):
                continue
            value = getattr(self, f.name)
            out.append((f.name.replace("_", "-"), list(value) if isinstance(value, tuple) else value,
                        self.source(f.name)))
        return out

    def with_flags(self, **flags: object) -> Settings:
        """These settings with the flags given on the command line (None: not given)."""
        given = {k: _coerce(k, v, COMMAND_LINE) for k, v in flags.items() if v is not None}
        if not given:
            return self
        sources = dict(self.sources)
        sources.update({k: COMMAND_LINE for k in given})
        return replace(self, sources=sources, **given)


_KINDS = {f.name: f.type for f in fields(Settings)}
_KEYS = sorted(n.replace("_", "-") for n in _KINDS if n not in ("sources", "config_file"))


def _coerce(name: str, value: object, where: str) -> object:
    """``value`` checked against the setting's type: a clear message names the file and key."""
    kind = _KINDS[name]
    key = name.replace("_", "-")
    if "tuple" in kind:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be a list of strings")
        return tuple(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: {key} must be true or false")
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
            raise ConfigError(f"{where}: {key} must be a number from 0 to 1")
        return float(value)
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {key} must be a string")
    if name == "min_tier" and value not in ("certain", "likely", "context"):
        raise ConfigError(f"{where}: min-tier must be certain, likely or context, got {value!r}")
    return value


def find_config(start: Path | None = None) -> Path | None:
    """The configuration file that applies in ``start`` (default: the working directory)."""
    folder = (start or Path.cwd()).resolve()
    for here in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            path = here / name
            if not path.is_file():
                continue
            if name == "pyproject.toml" and "repair" not in _read(path).get("tool", {}):
                continue
            return path
    return None


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def load(config: Path | None = None, *, isolated: bool = False) -> Settings:
    """Defaults, then the configuration file (``config``, else the one found upward; none when
    ``isolated``)."""
    if isolated:
        return Settings()
    path = config if config is not None else find_config()
    if path is None:
        return _found_ignore(Settings())
    data = _read(path)
    table = data.get("tool", {}).get("repair", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.repair] must be a table")
    base = path.parent
    values: dict[str, object] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in _KINDS or name in ("sources", "config_file"):
            raise ConfigError(f"{path}: unknown key {key!r} (known: {', '.join(_KEYS)})")
        value = _coerce(name, value, str(path))
        if name == "lexicons":
            value = tuple(_relative(base, v) for v in value)  # type: ignore[union-attr]
        elif name == "ignore_file":
            value = _relative(base, value)  # type: ignore[arg-type]
        values[name] = value
    sources = {name: str(path) for name in values}
    found = Settings(config_file=str(path), sources=sources, **values)  # type: ignore[arg-type]
    return found if "ignore_file" in values else _found_ignore(found)


def _found_ignore(s: Settings) -> Settings:
    """With no ignore file configured, the nearest ``.repair-ignore`` from the working directory
    upward (rejections made at a project's root apply in its subfolders), else the one here."""
    here = Path.cwd()
    for folder in (here, *here.parents):
        candidate = folder / s.ignore_file
        if candidate.is_file():
            if folder == here:
                return s
            return replace(s, ignore_file=os.path.relpath(candidate),
                           sources={**s.sources, "ignore_file": "found upward"})
    return s


def _relative(base: Path, value: str) -> str:
    """A path from a config file, made relative to the working directory when it can be."""
    full = base / os.path.expanduser(value)
    try:
        return os.path.relpath(full)
    except ValueError:  # another drive (Windows)
        return str(full)
