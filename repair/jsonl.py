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
from .parallel import run_ordered
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
        fh = gzip.open(path, mode + "t", encoding="utf-8", newline="")
    elif path.endswith(".zst"):
        try:
            import zstandard
        except ImportError:
            raise InputError(f"{path}: reading .zst needs the zstandard package (pip install 'repair[zstd]')") from None
        fh = zstandard.open(path, mode + "t", encoding="utf-8", newline="")
    else:
        fh = open(path, mode, encoding="utf-8", newline="")  # noqa: SIM115
    try:
        yield fh
    finally:
        fh.close()


def _parse(lines: Iterable[str], text_field: str, stats: Stats, policy: str) -> Iterator[_Line]:
    for number, raw in enumerate(lines, start=1):
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
    parsed = _parse(lines, text_field, stats, on_error)

    def text_of(line: _Line) -> str:
        return line.record[text_field] if line.record is not None else ""

    for line, result in run_ordered(repairer, parsed, text_of, jobs=jobs, scan=scan_only):
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
