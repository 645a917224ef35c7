"""JSON Lines as a pipeline step: repair (or score) one text field per record, keep the rest.

Records stay in input order and keep every other field as it was. Malformed lines (not JSON,
not an object, the field missing or not a string) are handled by policy: ``fail`` stops with an
error naming the line, ``skip`` drops the line, ``keep`` passes it through unchanged; skipped
and kept lines are counted so nothing is dropped silently. Files ending in ``.gz`` or ``.zst``
are read and written compressed.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO

from .errors import InputError
from .parallel import map_ordered, run_ordered
from .repairer import Repairer

POLICIES = ("fail", "skip", "keep")


@dataclass
class Stats:
    """What happened to the lines of a JSONL run."""

    records: int = 0
    changed: int = 0
    skipped: int = 0
    kept_malformed: int = 0
    filtered: int = 0
    problems: list[str] = field(default_factory=list)

    def merge(self, other: Stats) -> None:
        """Add another part's counts (from a worker) to these."""
        self.records += other.records
        self.changed += other.changed
        self.skipped += other.skipped
        self.kept_malformed += other.kept_malformed
        self.filtered += other.filtered
        self.problems.extend(other.problems)


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    raw: str
    record: dict | None  # None: malformed
    problem: str = ""


@contextmanager
def open_text(path: str, mode: str = "r") -> Iterator[IO[str]]:
    """Open a path (``-`` for stdin/stdout) as UTF-8 text, gzip or zstd by extension."""
    if path == "-":
        stream = sys.stdin.buffer if "r" in mode else sys.stdout.buffer
        wrapper = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        try:
            yield wrapper
        finally:
            if "w" in mode:
                wrapper.flush()
            wrapper.detach()
        return
    if path.endswith(".gz"):
        fh = gzip.open(path, mode + "t", encoding="utf-8", newline="")  # noqa: SIM115 (closed in the finally below)
    elif path.endswith(".zst"):
        try:
            import zstandard
        except ImportError:
            raise InputError(f"{path}: reading .zst needs the zstandard package (pip install 'repair[zstd]')") from None
        fh = zstandard.open(path, mode + "t", encoding="utf-8", newline="")
    else:
        fh = open(path, mode, encoding="utf-8", newline="")  # noqa: SIM115 (closed in the finally below)
    try:
        yield fh
    finally:
        fh.close()


def _parse(lines: Iterable[str], text_field: str, stats: Stats, policy: str, first: int = 1) -> Iterator[_Line]:
    for number, raw in enumerate(lines, start=first):
        if not raw.strip():
            continue
        problem = ""
        record = None
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            problem = f"not JSON ({exc.msg})"
        if record is not None and not isinstance(record, dict):
            problem, record = "not a JSON object", None
        elif record is not None and not isinstance(record.get(text_field), str):
            problem = f"no string field {text_field!r}"
            record = None
        if record is None:
            message = f"line {number}: {problem}"
            if policy == "fail":
                raise InputError(message + " (use --on-error skip or keep to go on)")
            stats.problems.append(message)
        yield _Line(number, raw, record, problem)


def process(
    lines: Iterable[str],
    repairer: Repairer,
    *,
    text_field: str = "text",
    scan_only: bool = False,
    score_key: str | None = None,
    edits_key: str | None = None,
    on_error: str = "fail",
    min_score: float | None = None,
    max_score: float | None = None,
    jobs: int = 1,
    stats: Stats | None = None,
) -> Iterator[str]:
    """Yield output lines (with their newline) for JSONL input ``lines``; see the module doc."""
    if on_error not in POLICIES:
        raise ValueError(f"on_error must be one of {POLICIES}")
    stats = stats if stats is not None else Stats()
    options = {"text_field": text_field, "scan_only": scan_only, "score_key": score_key, "edits_key": edits_key,
               "on_error": on_error, "min_score": min_score, "max_score": max_score}
    if jobs > 1:
        # Workers take raw lines and give back output lines: parsing, repairing and writing JSON
        # all happen there, and the parent only moves text.
        for out, part in map_ordered(_process_batch, _line_batches(lines), jobs=jobs,
                                     initializer=_init, initargs=(repairer, options)):
            stats.merge(part)
            yield from out
        return
    yield from _process(lines, repairer, stats, 1, **options)


_WORKER: tuple[Repairer, dict] | None = None
BATCH_CHARS = 1_000_000


def _init(repairer: Repairer, options: dict) -> None:
    global _WORKER
    _WORKER = (repairer, options)


def _line_batches(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """(number of the first line, lines) in batches of about ``BATCH_CHARS``."""
    batch: list[str] = []
    first, size = 1, 0
    for number, raw in enumerate(lines, start=1):
        if not batch:
            first = number
        batch.append(raw)
        size += len(raw)
        if size >= BATCH_CHARS:
            yield first, batch
            batch, size = [], 0
    if batch:
        yield first, batch


def _process_batch(job: tuple[int, list[str]]) -> tuple[list[str], Stats]:
    assert _WORKER is not None
    repairer, options = _WORKER
    first, lines = job
    stats = Stats()
    return list(_process(lines, repairer, stats, first, **options)), stats


def _process(lines: Iterable[str], repairer: Repairer, stats: Stats, first: int, *, text_field: str,
             scan_only: bool, score_key: str | None, edits_key: str | None, on_error: str,
             min_score: float | None, max_score: float | None) -> Iterator[str]:
    parsed = _parse(lines, text_field, stats, on_error, first)

    def text_of(line: _Line) -> str:
        return line.record[text_field] if line.record is not None else ""

    for line, result in run_ordered(repairer, parsed, text_of, jobs=1, scan=scan_only):
        if line.record is None:
            if on_error == "skip":
                stats.skipped += 1
            else:
                stats.kept_malformed += 1
                yield line.raw if line.raw.endswith("\n") else line.raw + "\n"
            continue
        stats.records += 1
        scan = result if scan_only else result.scan
        if (min_score is not None and scan.spin_score < min_score) or (
            max_score is not None and scan.spin_score > max_score
        ):
            stats.filtered += 1
            continue
        record = line.record
        if not score_key and not (edits_key and not scan_only) and (scan_only or not result.changed):
            yield line.raw if line.raw.endswith("\n") else line.raw + "\n"  # byte-for-byte
            continue
        if not scan_only and result.changed:
            stats.changed += 1
            record[text_field] = result.text
        if score_key:
            record[score_key] = scan.spin_score
        if edits_key and not scan_only:
            record[edits_key] = [e.to_dict() for e in result.edits]
        yield json.dumps(record, ensure_ascii=False) + "\n"
