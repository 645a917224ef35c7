"""``repair lexicon``: list, look up, validate and format lexicon files."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .cli_options import EXIT_DATA, EXIT_FOUND, EXIT_INPUT, LexiconOpt, ThresholdOpt, fail
from .config import Config
from .errors import LexiconError
from .files import atomic_write
from .formatters import out
from .lexicon import PROTECT, REGISTRY, TIERS, Entry, describe_provenance, bundled_dir, format_lexicon, load_entries, read_lexicon_file
from .render import line_col
from .repairer import Repairer

lexicon_app = typer.Typer(help="List, look up, validate and format lexicon files.", no_args_is_help=True,
                          context_settings={"help_option_names": ["-h", "--help"]})


def _entries(lexicons: list[Path] | None) -> list[Entry]:
    """Bundled entries plus ``lexicons``, or exit 3 with every problem as FILE:LINE: message."""
    try:
        return load_entries(lexicons or [])
    except LexiconError as exc:
        for problem in exc.problems:
            typer.echo(problem, err=True)
        raise fail(f"{len(exc.problems)} lexicon error(s); fix the lines above", EXIT_DATA) from None


Category = Enum("Category", {c: c for c in sorted({spec.category for spec in REGISTRY} | {"user"})}, type=str)
AnyTier = Enum("AnyTier", {t: t for t in (*TIERS, PROTECT)}, type=str)


@lexicon_app.command("list")
def lexicon_list(
    category: Annotated[Category | None, typer.Option(help="Only this category.")] = None,
    tier: Annotated[AnyTier | None, typer.Option(help="Only this tier.")] = None,
    lexicon: LexiconOpt = None,
) -> None:
    """List lexicon entries as tab-separated rows with their origin."""
    for e in _entries(lexicon):
        if (category is None or e.category == category.value) and (tier is None or e.tier == tier.value):
            out(f"{e.row()}\t{e.origin}\n")


@lexicon_app.command("files")
def lexicon_files() -> None:
    """Describe the bundled lexicon files (the registry)."""
    for spec in REGISTRY:
        out(f"{spec.filename}\t{spec.kind}\t{spec.category}\t{spec.description}\n")


@lexicon_app.command("lookup")
def lexicon_lookup(
    phrase: Annotated[str, typer.Argument(help="A spun phrase, e.g. 'White Home'.")],
    text: Annotated[str | None, typer.Option("--text", "-t", help="Explain what happens to PHRASE in this text.")] = None,
    lexicon: LexiconOpt = None,
    threshold: ThresholdOpt = None,
    assume_spun: Annotated[bool, typer.Option("--assume-spun", help="Skip detection; treat the text as spun.")] = False,
) -> None:
    """Why would this phrase change? Shows matching entries and, with --text, the decision."""
    entries = _entries(lexicon)
    found = [e for e in entries if e.spun.casefold() == phrase.casefold()]
    if not found:
        out(f"{phrase!r}: no lexicon entry; it is never changed\n")
        raise typer.Exit(EXIT_FOUND)
    for e in found:
        ctx = f" when {e.context.source}" if e.context else ""
        out(f"{e.spun!r} -> {'|'.join(e.canonicals)!r}: {e.tier}, confidence {e.confidence:.2f}, "
             f"{e.category}, {describe_provenance(e.provenance)}{ctx} ({e.origin})\n")
    if text is not None:
        repairer = Repairer(entries, Config(threshold=0.5 if threshold is None else threshold, assume_spun=assume_spun))
        result = repairer.repair(text)
        out(f"in the given text: spin score {result.scan.spin_score:.2f} "
             f"({'spun' if result.scan.spun else 'not spun'})\n")
        for offset, why in repairer.explain_phrase(text, phrase):
            if offset < 0:
                out(why + "\n")
            else:
                line, col = line_col(text, offset)
                out(f"text:{line}:{col}: {why}\n")


@lexicon_app.command("validate")
def lexicon_validate(
    files: Annotated[list[Path] | None, typer.Argument(help="Lexicon files; default: the bundled ones.")] = None,
) -> None:
    """Check lexicon files and report every problem as FILE:LINE: message."""
    try:
        if files:
            count = sum(len(read_lexicon_file(f)) for f in files)
        else:
            count = len(load_entries())
    except LexiconError as exc:
        for problem in exc.problems:
            typer.echo(problem, err=True)
        raise fail(f"{len(exc.problems)} lexicon error(s)", EXIT_DATA) from None
    typer.echo(f"ok: {count} entries", err=True)


@lexicon_app.command("fmt")
def lexicon_fmt(
    files: Annotated[list[Path] | None, typer.Argument(help="Lexicon files; default: the bundled ones.")] = None,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 if a file is not formatted; write nothing.")] = False,
) -> None:
    """Sort and normalise lexicon files (header comments kept, entries sorted)."""
    targets = list(files) if files else [bundled_dir() / spec.filename for spec in REGISTRY
                                         if spec.kind == "entries"]
    unformatted = 0
    tables = {spec.filename: spec.kind for spec in REGISTRY if spec.kind != "entries"}
    for path in targets:
        if path.name in tables:
            typer.echo(f"skipped {path}: a {tables[path.name]} table, not an entry lexicon", err=True)
            continue
        try:
            text = path.read_text(encoding="utf-8")
            formatted = format_lexicon(text, name=str(path))
        except OSError as exc:
            raise fail(f"{path}: cannot read: {exc.strerror or exc}", EXIT_INPUT) from None
        except LexiconError as exc:
            raise fail(str(exc), EXIT_DATA) from None
        if formatted != text:
            unformatted += 1
            if check:
                typer.echo(f"would reformat {path}", err=True)
            else:
                atomic_write(path, formatted)
                typer.echo(f"reformatted {path}", err=True)
    if check and unformatted:
        raise typer.Exit(EXIT_FOUND)
