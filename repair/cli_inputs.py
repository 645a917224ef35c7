"""The command line's inputs and runs: which files a run reads, the documents they hold, the
file-at-a-time runs (``--check``/``-w``: the one writer is :mod:`repair.batch`) and JSON Lines
runs, each reporting on stderr and ending in its exit code."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import typer

from .batch import fix_files
from .cli_options import EXIT_FOUND, EXIT_INPUT, EXIT_USAGE, fail, say, selection
from .errors import InputError, SkippedInput
from .files import STDIN, Document, read_documents
from .formatters import plural
from .progress import Progress
from .repairer import Repairer
from .selection import Walked
from .settings import Settings

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".jsonl.zst", ".ndjson.gz")


def inputs(paths: list[str] | None, s: Settings, errors: list[str], stdin_name: str | None) -> Iterator[str]:
    """The files this run reads, missing ones reported and counted in ``errors``."""
    chosen = selection(s)
    for item in chosen.paths(paths or []):
        if isinstance(item, InputError):
            errors.append(str(item))
            say(str(item))
        elif item == STDIN and stdin_name and s.force_exclude and chosen.excluded(stdin_name):
            continue  # ruff's convention: stdin named as an excluded file passes through unchanged
        else:
            yield item


def documents(names: Iterator[str], s: Settings, errors: list[str], decode_errors: str, stdin_name: str | None,
               quiet: bool) -> Iterator[Document]:
    """Readable documents; a binary file met in a folder walk is a note, other failures errors."""
    for name in names:
        try:
            for doc in read_documents(name, encoding=s.encoding, errors=decode_errors):
                yield replace(doc, name=stdin_name) if name == STDIN and stdin_name else doc
        except InputError as exc:
            if failed(name, str(exc), isinstance(exc, SkippedInput), quiet):
                errors.append(str(exc))


def failed(name: str, message: str, skipped: bool, quiet: bool) -> bool:
    """Report an input that could not be repaired; True when it counts as an error (exit 4): a
    file passed over on purpose (binary) in a folder walk is a note (shown unless ``quiet``)."""
    if skipped and isinstance(name, Walked):
        if not quiet:
            say(message)
        return False
    say(message)
    return True


def refuse_jsonl_named(names: list[str]) -> None:
    for name in names:
        if not isinstance(name, Walked) and name.lower().endswith(JSONL_SUFFIXES):
            raise fail(f"{name} looks like JSON Lines: add --jsonl to repair its text field", EXIT_USAGE)


def summary(files: int, changed: int, edits: int, errors: int, verb: str) -> None:
    extra = f", {plural(errors, 'error')}" if errors else ""
    say(f"{plural(files, 'file')}, {changed} {verb}, {plural(edits, 'edit')}{extra}")


def fix_files_report(r: Repairer, names: list[str], *, jobs: int, write: bool, check: bool, quiet: bool,
               errors_before: int, decode_errors: str, **options) -> None:
    """--check / -w over files, the one writer: workers read, repair and write (:mod:`repair.batch`);
    the parent only reports."""
    errors = errors_before
    changed = edits = files = 0
    progress = Progress(enabled=False if quiet else None)
    for outcome in fix_files(r, names, jobs=jobs, write=write, errors=decode_errors, **options):
        progress.update(outcome.chars)
        files += 1
        if outcome.error:
            errors += failed(outcome.name, outcome.error, outcome.skipped, quiet)
            continue
        changed += outcome.changed
        edits += outcome.edits
        if outcome.changed and not quiet:
            verb = "repaired" if outcome.written else "would repair"
            progress.clear()
            typer.echo(f"{verb} {outcome.name} ({plural(outcome.edits, 'edit')})", err=True)
    progress.close()
    if files > 1 and not quiet:
        summary(files, changed, edits, errors, "changed" if write else "would change")
    if errors:
        raise typer.Exit(EXIT_INPUT)
    if check and changed:
        raise typer.Exit(EXIT_FOUND)


def run_jsonl(r: Repairer, paths: list[str] | None, output: str | None, *, check: bool = False, quiet: bool = False,
           **options) -> None:
    """--jsonl: stream records from each input to the output (see :func:`repair.jsonl.run`)."""
    from .jsonl import run, summary  # only JSON Lines runs need them

    try:
        stats, missing = run(r, paths or ["-"], output, check=check, say=say, **options)
    except InputError as exc:
        raise fail(str(exc), EXIT_INPUT) from None
    for problem in stats.problems:
        say(problem)
    if not quiet:
        say(summary(stats, options["on_error"]))
    if missing:
        raise typer.Exit(EXIT_INPUT)
    if check and stats.changed:
        raise typer.Exit(EXIT_FOUND)


def text_of(doc: Document) -> str:
    return doc.text


def references(paths: list[str] | None):
    """The index of ``--reference`` originals, or None; exit 2 without datasketch."""
    if not paths:
        return None
    from .cli_learn import reference_index

    try:
        return reference_index(paths)
    except ImportError as exc:
        raise fail(str(exc), EXIT_USAGE) from None


def with_reference(r: Repairer, docs, index):
    """(document, result) with each document repaired from its original where the reference
    ``index`` holds the same article (:func:`repair.batch.repair_part`)."""
    from .batch import repair_part

    for doc in docs:
        yield doc, repair_part(r, doc.text, index)
