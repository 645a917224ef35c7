"""The command line's shared pieces: exit codes, option declarations, settings and messages.

Every option that maps onto a setting defaults to None ("not given"), so that a configuration
file's value applies unless the flag is given (see :mod:`repair.settings`).
"""

from __future__ import annotations

import codecs
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from . import settings as settings_mod
from .ignore import IgnoreList
from .config import Config
from .errors import ConfigError, LexiconError, RepairError
from .lexicon import load_entries
from .lm import available as lm_available
from .repairer import Repairer
from .selection import DEFAULT_EXCLUDE, Selection
from .settings import Settings

EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_DATA, EXIT_INPUT = 0, 1, 2, 3, 4


class Tier(str, Enum):
    certain = "certain"
    likely = "likely"
    context = "context"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class FixFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    github = "github"
    sarif = "sarif"


class ScanFormat(str, Enum):
    text = "text"
    json = "json"


class DecodeErrors(str, Enum):
    strict = "strict"
    replace = "replace"


class OnError(str, Enum):
    fail = "fail"
    skip = "skip"
    keep = "keep"


def say(message: str) -> None:
    """A note or problem on stderr, prefixed like every message of the tool."""
    typer.echo(f"repair: {message}", err=True)


def fail(message: str, code: int) -> typer.Exit:
    say(message)
    return typer.Exit(code)


def use_color(choice: Color | None) -> bool:
    if choice is Color.always:
        return True
    if choice is Color.never:
        return False
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def check_encoding(encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise fail(f"unknown encoding {encoding!r}", EXIT_USAGE) from None


# -- option declarations, once ---------------------------------------------------------------

Paths = Annotated[
    list[str] | None,
    typer.Argument(help="Files or directories (walked for prose files); '-' or nothing reads stdin.", show_default=False),
]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Read settings from this TOML file (default: .repair.toml or [tool.repair] in pyproject.toml, found upward).")]
IsolatedOpt = Annotated[bool, typer.Option("--isolated", help="Ignore every configuration file.")]
LexiconOpt = Annotated[list[Path] | None, typer.Option("--lexicon", "-l", help="Extra lexicon file (repeatable); overrides bundled entries.")]
NoBundledOpt = Annotated[bool | None, typer.Option("--no-bundled/--bundled", help="Use only the --lexicon files.", show_default=False)]
ThresholdOpt = Annotated[float | None, typer.Option("--threshold", min=0.0, max=1.0, help="Spin score from which a document counts as spun [default: 0.5].", show_default=False)]
MinTierOpt = Annotated[Tier | None, typer.Option("--min-tier", help="Weakest tier that may be applied [default: context].", show_default=False)]
MinConfOpt = Annotated[float | None, typer.Option("--min-confidence", min=0.0, max=1.0, help="Entries below this are only suggested [default: 0.5].", show_default=False)]
AssumeSpunOpt = Annotated[bool | None, typer.Option("--assume-spun/--detect", help="Skip detection; treat every document as spun.", show_default=False)]
LmGateOpt = Annotated[bool | None, typer.Option("--lm-gate/--no-lm-gate", help="Apply likely/context edits only where a trigram model prefers them (pip install 'repair[lm]').", show_default=False)]
EncodingOpt = Annotated[str | None, typer.Option("--encoding", help="Encoding of the input files (and of rewritten files) [default: utf-8].", show_default=False)]
ErrorsOpt = Annotated[DecodeErrors, typer.Option("--errors", help="strict: skip undecodable files with a message; replace: U+FFFD for bad bytes (lossy).")]
IncludeOpt = Annotated[list[str] | None, typer.Option("--include", help="Walk only files matching these gitignore-style globs (repeatable; replaces the default prose types).")]
ExtendIncludeOpt = Annotated[list[str] | None, typer.Option("--extend-include", help="Also walk files matching these globs (repeatable).")]
ExcludeOpt = Annotated[list[str] | None, typer.Option("--exclude", help="Skip paths matching these globs (repeatable; added to node_modules/, build/, ...).")]
NoIgnoreOpt = Annotated[bool | None, typer.Option("--no-gitignore/--gitignore", help="Also walk files that .gitignore excludes (.ignore still applies).", show_default=False)]
ForceExcludeOpt = Annotated[bool | None, typer.Option("--force-exclude", help="Apply --exclude to files named on the command line too.", show_default=False)]
IgnoreFileOpt = Annotated[Path | None, typer.Option("--ignore-file", help="Rejected corrections (from review) to leave alone [default: .repair-ignore, found upward].", show_default=False)]


def _jobs(value: int) -> int:
    """``--jobs 0``: one worker per CPU this process may run on."""
    if value:
        return value
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


JobsOpt = Annotated[int, typer.Option("--jobs", "-j", min=0, callback=_jobs,
                                      help="Worker processes (0: one per CPU); output order is kept.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress, per-file notes or summary; errors are still shown.")]
FieldOpt = Annotated[str | None, typer.Option("--field", help="With --jsonl: the text field [default: text].", show_default=False)]
OnErrorOpt = Annotated[OnError | None, typer.Option("--on-error", help="With --jsonl: fail, skip or keep malformed lines (counted on stderr) [default: fail].", show_default=False)]
OutputOpt = Annotated[str | None, typer.Option("--output", "-o", help="With --jsonl: write here (.gz/.zst compressed) instead of stdout.")]
StdinNameOpt = Annotated[str | None, typer.Option("--stdin-filename", help="The name stdin goes by in reports (and for --force-exclude).")]


def resolve(config: Path | None, isolated: bool, **flags: object) -> Settings:
    """The settings of this run: defaults, then the configuration file, then the flags."""
    try:
        found = settings_mod.load(config, isolated=isolated)
        if "lexicons" in flags and flags["lexicons"] is not None:
            flags["lexicons"] = tuple(str(p) for p in flags["lexicons"])  # type: ignore[union-attr]
        for key in ("ignore_file",):
            if flags.get(key) is not None:
                flags[key] = str(flags[key])
        for key in ("min_tier", "on_error"):
            if isinstance(flags.get(key), Enum):
                flags[key] = flags[key].value  # type: ignore[union-attr]
        return found.with_flags(**flags)
    except ConfigError as exc:
        raise fail(str(exc), EXIT_DATA) from None


def selection(s: Settings) -> Selection:
    """The file selection of these settings."""
    exclude = (*DEFAULT_EXCLUDE, *s.exclude)
    return Selection(include=(*s.include, *s.extend_include), exclude=exclude,
                     respect_gitignore=s.respect_gitignore, force_exclude=s.force_exclude)


def repairer(s: Settings) -> Repairer:
    """The repairer these settings describe, or exit 3 with every lexicon problem."""
    try:
        config = Config(threshold=s.threshold, min_tier=s.min_tier, min_confidence=s.min_confidence,
                        assume_spun=s.assume_spun, language_model=s.lm_gate)
        if s.lm_gate and not lm_available():
            raise ConfigError("--lm-gate needs the trigram model: pip install 'repair[lm]' (pocketsphinx)")
        entries = load_entries([Path(p) for p in s.lexicons], bundled=s.bundled)
    except ConfigError as exc:
        raise fail(str(exc), EXIT_DATA) from None
    except LexiconError as exc:
        for problem in exc.problems:
            typer.echo(problem, err=True)
        raise fail(f"{len(exc.problems)} lexicon error(s); fix the lines above", EXIT_DATA) from None
    return Repairer(entries, config, fuzzy_names=s.bundled)


def conflicts(**given: bool) -> None:
    """Exit 2 naming the first pair of flags that cannot go together (ruff and black reject
    what they cannot honour rather than pick one silently)."""
    pairs = [("--check", "--write"), ("--diff", "--word-diff"), ("--diff", "--format"), ("--word-diff", "--format"),
             ("--write", "--diff"), ("--write", "--word-diff"), ("--write", "--format"), ("--jsonl", "--write"),
             ("--jsonl", "--diff"), ("--jsonl", "--word-diff"), ("--jsonl", "--format"),
             ("--reference", "--jsonl")]
    for a, b in pairs:
        if given.get(a) and given.get(b):
            raise fail(f"{a} and {b} cannot be used together", EXIT_USAGE)
    for flag in ("--output", "--field", "--add-score", "--add-edits", "--on-error"):
        if given.get(flag) and not given.get("--jsonl"):
            raise fail(f"{flag} needs --jsonl" + (" (use -w to rewrite text files)" if flag == "--output" else ""), EXIT_USAGE)


def settings_of(config, isolated, lexicon, no_bundled, threshold, min_tier, min_confidence, assume_spun,
              encoding, include=None, extend_include=None, exclude=None, no_gitignore=None,
              force_exclude=None, ignore_file=None, lm_gate=None) -> Settings:
    """Resolve the shared options (each None when not given) against the configuration file."""
    s = resolve(config, isolated, lexicons=lexicon, bundled=None if no_bundled is None else not no_bundled,
                threshold=threshold, min_tier=min_tier, min_confidence=min_confidence, assume_spun=assume_spun,
                encoding=encoding, include=include, extend_include=extend_include, exclude=exclude,
                respect_gitignore=None if no_gitignore is None else not no_gitignore,
                force_exclude=force_exclude, ignore_file=ignore_file, lm_gate=lm_gate)
    check_encoding(s.encoding)
    return s


def ignore_list(s: Settings) -> IgnoreList:
    try:
        return IgnoreList.load(Path(s.ignore_file))
    except RepairError as exc:
        raise fail(str(exc), EXIT_DATA) from None
