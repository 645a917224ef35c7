"""The ``repair`` command line: a thin typer layer over the library.

Exit codes: 0 nothing to fix, 1 fixes found under ``--check`` (``scan --check``: a spun
document), 2 usage error (conflicting flags included), 3 bad lexicon or configuration, 4 some
input could not be read (the other inputs were still processed).
"""

from __future__ import annotations

import codecs
import signal
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .batch import fix_files, writable
from .cli_lexicon import lexicon_app
from .cli_options import (
    EXIT_DATA, EXIT_FOUND, EXIT_INPUT, EXIT_USAGE, AssumeSpunOpt, Color, ConfigOpt, DecodeErrors, ErrorsOpt,
    EncodingOpt, ExcludeOpt, ExtendIncludeOpt, FieldOpt, FixFormat, ForceExcludeOpt, IgnoreFileOpt, IncludeOpt,
    IsolatedOpt, JobsOpt, LexiconOpt, MinConfOpt, MinTierOpt, NoBundledOpt, NoIgnoreOpt, OnErrorOpt, OutputOpt,
    Paths, QuietOpt, ScanFormat, StdinNameOpt, ThresholdOpt, check_encoding, fail, repairer, resolve, say,
    selection, use_color,
)
from .errors import InputError, RepairError, SkippedInput
from .files import STDIN, Document, atomic_write, is_unicode, read_documents
from .formatters import FORMATS, Check, Diff, Formatter, WordDiff, out, plural
from .ignore import IgnoreList
from .parallel import run_ordered
from .progress import Progress
from .render import dumps, line_col, scan_record
from .repairer import Repairer
from .selection import Walked
from .settings import Settings

app = typer.Typer(
    name="repair",
    help="Find and undo synonym-spun text. Every edit names its lexicon entry and reason.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(lexicon_app, name="lexicon")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".jsonl.zst", ".ndjson.gz")


def _conflicts(**given: bool) -> None:
    """Exit 2 naming the first pair of flags that cannot go together (ruff and black reject
    what they cannot honour rather than pick one silently)."""
    pairs = [("--check", "--write"), ("--diff", "--word-diff"), ("--diff", "--format"), ("--word-diff", "--format"),
             ("--write", "--diff"), ("--write", "--word-diff"), ("--write", "--format"), ("--jsonl", "--write"),
             ("--jsonl", "--diff"), ("--jsonl", "--word-diff"), ("--jsonl", "--format")]
    for a, b in pairs:
        if given.get(a) and given.get(b):
            raise fail(f"{a} and {b} cannot be used together", EXIT_USAGE)
    for flag in ("--output", "--field", "--add-score", "--add-edits", "--on-error"):
        if given.get(flag) and not given.get("--jsonl"):
            raise fail(f"{flag} needs --jsonl" + (" (use -w to rewrite text files)" if flag == "--output" else ""), EXIT_USAGE)


def _inputs(paths: list[str] | None, s: Settings, errors: list[str], stdin_name: str | None) -> Iterator[str]:
    """The files this run reads, missing ones reported and counted in ``errors``."""
    for item in selection(s).paths(paths or []):
        if isinstance(item, InputError):
            errors.append(str(item))
            say(str(item))
        elif item == STDIN and stdin_name and s.force_exclude and selection(s).excluded(stdin_name):
            continue  # ruff's convention: stdin named as an excluded file passes through unchanged
        else:
            yield item


def _documents(names: Iterator[str], s: Settings, errors: list[str], decode_errors: str, stdin_name: str | None,
               quiet: bool) -> Iterator[Document]:
    """Readable documents; a binary file met in a folder walk is a note, other failures errors."""
    for name in names:
        try:
            for doc in read_documents(name, encoding=s.encoding, errors=decode_errors):
                yield replace(doc, name=stdin_name) if name == STDIN and stdin_name else doc
        except SkippedInput as exc:
            if not isinstance(name, Walked):
                errors.append(str(exc))
                say(str(exc))
            elif not quiet:
                say(str(exc))
        except InputError as exc:
            errors.append(str(exc))
            say(str(exc))


def _jsonl_named(names: list[str]) -> None:
    for name in names:
        if not isinstance(name, Walked) and name.lower().endswith(JSONL_SUFFIXES):
            raise fail(f"{name} looks like JSON Lines: add --jsonl to repair its text field", EXIT_USAGE)


def _summary(files: int, changed: int, edits: int, errors: int, verb: str) -> None:
    extra = f", {plural(errors, 'error')}" if errors else ""
    say(f"{plural(files, 'file')}, {changed} {verb}, {plural(edits, 'edit')}{extra}")


@app.command()
def fix(
    paths: Paths = None,
    write: Annotated[bool, typer.Option("--write", "-w", help="Rewrite files in place (atomically).")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff and the edits instead of the text.")] = False,
    word_diff_: Annotated[bool, typer.Option("--word-diff", help="Print the changed lines with each edit marked in place.")] = False,
    color: Annotated[Color, typer.Option("--color", help="Colour the diffs: auto (a terminal, unless NO_COLOR), always, never.")] = None,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when anything would change; write nothing.")] = False,
    fmt: Annotated[FixFormat, typer.Option("--format", help="text: repaired text; json/jsonl: the edits; github: Actions annotations; sarif: a SARIF 2.1.0 log.")] = FixFormat.text,
    ignore_file: IgnoreFileOpt = None,
    lexicon: LexiconOpt = None,
    no_bundled: NoBundledOpt = None,
    threshold: ThresholdOpt = None,
    min_tier: MinTierOpt = None,
    min_confidence: MinConfOpt = None,
    assume_spun: AssumeSpunOpt = None,
    jobs: JobsOpt = 1,
    encoding: EncodingOpt = None,
    decode_errors: ErrorsOpt = DecodeErrors.strict,
    include: IncludeOpt = None,
    extend_include: ExtendIncludeOpt = None,
    exclude: ExcludeOpt = None,
    no_gitignore: NoIgnoreOpt = None,
    force_exclude: ForceExcludeOpt = None,
    stdin_filename: StdinNameOpt = None,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Inputs are JSON Lines; repair one field per record.")] = False,
    text_field: FieldOpt = None,
    add_score: Annotated[str | None, typer.Option("--add-score", help="With --jsonl: add the spin score under this key.")] = None,
    add_edits: Annotated[str | None, typer.Option("--add-edits", help="With --jsonl: add the edits under this key.")] = None,
    on_error: OnErrorOpt = None,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
) -> None:
    """Repair spun text: print it, rewrite files (-w), show a diff (--diff) or check (--check)."""
    _conflicts(**{"--check": check, "--write": write, "--diff": diff, "--word-diff": word_diff_,
                  "--format": fmt is not FixFormat.text, "--jsonl": jsonl, "--output": output is not None,
                  "--field": text_field is not None, "--add-score": add_score is not None,
                  "--add-edits": add_edits is not None, "--on-error": on_error is not None})
    if write and STDIN in (paths or [STDIN]):
        raise fail("--write needs file paths, not stdin", EXIT_USAGE)
    s = _settings(config, isolated, lexicon, no_bundled, threshold, min_tier, min_confidence, assume_spun,
                  encoding, include, extend_include, exclude, no_gitignore, force_exclude, ignore_file)
    r = repairer(s)
    if jsonl:
        _jsonl(r, paths, output, check=check, quiet=quiet, jobs=jobs, text_field=text_field or "text",
               score_key=add_score, edits_key=add_edits, on_error=(on_error.value if on_error else "fail"))
        return
    errors: list[str] = []
    names = list(_inputs(paths, s, errors, stdin_filename))
    _jsonl_named(names)
    ignore = _ignore(s)
    files_only = bool(names) and STDIN not in names
    if files_only and (write or (check and not (diff or word_diff_) and fmt is FixFormat.text)):
        _fix_files(r, names, jobs=jobs, write=write, check=check, quiet=quiet, errors_before=len(errors),
                   encoding=s.encoding, decode_errors=decode_errors.value, ignore=ignore)
        return
    docs = _documents(iter(names), s, errors, decode_errors.value, stdin_filename, quiet)
    progress = Progress(enabled=False if quiet else None)
    if fmt is FixFormat.text and not (diff or word_diff_ or check or ignore.rules) and is_unicode(codecs.lookup(s.encoding).name):
        for doc, text in run_ordered(r, docs, _text, jobs=jobs, text_only=True):  # the text is all it prints
            progress.update(len(doc.text))
            out(text, doc.encoding)
        progress.close()
        if errors:
            raise typer.Exit(EXIT_INPUT)
        return
    shown: Formatter
    if diff:
        shown = Diff(use_color(color))
    elif word_diff_:
        shown = WordDiff(use_color(color))
    elif check and fmt is FixFormat.text:
        shown = Check(say if not quiet else (lambda _m: None))
    else:
        shown = FORMATS[fmt.value]()
    changed: set[str] = set()
    seen: set[str] = set()
    edits = 0
    for doc, result in run_ordered(r, docs, _text, jobs=jobs):
        progress.update(len(doc.text))
        result = writable(doc, result, ignore)
        seen.add(doc.name)
        edits += len(result.edits)
        if result.changed:
            changed.add(doc.name)
        shown.document(doc, result)
    progress.close()
    shown.close()
    if len(seen) > 1 and not quiet:
        _summary(len(seen), len(changed), edits, len(errors), "would change" if check else "to change")
    if errors:
        raise typer.Exit(EXIT_INPUT)
    if check and changed:
        raise typer.Exit(EXIT_FOUND)


def _text(doc: Document) -> str:
    return doc.text


def _settings(config, isolated, lexicon, no_bundled, threshold, min_tier, min_confidence, assume_spun,
              encoding, include=None, extend_include=None, exclude=None, no_gitignore=None,
              force_exclude=None, ignore_file=None) -> Settings:
    """Resolve the shared options (each None when not given) against the configuration file."""
    s = resolve(config, isolated, lexicons=lexicon, bundled=None if no_bundled is None else not no_bundled,
                threshold=threshold, min_tier=min_tier, min_confidence=min_confidence, assume_spun=assume_spun,
                encoding=encoding, include=include, extend_include=extend_include, exclude=exclude,
                respect_gitignore=None if no_gitignore is None else not no_gitignore,
                force_exclude=force_exclude, ignore_file=ignore_file)
    check_encoding(s.encoding)
    return s


def _ignore(s: Settings) -> IgnoreList:
    try:
        return IgnoreList.load(Path(s.ignore_file))
    except RepairError as exc:
        raise fail(str(exc), EXIT_DATA) from None


def _fix_files(r: Repairer, names: list[str], *, jobs: int, write: bool, check: bool, quiet: bool,
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
            if outcome.skipped and isinstance(outcome.name, Walked):
                if not quiet:
                    say(outcome.error)
                continue
            errors += 1
            say(outcome.error)
            continue
        changed += outcome.changed
        edits += outcome.edits
        if outcome.changed and not quiet:
            verb = "repaired" if outcome.written else "would repair"
            progress.clear()
            typer.echo(f"{verb} {outcome.name} ({plural(outcome.edits, 'edit')})", err=True)
    progress.close()
    if files > 1 and not quiet:
        _summary(files, changed, edits, errors, "changed" if write else "would change")
    if errors:
        raise typer.Exit(EXIT_INPUT)
    if check and changed:
        raise typer.Exit(EXIT_FOUND)


def _jsonl(r: Repairer, paths: list[str] | None, output: str | None, *, check: bool = False, quiet: bool = False,
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


@app.command()
def scan(
    paths: Paths = None,
    fmt: Annotated[ScanFormat, typer.Option("--format", help="text: one line per document; json: JSON Lines.")] = ScanFormat.text,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when a document scores as spun.")] = False,
    lexicon: LexiconOpt = None,
    no_bundled: NoBundledOpt = None,
    threshold: ThresholdOpt = None,
    top: Annotated[int, typer.Option("--top", min=0, help="Evidence entries to show per document.")] = 5,
    jobs: JobsOpt = 1,
    encoding: EncodingOpt = None,
    decode_errors: ErrorsOpt = DecodeErrors.strict,
    include: IncludeOpt = None,
    extend_include: ExtendIncludeOpt = None,
    exclude: ExcludeOpt = None,
    no_gitignore: NoIgnoreOpt = None,
    force_exclude: ForceExcludeOpt = None,
    stdin_filename: StdinNameOpt = None,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Inputs are JSON Lines: score one field per record and add the score.")] = False,
    text_field: FieldOpt = None,
    score_key: Annotated[str, typer.Option("--score-key", help="With --jsonl: key for the spin score.")] = "spin_score",
    min_score: Annotated[float | None, typer.Option("--min-score", help="With --jsonl: keep records scoring at least this.")] = None,
    max_score: Annotated[float | None, typer.Option("--max-score", help="With --jsonl: keep records scoring at most this.")] = None,
    on_error: OnErrorOpt = None,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
) -> None:
    """Score how spun each document looks (0-1) and show the evidence; changes nothing."""
    _conflicts(**{"--jsonl": jsonl, "--output": output is not None, "--field": text_field is not None,
                  "--on-error": on_error is not None})
    s = _settings(config, isolated, lexicon, no_bundled, threshold, None, None, None, encoding,
                  include, extend_include, exclude, no_gitignore, force_exclude)
    r = repairer(replace(s, min_tier="context", min_confidence=0.5, assume_spun=False))
    if jsonl:
        _jsonl(r, paths, output, quiet=quiet, jobs=jobs, text_field=text_field or "text", score_key=score_key,
               scan_only=True, on_error=(on_error.value if on_error else "fail"), min_score=min_score,
               max_score=max_score)
        return
    errors: list[str] = []
    docs = _documents(_inputs(paths, s, errors, stdin_filename), s, errors, decode_errors.value, stdin_filename, quiet)
    progress = Progress(enabled=False if quiet else None)
    documents = spun = 0
    for doc, result in run_ordered(r, docs, _text, jobs=jobs, scan=True):
        progress.update(len(doc.text))
        documents += 1
        spun += result.spun
        if fmt is ScanFormat.json:
            out(dumps(scan_record(doc.name, result, top)) + "\n")
        else:
            verdict = "spun" if result.spun else "clean"
            hits = ", ".join(f"{ev.spun}->{ev.canonical} x{ev.count}" for ev in result.evidence[:top])
            out(f"{doc.name}\t{result.spin_score:.2f}\t{verdict}\t{hits}\n")
    progress.close()
    if documents > 1 and not quiet:
        say(f"{plural(documents, 'document')}, {spun} spun" + (f", {plural(len(errors), 'error')}" if errors else ""))
    if errors:
        raise typer.Exit(EXIT_INPUT)
    if check and spun:
        raise typer.Exit(EXIT_FOUND)


@app.command()
def report(
    paths: Paths = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("repair-report.html"),
    lexicon: LexiconOpt = None,
    no_bundled: NoBundledOpt = None,
    threshold: ThresholdOpt = None,
    min_tier: MinTierOpt = None,
    min_confidence: MinConfOpt = None,
    assume_spun: AssumeSpunOpt = None,
    encoding: EncodingOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
) -> None:
    """Write one self-contained HTML page showing every edit and suggestion, with filters."""
    s = _settings(config, isolated, lexicon, no_bundled, threshold, min_tier, min_confidence, assume_spun,
                  encoding, include, None, exclude)
    r = repairer(s)
    errors: list[str] = []
    docs = [(d.name if d.first and d.last else f"{d.name} (from line {d.line + 1})", d.text, r.repair(d.text))
            for d in _documents(_inputs(paths, s, errors, None), s, errors, "strict", None, False)]
    try:
        from .report import render_report  # only this command needs it

        output.write_text(render_report(docs), encoding="utf-8")
    except OSError as exc:
        raise fail(f"{output}: cannot write: {exc.strerror or exc}", EXIT_INPUT) from None
    typer.echo(f"wrote {output} ({plural(len(docs), 'document')})", err=True)
    if errors:
        raise typer.Exit(EXIT_INPUT)


@app.command()
def review(
    paths: Annotated[list[Path], typer.Argument(help="Files to review.", show_default=False)],
    lexicon: LexiconOpt = None,
    no_bundled: NoBundledOpt = None,
    threshold: ThresholdOpt = None,
    min_tier: MinTierOpt = None,
    min_confidence: MinConfOpt = None,
    assume_spun: AssumeSpunOpt = None,
    ignore_file: IgnoreFileOpt = None,
    color: Annotated[Color, typer.Option("--color", help="auto, always or never.")] = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
) -> None:
    """Decide edit by edit; accepted edits are written at the end of each file, rejections kept in .repair-ignore.

    Keys: y accept, n reject, a accept all of this entry, r reject all of this entry, u undo,
    q quit (the file is left as it was; rejections made so it are remembered). Ctrl-C leaves
    everything as it was.
    """
    if not sys.stdin.isatty():
        raise fail("review needs a terminal; use fix --diff or report for non-interactive review", EXIT_USAGE)
    s = _settings(config, isolated, lexicon, no_bundled, threshold, min_tier, min_confidence, assume_spun,
                  None, ignore_file=ignore_file)
    r = repairer(s)
    ignore = _ignore(s)
    try:
        for path in paths:
            if _review_file(str(path), r, ignore, use_color(color)):
                break
    except KeyboardInterrupt:
        typer.echo("\ninterrupted: the current file was not written", err=True)
        raise typer.Exit(130) from None


def _review_file(name: str, r: Repairer, ignore: IgnoreList, color: bool) -> bool:
    """Review one file; True when the reviewer quit."""
    from .review import KEYS, Review, run  # only this command needs it

    try:
        (doc,) = list(read_documents(name, threshold=1 << 62))
    except InputError as exc:
        raise fail(str(exc), EXIT_INPUT) from None
    result = writable(doc, r.repair(doc.text))
    edits = ignore.keep(doc.text, result.edits)
    items = edits + ignore.keep(doc.text, result.suggestions)
    if not items:
        typer.echo(f"{name}: nothing to review")
        return False

    def ask() -> str:
        typer.echo(f"Accept? {KEYS}: ", nl=False)
        key = typer.getchar()
        typer.echo(key if key.isprintable() else "")
        return key

    outcome = run(name, Review(doc.text, items), len(edits), ask, typer.echo, color=color, line_col=line_col)
    ignore.add(outcome.rejected)
    if outcome.quit:
        typer.echo(f"quit: {name} left unchanged" + (f"; {plural(len(outcome.rejected), 'rejection')} remembered"
                                                       if outcome.rejected else ""))
        return True
    new = _apply(doc.text, outcome.accepted)
    if new != doc.text:
        try:
            atomic_write(name, new, doc.encoding, doc.stamp)
        except (InputError, OSError) as exc:
            raise fail(f"{name}: not written: {exc}", EXIT_INPUT) from None
    typer.echo(f"{name}: {len(outcome.accepted)} accepted, {len(outcome.rejected)} rejected"
               + (" (written)" if new != doc.text else ""))
    return False


def _apply(text: str, edits: list) -> str:
    from .edits import apply_edits

    return apply_edits(text, edits)


@app.command("config")
def show_config(
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object: each setting's value and source.")] = False,
) -> None:
    """Print the effective settings and where each came from (default, a file, or found)."""
    s = resolve(config, isolated)
    rows = s.shown()
    if as_json:
        out(dumps({"config_file": s.config_file, "settings": {k: {"value": v, "source": src} for k, v, src in rows}}) + "\n")
        return
    out(f"# configuration file: {s.config_file or 'none found'}\n")
    for key, value, source in rows:
        out(f"{key} = {dumps(value)}  # {source}\n")


def _version(value: bool) -> None:
    if value:
        from .repairer import backend_name

        typer.echo(f"repair {__version__} ({backend_name()} backend)")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and the matching backend.")] = False,
) -> None:
    """Find and undo synonym-spun text."""


def main() -> None:
    """Entry point: run the app, turning expected errors into one-line messages. A reader that
    goes away (``| head``) ends the run as it ends ``cat`` or ``grep``: by SIGPIPE, silently
    (exit status 141 in a shell), never as "fixes found" or a traceback."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        app()
    except RepairError as exc:
        say(str(exc))
        sys.exit(EXIT_DATA)
