"""Which files a run reads: the paths named, and in folders the prose files nothing excludes.

Conventions of ruff and ripgrep: a file named on the command line is taken as it is (unless
``force_exclude`` and an exclude pattern matches it); a folder is walked in name order, hidden
entries and symlinked folders skipped, regular files only. In a walk a file is taken when an
include pattern matches it (default: prose types, :data:`repair.settings.TEXT_TYPES`) and
neither an exclude pattern, a ``.ignore`` file, nor (inside a git work tree) a ``.gitignore``
file excludes it. Patterns use gitignore syntax (``pathspec``) and are read relative to the
folder named on the command line, or to the folder of the ignore file that holds them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

from .errors import InputError

STDIN = "-"
DEFAULT_EXCLUDE = ("node_modules/", "build/", "dist/", "site-packages/", "__pycache__/", "venv/", "*.egg-info/")
"""Folders a walk never enters unless an exclude list given by the user replaces these."""

_Spec = tuple[str, pathspec.PathSpec]  # (folder the patterns are relative to, patterns)


class Walked(str):
    """A file name found by walking a folder (not named by the user): a binary file there is
    passed over with a note, where a named one is an error."""

    __slots__ = ()


def _spec(lines: Sequence[str]) -> pathspec.PathSpec:
    return pathspec.GitIgnoreSpec.from_lines(lines)


@dataclass(frozen=True)
class Selection:
    """File selection rules (see the module docstring)."""

    include: Sequence[str] = ("*",)
    exclude: Sequence[str] = ()
    respect_gitignore: bool = True
    force_exclude: bool = False

    def excluded(self, name: str) -> bool:
        """Does an exclude pattern match ``name`` (a path named on the command line)?"""
        exclude = _spec(self.exclude)
        return bool(exclude.match_file(Path(name).name) or exclude.match_file(name))

    def paths(self, paths: Sequence[str]) -> Iterator[str | InputError]:
        """File names to process, ``-`` for stdin, an InputError for a missing path."""
        include = _spec(self.include)
        exclude = _spec(self.exclude)
        for raw in paths or [STDIN]:
            if raw == STDIN:
                yield STDIN
                continue
            path = Path(raw)
            if path.is_dir():
                yield from self._walk(raw, include, exclude)
            elif path.exists():
                if not (self.force_exclude and self.excluded(raw)):
                    yield raw
            else:
                yield InputError(f"{raw}: no such file or directory")

    def _walk(self, top: str, include: pathspec.PathSpec, exclude: pathspec.PathSpec) -> Iterator[str | InputError]:
        """Depth first, in name order, with its own stack (no depth of nesting is too deep)."""
        in_git = self.respect_gitignore and _in_git_tree(top)
        inherited = _ancestor_ignores(top) if in_git else []
        stack: list[tuple[str, list[_Spec]]] = [(top, inherited)]
        while stack:
            folder, specs = stack.pop()
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                yield InputError(f"{folder}: cannot read directory: {exc.strerror or exc}")
                continue
            names = {e.name for e in entries}
            specs = specs + [s for s in (_ignore_file(folder, n) for n in (".gitignore", ".ignore")
                                         if n in names and (n == ".ignore" or in_git)) if s is not None]
            subdirs = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                    if not is_dir and not entry.is_file():
                        continue  # a FIFO or a device would block or never end
                except OSError:
                    continue
                rel = os.path.relpath(entry.path, top).replace(os.sep, "/")
                shown = rel + "/" if is_dir else rel
                if exclude.match_file(shown) or _ignored(entry.path, is_dir, specs):
                    continue
                if is_dir:
                    subdirs.append(entry.path)
                elif include.match_file(rel):
                    yield Walked(entry.path)
            stack.extend((d, specs) for d in reversed(subdirs))


def _ignore_file(folder: str, name: str) -> _Spec | None:
    try:
        with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as fh:
            return folder, _spec(fh.read().splitlines())
    except OSError:
        return None


def _ignored(path: str, is_dir: bool, specs: list[_Spec]) -> bool:
    """Does an ignore file exclude ``path``? The deepest file that has a say decides (a later
    ``!pattern`` re-includes), as in git."""
    verdict = False
    for base, spec in specs:
        rel = os.path.relpath(path, base).replace(os.sep, "/")
        if rel.startswith("../"):
            continue
        result = spec.check_file(rel + "/" if is_dir else rel)
        if result.include is not None:
            verdict = result.include
    return verdict


def _in_git_tree(folder: str) -> bool:
    here = Path(folder).resolve()
    return any((p / ".git").exists() for p in (here, *here.parents))


def _ancestor_ignores(top: str) -> list[_Spec]:
    """The ``.gitignore`` files of the folders above ``top`` up to the work tree's root."""
    here = Path(top).resolve()
    chain = []
    for p in (here.parent, *here.parent.parents) if not (here / ".git").exists() else ():
        chain.append(p)
        if (p / ".git").exists():
            break
    out = []
    for p in reversed(chain):
        found = _ignore_file(str(p), ".gitignore")
        if found is not None:
            out.append((os.path.relpath(p) if p != Path.cwd() else ".", found[1]))
    return out
