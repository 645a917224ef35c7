"""Renderings of results: unified diffs, JSON records and edit explanations.

Every view renders the core's edit list; none recomputes anything.
"""

from __future__ import annotations

import difflib
import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from itertools import accumulate
from urllib.parse import quote

from .edits import Edit, Result, Scan, apply_edits

SCHEMA_VERSION = 1


_HUNK = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")


def unified_diff(name: str, before: str, after: str, *, line: int = 0, header: bool = True) -> str:
    """A unified diff of one document (or one part of a streamed document that starts after
    ``line`` line breaks), ``a/NAME`` to ``b/NAME``, with exact line endings."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    out = []
    for i, text in enumerate(lines):
        if i < 2 and not header:
            continue
        if line and text.startswith("@@"):
            text = _HUNK.sub(
                lambda m: f"@@ -{int(m[1]) + line}{m[2] or ''} +{int(m[3]) + line}{m[4] or ''} @@", text
            )
        out.append(text if text.endswith(("\n", "\r")) else text + "\n\\ No newline at end of file\n")
    return "".join(out)


def edit_diff(name: str, before: str, edits: Sequence[Edit], *, line: int = 0, header: bool = True,
              context: int = 3) -> str:
    """The unified diff that :func:`unified_diff` gives for ``before`` and the edits applied to
    it, built from the edits themselves: the changed lines are the lines the edits touch, so the
    cost is linear in the text (difflib's matching was quadratic on a long, densely edited
    part). Hunks carry ``context`` lines and merge as difflib's do."""
    if not edits:
        return ""
    old = before.splitlines(keepends=True)  # the lines difflib compares (\r, \f, \u2028 end one too)
    starts = list(accumulate((len(x) for x in old[:-1]), initial=0)) if old else [0]
    blocks: list[list] = []  # [first line, last line, edits] (0-based old line numbers)
    for e in sorted(edits, key=lambda e: e.start):
        a = bisect_right(starts, e.start) - 1
        b = bisect_right(starts, max(e.end - 1, e.start)) - 1
        if blocks and a <= blocks[-1][1] + 1:
            blocks[-1][1] = max(blocks[-1][1], b)
            blocks[-1][2].append(e)
        else:
            blocks.append([a, b, [e]])
    hunks: list[list] = []
    for block in blocks:
        if hunks and block[0] - hunks[-1][-1][1] - 1 <= 2 * context:
            hunks[-1].append(block)
        else:
            hunks.append([block])
    out = [f"--- a/{name}\n", f"+++ b/{name}\n"] if header else []
    delta = 0  # new minus old line count before the current hunk
    for hunk in hunks:
        lo = max(0, hunk[0][0] - context)
        hi = min(len(old), hunk[-1][1] + 1 + context)
        body: list[str] = []
        new_count = 0
        pos = lo
        for a, b, block_edits in hunk:
            body.extend(" " + x for x in old[pos:a])
            new_count += a - pos
            first = starts[a]
            piece = "".join(old[a:b + 1])
            changed = apply_edits(piece, [e._replace(start=e.start - first, end=e.end - first)
                                          for e in block_edits]).splitlines(keepends=True)
            body.extend("-" + x for x in old[a:b + 1])
            body.extend("+" + x for x in changed)
            new_count += len(changed)
            pos = b + 1
        body.extend(" " + x for x in old[pos:hi])
        new_count += hi - pos
        old_count = hi - lo
        out.append(f"@@ -{_range(lo, old_count, line)} +{_range(lo + delta, new_count, line)} @@\n")
        out.extend(x if x.endswith(("\n", "\r")) else x + "\n\\ No newline at end of file\n" for x in body)
        delta += new_count - old_count
    return "".join(out)


def _range(start: int, length: int, base: int) -> str:
    """difflib's unified range: 1-based start, the length unless it is 1."""
    first = start + 1 + base
    if length == 1:
        return f"{first}"
    if not length:
        first -= 1
    return f"{first},{length}"


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset (for one lookup; many use :class:`Lines`)."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


class Lines:
    """Line and column lookups in one text: the line starts are found once, and each lookup is
    a binary search, so rendering every edit of a part costs time in proportion to its length
    (counting line breaks afresh for each edit made long dense parts quadratic)."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts = starts

    def __call__(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset, as :func:`line_col`."""
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def _lines(text: str | Lines) -> Lines | Callable[[int], tuple[int, int]]:
    """A line and column lookup: the given :class:`Lines`, or :func:`line_col` for one lookup
    in a plain text (no table of line starts built for it)."""
    return text if isinstance(text, Lines) else partial(line_col, text)


def explain(name: str, text: str, edits: Iterable[Edit], prefix: str = "", *, line_base: int = 0) -> str:
    """One line per edit: ``NAME:LINE:COL: before -> after  [entry, tier, confidence] reason``."""
    out = []
    where = Lines(text)
    for e in edits:
        line, col = where(e.start)
        line += line_base
        out.append(
            f"{prefix}{name}:{line}:{col}: {e.before!r} -> {e.after!r}  "
            f"[{e.entry}, {e.tier}, {e.confidence:.2f}] {e.reason}\n"
        )
    return "".join(out)


def edit_fields(text: str | Lines, edit: Edit, *, applied: bool, offset: int = 0, line_base: int = 0) -> dict[str, object]:
    """The one layout of an edit in every JSON output: its line and column, whether it was
    applied, and the :class:`Edit` fields (``start``/``end`` in the whole input)."""
    line, col = _lines(text)(edit.start)
    record = {"line": line + line_base, "column": col, "applied": applied, **edit.to_dict()}
    record["start"] = edit.start + offset
    record["end"] = edit.end + offset
    return record


def edit_record(
    name: str, text: str | Lines, edit: Edit, *, applied: bool, offset: int = 0, line_base: int = 0
) -> dict[str, object]:
    """A JSON-ready record of one edit (``--format jsonl``): the schema version and path, then
    :func:`edit_fields`. Pass a :class:`Lines` of the text when rendering many edits of it."""
    return {"version": SCHEMA_VERSION, "path": name,
            **edit_fields(text, edit, applied=applied, offset=offset, line_base=line_base)}


def result_record(
    name: str, text: str, result: Result, *, offset: int = 0, line_base: int = 0
) -> dict[str, object]:
    """A JSON-ready record of one document's (or streamed part's) repair."""
    where = {"offset": offset, "line_base": line_base}
    lines = Lines(text)
    return {
        "version": SCHEMA_VERSION,
        "path": name,
        "offset": offset,
        "spin_score": result.scan.spin_score,
        "spun": result.scan.spun,
        "edits": [edit_record(name, lines, e, applied=True, **where) for e in result.edits],
        "suggestions": [edit_record(name, lines, e, applied=False, **where) for e in result.suggestions],
    }


def result_record_chunks(
    name: str, text: str, result: Result, *, offset: int = 0, line_base: int = 0
) -> Iterator[str]:
    """:func:`result_record` as JSON text in pieces (about a thousand edits each), so that a
    long, densely edited document is written without holding every edit's record at once. The
    pieces joined are ``dumps(result_record(...))``."""
    where = {"offset": offset, "line_base": line_base}
    lines = Lines(text)
    head = dumps({"version": SCHEMA_VERSION, "path": name, "offset": offset,
                  "spin_score": result.scan.spin_score, "spun": result.scan.spun})[:-1]
    parts = [head + ', "edits": [']
    for key, items, applied in (("edits", result.edits, True), ("suggestions", result.suggestions, False)):
        if key == "suggestions":
            parts.append('], "suggestions": [')
        for i, e in enumerate(items):
            parts.append(("" if i == 0 else ", ") + dumps(edit_record(name, lines, e, applied=applied, **where)))
            if len(parts) >= 1000:
                yield "".join(parts)
                parts = []
    parts.append("]}")
    yield "".join(parts)


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


def _command_data(s: str) -> str:
    """Escape a workflow command's message as GitHub's toolkit does."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _command_property(s: str) -> str:
    """Escape a workflow command's property (a file name): a newline cannot start a command of
    its own, nor a comma or colon another property."""
    return _command_data(s).replace(":", "%3A").replace(",", "%2C")


def github_annotations(name: str, text: str, edits: Iterable[Edit], *, line_base: int = 0,
                       suggestions: Iterable[Edit] = ()) -> str:
    """GitHub Actions workflow commands: a warning per edit, a notice per suggestion, each with
    its start and end, escaped as the toolkit escapes."""
    out = []
    where = Lines(text)
    file = _command_property(name)
    for level, items in (("warning", edits), ("notice", suggestions)):
        for e in items:
            line, col = where(e.start)
            end_line, end_col = where(e.end)
            what = "suggestion: " if level == "notice" else ""
            msg = _command_data(f"{what}{e.before!r} -> {e.after!r} ({e.entry}, {e.tier}, {e.confidence:.2f})")
            out.append(f"::{level} file={file},line={line + line_base},col={col},"
                       f"endLine={end_line + line_base},endColumn={end_col},title=repair::{msg}\n")
    return "".join(out)


def sarif_uri(name: str) -> str:
    """A path as a SARIF ``uri``: percent-encoded (RFC 3986), relative paths kept relative,
    absolute ones as ``file://`` URIs."""
    from pathlib import PurePath

    path = PurePath(name)
    if path.is_absolute():
        return "file://" + quote(path.as_posix(), safe="/")
    return quote(path.as_posix(), safe="/")


_TIER_HELP = {
    "certain": "never normal English: applied in every document",
    "likely": "rarely normal English: applied in documents whose spin score shows they are spun",
    "context": "normal English that is a spin only in the contexts its entry names: applied there, "
               "in spun documents",
    "suggest": "several possible originals, or below the confidence cut: reported, never written",
}
_CATEGORY_HELP = {
    "abbreviation": "an abbreviation or number the spinner read as words (U.Okay. for U.K.)",
    "name": "a name, title or institution with a spun word (White Home for White House)",
    "collocation": "a multi-word phrase whose spun form is implausible English (pure gasoline for natural gas)",
    "word": "a single word the spinner swapped for a thesaurus synonym (mentioned for said)",
    "user": "an entry of a user lexicon",
}


def sarif_rule_id(category: str, tier: str) -> str:
    """A rule per category and tier ("spun-name-certain"): stable when lexicon rows move."""
    return f"spun-{category or 'user'}-{tier}"


def sarif_rules() -> list[dict[str, object]]:
    """Every rule a result may name, with its description and help text."""
    rules = []
    for category, what in _CATEGORY_HELP.items():
        for tier, how in _TIER_HELP.items():
            words = [w.capitalize() for w in ("spun", category, tier)]
            rules.append({
                "id": sarif_rule_id(category, tier),
                "name": "".join(words),
                "shortDescription": {"text": f"Spun {category} ({tier})"},
                "fullDescription": {"text": f"Synonym-spun text: {what}. Tier {tier}: {how}."},
                "help": {"text": f"Replace the spun {category} with the original the result names, after "
                                 f"checking it; `repair lexicon lookup PHRASE` explains the entry, and "
                                 f"`repair review` decides edit by edit."},
                "defaultConfiguration": {"level": "note" if tier == "suggest" else "warning"},
            })
    return rules


def sarif_result(name: str, text: str | Lines, edit: Edit, *, line_base: int = 0,
                 suggestion: bool = False) -> dict[str, object]:
    """One SARIF 2.1.0 result for an edit or, as a note without a fix, a suggestion (pass a
    :class:`Lines` when rendering many). ``ruleId`` names the category and tier; the lexicon
    row is a property, as it moves when the lexicon changes."""
    where = _lines(text)
    line, col = where(edit.start)
    end_line, end_col = where(edit.end)
    uri = sarif_uri(name)
    tier = "suggest" if suggestion else edit.tier
    category = edit.category if edit.category in _CATEGORY_HELP else "user"
    region = {"startLine": line + line_base, "startColumn": col,
              "endLine": end_line + line_base, "endColumn": end_col}
    result: dict[str, object] = {
        "ruleId": sarif_rule_id(category, tier),
        "level": "note" if suggestion else "warning",
        "message": {"text": f"{edit.before!r} looks spun; original: {edit.after!r}. {edit.reason}"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
        "properties": {"entry": edit.entry, "tier": edit.tier, "confidence": edit.confidence},
    }
    if not suggestion:
        result["fixes"] = [{"description": {"text": f"replace with {edit.after!r}"}, "artifactChanges": [{
            "artifactLocation": {"uri": uri},
            "replacements": [{"deletedRegion": region, "insertedContent": {"text": edit.after}}],
        }]}]
    return result


def sarif_log(results: list[dict[str, object]], version: str) -> dict[str, object]:
    """A SARIF 2.1.0 log with one run of ``repair`` and its rules."""
    return {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": {"name": "repair", "version": version,
                                      "informationUri": "https://pypi.org/project/repair/",
                                      "rules": sarif_rules()}},
                  "results": results}],
    }
