"""``repair learn`` and ``repair pair``: teach the tool a new spinner from data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from .cli_options import EXIT_DATA, EXIT_INPUT, EXIT_USAGE, fail, say
from .errors import InputError
from .files import read_documents
from .formatters import out, plural
from .selection import DEFAULT_EXCLUDE, Selection
from .settings import TEXT_TYPES


def _text(path: str) -> str:
    try:
        return "".join(d.text for d in read_documents(path))
    except InputError as exc:
        raise fail(str(exc), EXIT_INPUT) from None


def _records(path: str) -> Iterator[tuple[int, dict]]:
    try:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if line.strip():
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise fail(f"{path}:{n}: not JSON: {exc.msg}", EXIT_INPUT) from None
                    if isinstance(record, dict):
                        yield n, record
    except OSError as exc:
        raise fail(f"{path}: cannot read: {exc.strerror or exc}", EXIT_INPUT) from None


def pairs_from(sources: list[str], pair: list[tuple[str, str]] | None, spun_field: str,
               original_field: str) -> Iterator[tuple[str, str, str]]:
    """(pair id, spun, original) from JSONL files (two text fields per record; `repair pair`
    writes them), folders holding ``spun.txt`` and ``original.txt`` (directly or one level
    down), and ``--spun FILE --original FILE`` pairs."""
    for spun, original in pair or []:
        yield spun, _text(spun), _text(original)
    for src in sources:
        path = Path(src)
        if path.is_dir():
            folders = [path] if (path / "spun.txt").exists() else sorted(p.parent for p in path.glob("*/spun.txt"))
            for folder in folders:
                if (folder / "original.txt").exists():
                    yield str(folder), _text(str(folder / "spun.txt")), _text(str(folder / "original.txt"))
            continue
        for n, record in _records(src):
            a, b = record.get(spun_field), record.get(original_field)
            if isinstance(a, str) and isinstance(b, str):
                yield str(record.get("spun", f"{src}:{n}")), a, b


def register(app: typer.Typer) -> None:
    """Add the commands to the ``repair`` app."""

    @app.command()
    def learn(
        sources: Annotated[list[str] | None, typer.Argument(help="JSON Lines of pairs (as `repair pair` writes), or folders of spun.txt + original.txt.", show_default=False)] = None,
        spun_files: Annotated[list[str] | None, typer.Option("--spun", help="A spun file (repeatable; paired in order with --original).", show_default=False)] = None,
        original_files: Annotated[list[str] | None, typer.Option("--original", help="The original of the --spun file in the same place.", show_default=False)] = None,
        name: Annotated[str, typer.Option("--name", help="Provenance label: rows say learned:NAME.")] = "spinner",
        output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the rows here (default: stdout).")] = None,
        clean: Annotated[list[Path] | None, typer.Option("--clean", help="Clean texts (files or folders): a form met there is only ever a context row.")] = None,
        min_count: Annotated[int, typer.Option("--min-count", min=1, help="Swaps needed before a row is proposed.")] = 2,
        min_pairs: Annotated[int, typer.Option("--min-pairs", min=1, help="Pairs a swap must be seen in (one article's wording is not a habit).")] = 2,
        all_rows: Annotated[bool, typer.Option("--all", help="Also propose swaps the bundled lexicon already has.")] = False,
        spun_field: Annotated[str, typer.Option("--spun-field", help="JSONL field of the spun text.")] = "spun_text",
        original_field: Annotated[str, typer.Option("--original-field", help="JSONL field of the original.")] = "original_text",
    ) -> None:
        """Propose lexicon rows from aligned spun/original pairs (review them, then use with -l)."""
        from .learn import learn as learn_rows
        from .learn import render
        from .lexicon import load_entries

        if len(spun_files or []) != len(original_files or []):
            raise fail("--spun and --original must be given as many times each", EXIT_USAGE)
        pair = list(zip(spun_files or [], original_files or []))
        found = list(pairs_from(sources or [], pair, spun_field, original_field))
        if not found:
            raise fail("no pairs given: JSON Lines with spun_text/original_text, folders, or --spun FILE --original FILE", EXIT_USAGE)
        clean_texts = [_text(p) for p in Selection(include=TEXT_TYPES, exclude=DEFAULT_EXCLUDE).paths([str(c) for c in clean or []])
                       if not isinstance(p, InputError)]
        known = () if all_rows else {e.spun.casefold() for e in load_entries()}
        proposals = learn_rows(found, name, min_count=min_count, min_pairs=min_pairs, known=known, clean=clean_texts)
        text = render(proposals, name)
        if output is None:
            out(text)
        else:
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise fail(f"{output}: cannot write: {exc.strerror or exc}", EXIT_INPUT) from None
        say(f"{plural(len(found), 'pair')}, {plural(len(proposals), 'proposed row')}"
            + ("" if all_rows else " (swaps the bundled lexicon has are left out; --all keeps them)"))

    @app.command()
    def pair(
        paths: Annotated[list[str], typer.Argument(help="Files or folders of documents (spun copies and originals together).", show_default=False)],
        output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the pairs here (default: stdout).")] = None,
        threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0, help="Spin score from which a document counts as spun.")] = 0.5,
    ) -> None:
        """Find spun copies and their originals in a corpus: JSON Lines for `repair learn`."""
        from .pairing import find_pairs
        from .repairer import Repairer

        try:
            import datasketch  # noqa: F401
        except ImportError:
            raise fail("repair pair needs datasketch: pip install 'repair[pair]'", EXIT_DATA) from None
        docs = {}
        for item in Selection(include=TEXT_TYPES, exclude=DEFAULT_EXCLUDE).paths(paths):
            if isinstance(item, InputError):
                say(str(item))
                continue
            docs[str(item)] = _text(str(item))
        r = Repairer.from_lexicons()
        lines = []
        def rank(text: str) -> tuple[float, int]:
            found = r.scan(text)  # the spin score, then the spinner evidence, tell the copy
            return found.spin_score, sum(ev.count for ev in found.evidence)

        for p in find_pairs(docs, rank, threshold):
            lines.append(json.dumps({"spun": p.spun, "original": p.original, "similarity": p.similarity,
                                     "direction": p.direction, "spun_text": docs[p.spun],
                                     "original_text": docs[p.original]}, ensure_ascii=False) + "\n")
        if output is None:
            out("".join(lines))
        else:
            try:
                output.write_text("".join(lines), encoding="utf-8")
            except OSError as exc:
                raise fail(f"{output}: cannot write: {exc.strerror or exc}", EXIT_INPUT) from None
        say(f"{plural(len(docs), 'document')}, {plural(len(lines), 'pair')}")


def reference_index(paths: list[str]):
    """An index of the originals named by ``--reference``: files, folders, or JSON Lines of
    pairs (their ``original_text``)."""
    from .pairing import Index

    index = Index()
    for src in paths:
        if src.endswith((".jsonl", ".ndjson")) and Path(src).is_file():
            for n, record in _records(src):
                if isinstance(record.get("original_text"), str):
                    index.add(str(record.get("original", f"{src}:{n}")), record["original_text"])
            continue
        for item in Selection(include=TEXT_TYPES, exclude=DEFAULT_EXCLUDE).paths([src]):
            if isinstance(item, InputError):
                raise fail(str(item), EXIT_INPUT)
            index.add(str(item), _text(str(item)))
    return index
