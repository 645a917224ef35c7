"""Renderings of results: unified diffs, JSON records and edit explanations.

Every view renders the core's edit list; none recomputes anything.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable

from .edits import Edit, Result, Scan

SCHEMA_VERSION = 1


def unified_diff(name: str, before: str, after: str) -> str:
    """A unified diff of one document, ``a/NAME`` to ``b/NAME``, with exact line endings."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def explain(name: str, text: str, edits: Iterable[Edit], prefix: str = "") -> str:
    """One line per edit: ``NAME:LINE:COL: before -> after  [entry, tier, confidence] reason``."""
    out = []
    for e in edits:
        line, col = line_col(text, e.start)
        out.append(
            f"{prefix}{name}:{line}:{col}: {e.before!r} -> {e.after!r}  "
            f"[{e.entry}, {e.tier}, {e.confidence:.2f}] {e.reason}\n"
        )
    return "".join(out)


def edit_record(name: str, text: str, edit: Edit, *, applied: bool) -> dict[str, object]:
    """A JSON-ready record of one edit, with its line and column."""
    line, col = line_col(text, edit.start)
    return {"version": SCHEMA_VERSION, "path": name, "line": line, "column": col,
            "applied": applied, **edit.to_dict()}


def result_record(name: str, text: str, result: Result) -> dict[str, object]:
    """A JSON-ready record of one document's repair."""
    return {
        "version": SCHEMA_VERSION,
        "path": name,
        "spin_score": result.scan.spin_score,
        "spun": result.scan.spun,
        "edits": [edit_record(name, text, e, applied=True) for e in result.edits],
        "suggestions": [edit_record(name, text, e, applied=False) for e in result.suggestions],
    }


def scan_record(name: str, scan: Scan, top: int = 10) -> dict[str, object]:
    """A JSON-ready record of one document's scan, with its top evidence."""
    return {
        "version": SCHEMA_VERSION,
        "path": name,
        "spin_score": scan.spin_score,
        "spun": scan.spun,
        "words": scan.words,
        "evidence": [ev.to_dict() for ev in scan.evidence[:top]],
    }


def dumps(record: object) -> str:
    """Compact, stable JSON (keys in insertion order, non-ASCII kept)."""
    return json.dumps(record, ensure_ascii=False)
