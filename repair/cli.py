"""The ``repair`` command line: a thin typer layer over the library.

Exit codes: 0 nothing to fix, 1 fixes found under ``--check``, 2 usage error, 3 bad lexicon or
configuration, 4 some input could not be read (the other inputs were still processed).
"""

from __future__ import annotations

import codecs
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .batch import writable
from .config import Config
from .edits import apply_edits
from .errors import ConfigError, InputError, LexiconError, RepairError
from .files import (
    STDIN,
    AtomicWriter,
    Document,
    atomic_write,
    encode,
    expand_paths,
    is_unicode,
    read_documents,
)
from .ignore import FILENAME as IGNORE_FILENAME
from .ignore import IgnoreList
from .lexicon import (
    REGISTRY,
    bundled_dir,
    format_lexicon,
    load_entries,
    read_lexicon_file,
)
from .parallel import run_ordered
from .progress import Progress
from .render import (
    dumps,
    edit_diff,
    edit_record,
    explain,
    Lines,
    github_annotations,
    line_col,
    result_record_chunks,
    sarif_log,
    sarif_result,
    scan_record,
)
from .repairer import Repairer
from .worddiff import word_diff

EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_DATA, EXIT_INPUT = 0, 1, 2, 3, 4

app = typer.Typer(
    name="repair",
    help="Find and undo synonym-spun text. Every edit names its lexicon entry and reason.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
lexicon_app = typer.Typer(help="List, look up, validate and format lexicon files.", no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")


class Tier(str, Enum):
    certain = "certain"
    likely = "likely"
    context = "context"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _use_color(choice: Color | None) -> bool:
    if choice is Color.always:
        return True
    if choice is Color.never:
        return False
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


class FixFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    github = "github"
    sarif = "sarif"


class ScanFormat(str, Enum):
    text = "text"
    json = "json"


# -- shared options, declared once --------------------------------------------------------

Paths = Annotated[
    list[str] | None,
    typer.Argument(help="Files or directories (recursive); '-' or nothing reads stdin.", show_default=False),
]
LexiconOpt = Annotated[
    list[Path] | None,
    typer.Option("--lexicon", "-l", help="Extra lexicon file (repeatable); overrides bundled entries."),
]
NoBundledOpt = Annotated[bool, typer.Option("--no-bundled", help="Use only the --lexicon files.")]
ThresholdOpt = Annotated[
    float, typer.Option("--threshold", min=0.0, max=1.0, help="Spin score from which a document counts as spun.")
]
MinTierOpt = Annotated[Tier, typer.Option("--min-tier", help="Weakest tier that may be applied.")]
MinConfOpt = Annotated[
    float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Entries below this are only suggested.")
]
AssumeSpunOpt = Annotated[bool, typer.Option("--assume-spun", help="Skip detection; treat every document as spun.")]
EncodingOpt = Annotated[str, typer.Option("--encoding", help="Encoding of the input files (and of rewritten files).")]


class DecodeErrors(str, Enum):
    strict = "strict"
    replace = "replace"


ErrorsOpt = Annotated[
    DecodeErrors,
    typer.Option("--errors", help="strict: skip undecodable files with a message; replace: U+FFFD for bad bytes (lossy)."),
]
JsonlOpt = Annotated[bool, typer.Option("--jsonl", help="Inputs are JSON Lines; repair one field per record.")]
FieldOpt = Annotated[str, typer.Option("--field", help="With --jsonl: the text field.")]
OnErrorOpt = Annotated[
    str, typer.Option("--on-error", help="With --jsonl: fail, skip or keep malformed lines (counted on stderr).")
]
OutputOpt = Annotated[
    str | None, typer.Option("--output", "-o", help="With --jsonl: write here (.gz/.zst compressed) instead of stdout.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display and no per-file notes; errors are still shown.")]
JobsOpt = Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes; output order is kept.")]


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"repair: {message}", err=True)
    return typer.Exit(code)


def _entries(lexicons: list[Path] | None, *, bundled: bool = True):
    """Load lexicon entries or exit with every problem as FILE:LINE: message."""
    try:
        return load_entries(lexicons or [], bundled=bundled)
    except LexiconError as exc:
        for problem in exc.problems:
            typer.echo(problem, err=True)
        raise _fail(f"{len(exc.problems)} lexicon error(s); fix the lines above", EXIT_DATA) from None


def _repairer(
    lexicons: list[Path] | None, no_bundled: bool, threshold: float, min_tier: Tier,
    min_confidence: float, assume_spun: bool,
) -> Repairer:
    try:
        config = Config(threshold=threshold, min_tier=min_tier.value,
                        min_confidence=min_confidence, assume_spun=assume_spun)
    except ConfigError as exc:
        raise _fail(str(exc), EXIT_DATA) from None
    return Repairer(_entries(lexicons, bundled=not no_bundled), config, fuzzy_names=not no_bundled)


def _documents(
    paths: list[str] | None, errors: list[str], encoding: str = "utf-8", decode_errors: str = "strict"
) -> Iterator[Document]:
    """Yield readable documents; unreadable ones are reported and counted in ``errors``."""
    for item in expand_paths(paths or []):
        if isinstance(item, InputError):
            errors.append(str(item))
            typer.echo(f"repair: {item}", err=True)
            continue
        try:
            yield from read_documents(item, encoding=encoding, errors=decode_errors)
        except InputError as exc:
            errors.append(str(exc))
            typer.echo(f"repair: {exc}", err=True)


def _check_encoding(encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise _fail(f"unknown encoding {encoding!r}", EXIT_USAGE) from None


def _text(doc: Document) -> str:
    return doc.text


def _out(s: str, encoding: str = "utf-8") -> None:
    """Write exact bytes (no newline translation) to stdout: repaired text in its document's
    encoding, every report in UTF-8."""
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        sys.stdout.write(s)
    else:
        sys.stdout.flush()
        out.write(encode(s, encoding))
        out.flush()


@app.command()
def fix(
    paths: Paths = None,
    write: Annotated[bool, typer.Option("--write", "-w", help="Rewrite files in place (atomically).")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff and the edits instead of the text.")] = False,
    word_diff_: Annotated[bool, typer.Option("--word-diff", help="Print the changed lines with each edit marked in place.")] = False,
    color: Annotated[Color, typer.Option("--color", help="Colour the word diff: auto (a terminal, unless NO_COLOR), always, never.")] = None,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when anything would change; write nothing.")] = False,
    fmt: Annotated[FixFormat, typer.Option("--format", help="text: repaired text; json/jsonl: the edits; github: Actions annotations; sarif: a SARIF 2.1.0 log.")] = FixFormat.text,
    ignore_file: Annotated[Path, typer.Option("--ignore-file", help="Rejected corrections (from review) to leave alone.")] = Path(IGNORE_FILENAME),
    lexicon: LexiconOpt = None,
    no_bundled: NoBundledOpt = False,
    threshold: ThresholdOpt = 0.5,
    min_tier: MinTierOpt = Tier.context,
    min_confidence: MinConfOpt = 0.5,
    assume_spun: AssumeSpunOpt = False,
    jobs: JobsOpt = 1,
    encoding: EncodingOpt = "utf-8",
    decode_errors: ErrorsOpt = DecodeErrors.strict,
    jsonl: JsonlOpt = False,
    text_field: FieldOpt = "text",
    add_score: Annotated[str | None, typer.Option("--add-score", help="With --jsonl: add the spin score under this key.")] = None,
    add_edits: Annotated[str | None, typer.Option("--add-edits", help="With --jsonl: add the edits under this key.")] = None,
    on_error: OnErrorOpt = "fail",
    output: OutputOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Repair spun text: print it, rewrite files (-w), show a diff (--diff) or check (--check)."""
    if write and (STDIN in (paths or [STDIN])):
        raise _fail("--write needs file paths, not stdin", EXIT_USAGE)
    if jsonl and write:
        raise _fail("--write does not apply to --jsonl; name the output with -o (it may be the input)", EXIT_USAGE)
    if output is not None and not jsonl:
        raise _fail("-o/--output needs --jsonl (use -w to rewrite text files)", EXIT_USAGE)
    _check_encoding(encoding)
    repairer = _repairer(lexicon, no_bundled, threshold, min_tier, min_confidence, assume_spun)
    if jsonl:
        _run_jsonl(repairer, paths, output, check=check, quiet=quiet, jobs=jobs, text_field=text_field,
                   score_key=add_score, edits_key=add_edits, on_error=on_error)
        return
    errors: list[str] = []
    changed: set[str] = set()
    array = None  # json and sarif: one document, written as it goes (no edit is kept)
    if fmt is FixFormat.json:
        array = _StreamedArray({"version": 1, "documents": []}, "documents")
    elif fmt is FixFormat.sarif:
        log = sarif_log([], __version__)
        array = _StreamedArray(log, "results")
    writers: dict[str, AtomicWriter] = {}
    edits_in: dict[str, int] = {}
    ignore = IgnoreList.load(ignore_file)
    files_only = paths and STDIN not in paths
    if (check or write) and files_only and not (diff or word_diff_) and fmt is FixFormat.text:
        _fix_files(repairer, paths, jobs=jobs, write=write, check=check, quiet=quiet,
                   encoding=encoding, errors=decode_errors.value, ignore=ignore)
        return
    docs = _documents(paths, errors, encoding, decode_errors.value)
    use_color = _use_color(color)
    progress = Progress(enabled=False if quiet else None)
    if fmt is FixFormat.text and not (diff or word_diff_ or check or write or ignore.rules) and is_unicode(codecs.lookup(encoding).name):
        # the repaired text is all this prints: workers send back nothing else
        for doc, text in run_ordered(repairer, docs, _text, jobs=jobs, text_only=True):
            progress.update(len(doc.text))
            _out(text, doc.encoding)
        progress.close()
        if errors:
            raise typer.Exit(EXIT_INPUT)
        return
    for doc, result in run_ordered(repairer, docs, _text, jobs=jobs):
        progress.update(len(doc.text))
        where = {"offset": doc.offset, "line_base": doc.line}
        result = writable(doc, result, ignore)
        if result.changed:
            changed.add(doc.name)
        edits_in[doc.name] = edits_in.get(doc.name, 0) + len(result.edits)
        if fmt is FixFormat.jsonl:
            lines = Lines(doc.text)
            _out("".join(dumps(edit_record(doc.name, lines, e, applied=True, **where)) + "\n"
                         for e in result.edits))
            _out("".join(dumps(edit_record(doc.name, lines, e, applied=False, **where)) + "\n"
                         for e in result.suggestions))
        elif fmt is FixFormat.json:
            array.add_pieces(result_record_chunks(doc.name, doc.text, result, **where))
        elif fmt is FixFormat.github:
            _out(github_annotations(doc.name, doc.text, result.edits, line_base=doc.line))
        elif fmt is FixFormat.sarif:
            lines = Lines(doc.text)
            array.add(dumps(sarif_result(doc.name, lines, e, line_base=doc.line)) for e in result.edits)
        elif word_diff_:
            shown = word_diff(doc.text, result.edits, color=use_color)
            if shown:
                _out(f"{doc.name}\n{shown}")
        elif diff:
            _out(edit_diff(doc.name, doc.text, result.edits, line=doc.line, header=doc.first))
            _out(explain(doc.name, doc.text, result.edits, prefix="# ", line_base=doc.line))
            _out(explain(doc.name, doc.text, result.suggestions, prefix="# suggestion: ", line_base=doc.line))
        elif check:
            if doc.last and doc.name in changed and not quiet:
                typer.echo(f"would repair {doc.name} ({edits_in[doc.name]} edits)", err=True)
        elif not write:
            _out(result.text, doc.encoding)
        if write:
            _write_part(doc, result.text, writers, changed, edits_in, errors, quiet)
    progress.close()
    for writer in writers.values():  # inputs that failed part-way: leave them untouched
        writer.abort()
    if array is not None:
        array.close()
    if errors:
        raise typer.Exit(EXIT_INPUT)
    if check and changed:
        raise typer.Exit(EXIT_FOUND)


class _StreamedArray:
    """One JSON document whose array under ``key`` is written item by item, so that a run's
    memory does not grow with its edits; the document is complete once ``close`` is called."""

    def __init__(self, document: dict, key: str) -> None:
        text = dumps(document)
        marker = f'"{key}": []'
        cut = text.rindex(marker) + len(marker) - 1
        self.head, self.tail = text[:cut], text[cut:] + "\n"
        self.count = 0

    def add(self, items: Iterable[str], *, chunks: int = 1000) -> None:
        """Append items (JSON texts), written ``chunks`` at a time."""
        out = []
        for item in items:
            out.append(("," if self.count else self.head) + item)
            self.count += 1
            if len(out) >= chunks:
                _out("".join(out))
                out = []
        if out:
            _out("".join(out))

    def add_pieces(self, pieces: Iterable[str]) -> None:
        """Append one item written in pieces (joined, they are its JSON text)."""
        for i, piece in enumerate(pieces):
            _out((("," if self.count else self.head) if i == 0 else "") + piece)
        self.count += 1

    def close(self) -> None:
        _out((self.head if not self.count else "") + self.tail)


def _fix_files(repairer: Repairer, paths: list[str], *, jobs: int, write: bool, check: bool,
               quiet: bool, **options) -> None:
    """--check / -w over files: workers read, repair and write; the parent only reports."""
    errors = 0
    changed = 0
    progress = Progress(enabled=False if quiet else None)
    names = []
    for item in expand_paths(paths):
        if isinstance(item, InputError):
            errors += 1
            typer.echo(f"repair: {item}", err=True)
        else:
            names.append(item)
    from .batch import fix_files

    for outcome in fix_files(repairer, names, jobs=jobs, write=write, **options):
        progress.update(outcome.chars)
        if outcome.error:
            errors += 1
            typer.echo(f"repair: {outcome.error}", err=True)
            continue
        changed += outcome.changed
        if outcome.changed and not quiet:
            verb = "repaired" if outcome.written else "would repair"
            typer.echo(f"{verb} {outcome.name} ({outcome.edits} edits)", err=True)
    progress.close()
    if errors:
        raise typer.Exit(EXIT_INPUT)
    if check and changed:
        raise typer.Exit(EXIT_FOUND)


def _write_part(
    doc: Document, text: str, writers: dict[str, AtomicWriter], changed: set[str],
    edits_in: dict[str, int], errors: list[str], quiet: bool = False,
) -> None:
    """-w: a one-part document is written only if changed; a streamed one goes to a temporary
    file part by part and replaces the original at its last part, if any part changed."""
    try:
        if doc.first and doc.last:
            if doc.name in changed:
                atomic_write(doc.name, text, doc.encoding, doc.stamp)
                if not quiet:
                    typer.echo(f"repaired {doc.name} ({edits_in[doc.name]} edits)", err=True)
            return
        if doc.first:
            writers[doc.name] = AtomicWriter(doc.name, doc.encoding, doc.stamp)
        writer = writers.get(doc.name)
        if writer is None:
            return
        writer.write(text)
        if doc.last:
            del writers[doc.name]
            if doc.name in changed:
                writer.commit()
                if not quiet:
                    typer.echo(f"repaired {doc.name} ({edits_in[doc.name]} edits)", err=True)
            else:
                writer.abort()
    except (InputError, OSError) as exc:
        stale = writers.pop(doc.name, None)
        if stale is not None:
            stale.abort()
        errors.append(str(exc))
        typer.echo(f"repair: {doc.name}: not written: {exc}", err=True)


@app.command()
def scan(
    paths: Paths = None,
    fmt: Annotated[ScanFormat, typer.Option("--format", help="text: one line per document; json: JSON Lines.")] = ScanFormat.text,
    lexicon: LexiconOpt = None,
    no_bundled: NoBundledOpt = False,
    threshold: ThresholdOpt = 0.5,
    top: Annotated[int, typer.Option("--top", min=0, help="Evidence entries to show per document.")] = 5,
    jobs: JobsOpt = 1,
    encoding: EncodingOpt = "utf-8",
    decode_errors: ErrorsOpt = DecodeErrors.strict,
    jsonl: JsonlOpt = False,
    text_field: FieldOpt = "text",
    score_key: Annotated[str, typer.Option("--score-key", help="With --jsonl: key for the spin score.")] = "spin_score",
    min_score: Annotated[float | None, typer.Option("--min-score", help="With --jsonl: keep records scoring at least this.")] = None,
    max_score: Annotated[float | None, typer.Option("--max-score", help="With --jsonl: keep records scoring at most this.")] = None,
    on_error: OnErrorOpt = "fail",
    output: OutputOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Score how spun each document looks (0-1) and show the evidence; changes nothing."""
    _check_encoding(encoding)
    if output is not None and not jsonl:
        raise _fail("-o/--output needs --jsonl", EXIT_USAGE)
    repairer = _repairer(lexicon, no_bundled, threshold, Tier.context, 0.5, False)
    if jsonl:
        _run_jsonl(repairer, paths, output, quiet=quiet, jobs=jobs, text_field=text_field, score_key=score_key,
                   scan_only=True, on_error=on_error, min_score=min_score, max_score=max_score)
        return
    errors: list[str] = []
    docs = _documents(paths, errors, encoding, decode_errors.value)
    progress = Progress(enabled=False if quiet else None)
    for doc, result in run_ordered(repairer, docs, _text, jobs=jobs, scan=True):
        progress.update(len(doc.text))
        if fmt is ScanFormat.json:
            _out(dumps(scan_record(doc.name, result, top)) + "\n")
        else:
            verdict = "spun" if result.spun else "clean"
            hits = ", ".join(f"{ev.spun}->{ev.canonical} x{ev.count}" for ev in result.evidence[:top])
            _out(f"{doc.name}\t{result.spin_score:.2f}\t{verdict}\t{hits}\n")
    progress.close()
    if errors:
        raise typer.Exit(EXIT_INPUT)


def _run_jsonl(repairer: Repairer, paths: list[str] | None, output: str | None, *, check: bool = False,
               quiet: bool = False, **options) -> None:
    """--jsonl: stream records from each input to the output; summary and problems on stderr.
    The output file is written through a temporary file (so it may be an input too) and only
    replaces its target when every record was handled; a missing input is reported and the
    others are still processed (exit 4); ``check`` writes nothing and exits 1 if a record would
    change."""
    from .jsonl import POLICIES, Stats, open_input, open_output, process  # only JSON Lines runs need them

    if options["on_error"] not in POLICIES:
        raise _fail(f"--on-error must be one of {', '.join(POLICIES)}", EXIT_USAGE)
    stats = Stats()
    missing = 0
    name = output or "-"
    try:
        with open_output(None if check else name) as out:
            for path in paths or ["-"]:
                name = path
                try:
                    lines = open_input(path)
                except InputError as exc:
                    missing += 1
                    typer.echo(f"repair: {exc}", err=True)
                    continue
                with lines if path != "-" else nullcontext(lines):
                    for line in process(lines, repairer, stats=stats, **options):
                        out.write(line)
            name = output or "-"
    except InputError as exc:
        message = str(exc)
        raise _fail(message if message.startswith(name) else f"{name}: {message}", EXIT_INPUT) from None
    except (OSError, EOFError) as exc:  # a truncated or corrupt .gz ends in EOFError
        raise _fail(f"{name}: {getattr(exc, 'strerror', None) or exc}", EXIT_INPUT) from None
    for problem in stats.problems:
        typer.echo(f"repair: {problem}", err=True)
    if not quiet:
        typer.echo(
            f"repair: {stats.records} records, {stats.changed} changed, {stats.filtered} filtered out, "
            f"{stats.skipped} malformed skipped, {stats.kept_malformed} malformed kept, "
            f"{stats.blank} blank lines {'kept' if options['on_error'] == 'keep' else 'dropped'}",
            err=True,
        )
    if missing:
        raise typer.Exit(EXIT_INPUT)
    if check and stats.changed:
        raise typer.Exit(EXIT_FOUND)


@app.command()
def report(
    paths: Paths = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("repair-report.html"),
    lexicon: LexiconOpt = None,
    no_bundled: NoBundledOpt = False,
    threshold: ThresholdOpt = 0.5,
    min_tier: MinTierOpt = Tier.context,
    min_confidence: MinConfOpt = 0.5,
    assume_spun: AssumeSpunOpt = False,
    encoding: EncodingOpt = "utf-8",
) -> None:
    """Write one self-contained HTML page showing every edit and suggestion, with filters."""
    _check_encoding(encoding)
    repairer = _repairer(lexicon, no_bundled, threshold, min_tier, min_confidence, assume_spun)
    errors: list[str] = []
    docs = [(d.name if d.first and d.last else f"{d.name} (from line {d.line + 1})", d.text, repairer.repair(d.text))
            for d in _documents(paths, errors, encoding)]
    try:
        from .report import render_report  # only this command needs it

        output.write_text(render_report(docs), encoding="utf-8")
    except OSError as exc:
        raise _fail(f"{output}: cannot write: {exc.strerror or exc}", EXIT_INPUT) from None
    typer.echo(f"wrote {output} ({len(docs)} documents)", err=True)
    if errors:
        raise typer.Exit(EXIT_INPUT)


REVIEW_KEYS = "[y]es [n]o [a]ccept all of this entry [r]eject all of this entry [u]ndo [q]uit"


@app.command()
def review(
    paths: Annotated[list[Path], typer.Argument(help="Files to review.", show_default=False)],
    lexicon: LexiconOpt = None,
    no_bundled: NoBundledOpt = False,
    threshold: ThresholdOpt = 0.5,
    min_tier: MinTierOpt = Tier.context,
    min_confidence: MinConfOpt = 0.5,
    assume_spun: AssumeSpunOpt = False,
    ignore_file: Annotated[Path, typer.Option("--ignore-file", help="Where rejections are remembered.")] = Path(IGNORE_FILENAME),
    color: Annotated[Color, typer.Option("--color", help="auto, always or never.")] = None,
) -> None:
    """Decide edit by edit; accepted edits are written at the end of each file, rejections kept in .repair-ignore.

    Keys: y accept, n reject, a accept all of this entry, r reject all of this entry, u undo,
    q quit (the file is left as it was, as with Ctrl-C).
    """
    if not sys.stdin.isatty():
        raise _fail("review needs a terminal; use fix --diff or report for non-interactive review", EXIT_USAGE)
    repairer = _repairer(lexicon, no_bundled, threshold, min_tier, min_confidence, assume_spun)
    ignore = IgnoreList.load(ignore_file)
    use_color = _use_color(color)
    try:
        for path in paths:
            _review_file(str(path), repairer, ignore, use_color)
    except KeyboardInterrupt:
        typer.echo("\ninterrupted: the current file was not written", err=True)
        raise typer.Exit(130) from None


def _review_file(name: str, repairer: Repairer, ignore: IgnoreList, use_color: bool) -> None:
    from .review import ACCEPT, REJECT, Review  # only this command needs it

    try:
        (doc,) = list(read_documents(name, threshold=1 << 62))
    except InputError as exc:
        raise _fail(str(exc), EXIT_INPUT) from None
    text = doc.text
    result = writable(doc, repairer.repair(text))
    items = ignore.keep(text, result.edits) + ignore.keep(text, result.suggestions)
    if not items:
        typer.echo(f"{name}: nothing to review")
        return
    session = Review(text, items)
    while (i := session.current()) is not None:
        e = items[i]
        line, col = line_col(text, e.start)
        start = text.rfind("\n", 0, e.start) + 1
        end = text.find("\n", e.end)
        end = len(text) if end == -1 else end
        shown = word_diff(text[start:end], [e._replace(start=e.start - start, end=e.end - start)],
                          color=use_color, context_lines=-1).rstrip("\n")
        kind = "edit" if i < len(result.edits) or e in result.edits else "suggestion"
        typer.echo(f"\n[{i + 1}/{len(items)}] {name}:{line}:{col}  {kind}  {e.entry}  {e.tier}  "
                   f"confidence {e.confidence:.2f}")
        typer.echo(f"  {shown}")
        typer.echo(f"  why: {e.reason}")
        typer.echo(f"Accept? {REVIEW_KEYS}: ", nl=False)
        key = typer.getchar()
        typer.echo(key if key.isprintable() else "")
        if key in ("\x03", "\x04"):
            raise KeyboardInterrupt
        if key == "y":
            session.decide(i, ACCEPT)
        elif key == "n":
            session.decide(i, REJECT)
        elif key == "a":
            session.decide(i, ACCEPT, whole_entry=True)
        elif key == "r":
            session.decide(i, REJECT, whole_entry=True)
        elif key == "u":
            if not session.undo():
                typer.echo("  nothing to undo")
        elif key == "q":
            typer.echo(f"quit: {name} left unchanged")
            raise typer.Exit(0)
        else:
            typer.echo(f"  keys: {REVIEW_KEYS}")
    accepted = session.accepted()
    new = apply_edits(text, accepted)
    if new != text:
        try:
            atomic_write(name, new, doc.encoding, doc.stamp)
        except (InputError, OSError) as exc:
            raise _fail(f"{name}: not written: {exc}", EXIT_INPUT) from None
    ignore.add(session.rejected_rules.values())
    typer.echo(f"{name}: {len(accepted)} accepted, {len(session.rejected_rules)} rejected"
               + (" (written)" if new != text else ""))


# -- lexicon subcommands --------------------------------------------------------------------


@lexicon_app.command("list")
def lexicon_list(
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    tier: Annotated[str | None, typer.Option(help="Only this tier.")] = None,
    lexicon: LexiconOpt = None,
) -> None:
    """List lexicon entries as tab-separated rows with their origin."""
    for e in _entries(lexicon):
        if (category is None or e.category == category) and (tier is None or e.tier == tier):
            _out(f"{e.row()}\t{e.origin}\n")


@lexicon_app.command("files")
def lexicon_files() -> None:
    """Describe the bundled lexicon files (the registry)."""
    for spec in REGISTRY:
        _out(f"{spec.filename}\t{spec.kind}\t{spec.category}\t{spec.description}\n")


@lexicon_app.command("lookup")
def lexicon_lookup(
    phrase: Annotated[str, typer.Argument(help="A spun phrase, e.g. 'White Home'.")],
    text: Annotated[str | None, typer.Option("--text", "-t", help="Explain what happens to PHRASE in this text.")] = None,
    lexicon: LexiconOpt = None,
    threshold: ThresholdOpt = 0.5,
    assume_spun: AssumeSpunOpt = False,
) -> None:
    """Why would this phrase change? Shows matching entries and, with --text, the decision."""
    entries = _entries(lexicon)
    found = [e for e in entries if e.spun.casefold() == phrase.casefold()]
    if not found:
        _out(f"{phrase!r}: no lexicon entry; it is never changed\n")
        raise typer.Exit(EXIT_FOUND)
    for e in found:
        ctx = f" when {e.context.source}" if e.context else ""
        _out(f"{e.spun!r} -> {'|'.join(e.canonicals)!r}: {e.tier}, confidence {e.confidence:.2f}, "
             f"{e.category}, {e.provenance}{ctx} ({e.origin})\n")
    if text is not None:
        repairer = Repairer(entries, Config(threshold=threshold, assume_spun=assume_spun))
        result = repairer.repair(text)
        _out(f"in the given text: spin score {result.scan.spin_score:.2f} "
             f"({'spun' if result.scan.spun else 'not spun'})\n")
        for offset, why in repairer.explain_phrase(text, phrase):
            if offset < 0:
                _out(why + "\n")
            else:
                line, col = line_col(text, offset)
                _out(f"text:{line}:{col}: {why}\n")


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
        raise _fail(f"{len(exc.problems)} lexicon error(s)", EXIT_DATA) from None
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
            raise _fail(f"{path}: cannot read: {exc.strerror or exc}", EXIT_INPUT) from None
        except LexiconError as exc:
            raise _fail(str(exc), EXIT_DATA) from None
        if formatted != text:
            unformatted += 1
            if check:
                typer.echo(f"would reformat {path}", err=True)
            else:
                atomic_write(path, formatted)
                typer.echo(f"reformatted {path}", err=True)
    if check and unformatted:
        raise typer.Exit(EXIT_FOUND)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"repair {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
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
        typer.echo(f"repair: {exc}", err=True)
        sys.exit(EXIT_DATA)
