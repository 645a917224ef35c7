"""The ``repair`` command line: a thin typer layer over the library.

Exit codes: 0 nothing to fix, 1 fixes found under ``--check`` (``scan --check``: a spun
document), 2 usage error (conflicting flags included), 3 bad lexicon or configuration, 4 some
input could not be read (the other inputs were still processed).
"""

from __future__ import annotations

import codecs
import signal
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .batch import writable
from .cli_inputs import references, with_reference, documents, fix_files_report, inputs, refuse_jsonl_named, run_jsonl, summary, text_of
from .cli_learn import register as register_learning
from .cli_lexicon import lexicon_app
from .cli_options import (
    EXIT_DATA, EXIT_FOUND, EXIT_INPUT, EXIT_USAGE, AssumeSpunOpt, Color, ConfigOpt, DecodeErrors, ErrorsOpt,
    EncodingOpt, ExcludeOpt, ExtendIncludeOpt, FieldOpt, FixFormat, ForceExcludeOpt, IgnoreFileOpt, IncludeOpt,
    IsolatedOpt, JobsOpt, LexiconOpt, MinConfOpt, MinTierOpt, NoBundledOpt, NoIgnoreOpt, OnErrorOpt, OutputOpt,
    LmGateOpt, Paths, QuietOpt, ScanFormat, StdinNameOpt, ThresholdOpt, conflicts, fail, ignore_list, repairer, resolve, say,
    settings_of, use_color,
)
from .edits import apply_edits
from .errors import InputError, RepairError
from .files import STDIN, atomic_write, is_unicode, read_documents
from .formatters import FORMATS, Check, Diff, Formatter, WordDiff, out, plural
from .ignore import IgnoreList
from .parallel import run_ordered
from .progress import Progress
from .render import dumps, line_col, scan_record
from .repairer import Repairer

app = typer.Typer(
    name="repair",
    help="Find and undo synonym-spun text. Every edit names its lexicon entry and reason.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(lexicon_app, name="lexicon")
register_learning(app)


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
    lm_gate: LmGateOpt = None,
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
    reference: Annotated[list[str] | None, typer.Option("--reference", help="Originals (files, folders, or `repair pair` JSON Lines): where one is the same article, its words repair the copy.")] = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
) -> None:
    """Repair spun text: print it, rewrite files (-w), show a diff (--diff) or check (--check)."""
    conflicts(**{"--check": check, "--write": write, "--diff": diff, "--word-diff": word_diff_,
                  "--format": fmt is not FixFormat.text, "--jsonl": jsonl, "--output": output is not None,
                  "--field": text_field is not None, "--add-score": add_score is not None,
                  "--add-edits": add_edits is not None, "--on-error": on_error is not None,
                  "--reference": bool(reference)})
    if write and STDIN in (paths or [STDIN]):
        raise fail("--write needs file paths, not stdin", EXIT_USAGE)
    s = settings_of(config, isolated, lexicon, no_bundled, threshold, min_tier, min_confidence, assume_spun,
                    encoding, include, extend_include, exclude, no_gitignore, force_exclude, ignore_file, lm_gate)
    r = repairer(s)
    if jsonl:
        run_jsonl(r, paths, output, check=check, quiet=quiet, jobs=jobs, text_field=text_field or "text",
               score_key=add_score, edits_key=add_edits, on_error=(on_error.value if on_error else "fail"))
        return
    errors: list[str] = []
    names = list(inputs(paths, s, errors, stdin_filename))
    refuse_jsonl_named(names)
    ignore = ignore_list(s)
    files_only = bool(names) and STDIN not in names
    index = references(reference)
    if files_only and (write or (check and not (diff or word_diff_) and fmt is FixFormat.text)):
        fix_files_report(r, names, jobs=jobs, write=write, check=check, quiet=quiet, errors_before=len(errors),
                         encoding=s.encoding, decode_errors=decode_errors.value, ignore=ignore, reference=index)
        return
    docs = documents(iter(names), s, errors, decode_errors.value, stdin_filename, quiet)
    progress = Progress(enabled=False if quiet else None)
    if fmt is FixFormat.text and not (diff or word_diff_ or check or ignore.rules or reference) and is_unicode(codecs.lookup(s.encoding).name):
        for doc, text in run_ordered(r, docs, text_of, jobs=jobs, text_only=True):  # the text is all it prints
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
    results = run_ordered(r, docs, text_of, jobs=jobs) if index is None else with_reference(r, docs, index)
    for doc, result in results:
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
        summary(len(seen), len(changed), edits, len(errors), "would change" if check else "to change")
    if errors:
        raise typer.Exit(EXIT_INPUT)
    if check and changed:
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
    conflicts(**{"--jsonl": jsonl, "--output": output is not None, "--field": text_field is not None,
                  "--on-error": on_error is not None})
    if check and jsonl:
        raise fail("--check and --jsonl cannot be used together in scan (filter with --min-score)", EXIT_USAGE)
    s = settings_of(config, isolated, lexicon, no_bundled, threshold, None, None, None, encoding,
                  include, extend_include, exclude, no_gitignore, force_exclude)
    r = repairer(replace(s, min_tier="context", min_confidence=0.5, assume_spun=False))
    if jsonl:
        run_jsonl(r, paths, output, quiet=quiet, jobs=jobs, text_field=text_field or "text", score_key=score_key,
               scan_only=True, on_error=(on_error.value if on_error else "fail"), min_score=min_score,
               max_score=max_score)
        return
    errors: list[str] = []
    docs = documents(inputs(paths, s, errors, stdin_filename), s, errors, decode_errors.value, stdin_filename, quiet)
    progress = Progress(enabled=False if quiet else None)
    count = spun = 0
    for doc, result in run_ordered(r, docs, text_of, jobs=jobs, scan=True):
        progress.update(len(doc.text))
        count += 1
        spun += result.spun
        if fmt is ScanFormat.json:
            out(dumps(scan_record(doc.name, result, top)) + "\n")
        else:
            verdict = "spun" if result.spun else "clean"
            hits = ", ".join(f"{ev.spun}->{ev.canonical} x{ev.count}" for ev in result.evidence[:top])
            out(f"{doc.name}\t{result.spin_score:.2f}\t{verdict}\t{hits}\n")
    progress.close()
    if count > 1 and not quiet:
        say(f"{plural(count, 'document')}, {spun} spun" + (f", {plural(len(errors), 'error')}" if errors else ""))
    if errors:
        raise typer.Exit(EXIT_INPUT)
    if check and spun:
        raise typer.Exit(EXIT_FOUND)


@app.command()
def report(
    paths: Paths = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("repair-report.html"),
    everything: Annotated[bool, typer.Option("--all", help="Show unchanged documents in full too (default: only listed).")] = False,
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
    s = settings_of(config, isolated, lexicon, no_bundled, threshold, min_tier, min_confidence, assume_spun,
                  encoding, include, None, exclude)
    r = repairer(s)
    errors: list[str] = []
    docs = [(d.name if d.first and d.last else f"{d.name} (from line {d.line + 1})", d.text, r.repair(d.text))
            for d in documents(inputs(paths, s, errors, None), s, errors, "strict", None, False)]
    try:
        from .report import render_report  # only this command needs it

        output.write_text(render_report(docs, everything=everything), encoding="utf-8")
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
    s = settings_of(config, isolated, lexicon, no_bundled, threshold, min_tier, min_confidence, assume_spun,
                  None, ignore_file=ignore_file)
    r = repairer(s)
    ignore = ignore_list(s)
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
    new = apply_edits(doc.text, outcome.accepted)
    if new != doc.text:
        try:
            atomic_write(name, new, doc.encoding, doc.stamp)
        except (InputError, OSError) as exc:
            raise fail(f"{name}: not written: {exc}", EXIT_INPUT) from None
    typer.echo(f"{name}: {len(outcome.accepted)} accepted, {len(outcome.rejected)} rejected"
               + (" (written)" if new != doc.text else ""))
    return False



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
