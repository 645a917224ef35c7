"""Same-document consistency: a spun word the document itself shows rewritten elsewhere.

A spinner rewrites a word the same way throughout a document ("series" -> "collection" in the
headline and in four sentences). Where an applied edit restored a context entry's canonical
("collection" -> "series" before "finale"), the same spun word elsewhere in that document, whose
own context clause did not hold ("the collection was renewed"), is read the same way: the
document is its own evidence. Only for patterns whose entries all write one canonical (so
"present", show or current, is never guessed), in documents found spun, not in a quotation the
spinner kept (as for any weak edit), not beside a word an entry's ``after!=``/``before!=``
list names, and not for a word the document leaves alone more than :data:`MAX_LEFT` times per
edit of it. Measured out of fold on the dev set's family-A pairs
(``benchmarks/calibration.py --relaxed``): of the candidates the context clauses keep out, those
whose rewrite the document already has were right 31 times, wrong never (neutral 3, all
"present"); the others 103 right, 20 wrong. It can still rewrite a word the spinner left alone
beside one it swapped ("visitor announcers ... visitor numbers").
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Container, Iterable, Sequence
from operator import itemgetter
from typing import NamedTuple

from .context import WordSet, next_token, prev_token
from .edits import Edit
from .lexicon import PROTECT, Entry
from .matcher import Candidate, candidate_order, overlaps_sorted

MAX_LEFT = 2
"""How many occurrences of a word the document left alone, per edit of it, the rule follows the
edit into: the dev set's family-A pairs show at most two ("safety" rewritten once, left twice).
A field's common word that the spinner also writes for another ("viewers" for "audience" in TV
news) is left alone more often than that."""

Rule = tuple[tuple[Entry, ...], str, tuple[tuple[WordSet | None, WordSet | None], ...]]
"""A pattern's context entries (in rule order), the one canonical they write, and the
(``after!=``, ``before!=``) word sets of all its entries: a word an entry says the spun word is
real beside ("manufacturing jobs") vetoes the occurrence."""


class Plan(NamedTuple):
    """What the rule may extend, worked out once per lexicon and config."""

    rules: dict[int, Rule]  # per pattern number
    # per entry origin ("words.tsv:72"): (pattern, spun phrase, canonical), lower case, of the
    # patterns whose entries it is one of (user lexicons may repeat an origin)
    keys: dict[str, tuple[tuple[int, str, str], ...]]
    flags: bytes = b""  # one byte per pattern number, 1 for those in ``rules`` (for the core)


def plan(rules: Sequence[Sequence[tuple[Entry, object, bool, bool]]], min_confidence: float) -> Plan:
    """The patterns this rule may extend: every entry that is not ``protect`` writes the same
    single canonical, and a ``context`` entry of confidence ``min_confidence`` or more exists."""
    out: dict[int, Rule] = {}
    keys: dict[str, tuple[tuple[int, str, str], ...]] = {}
    for p, group in enumerate(rules):
        entries = [r[0] for r in group if r[0].tier != PROTECT]
        if not entries or len({e.canonicals for e in entries}) != 1 or len(entries[0].canonicals) != 1:
            continue
        ctx = tuple(e for e in entries if e.tier == "context" and e.confidence >= min_confidence)
        if ctx:
            vetoes = tuple((e.context.not_after, e.context.not_before) for e in entries
                           if e.context.not_after is not None or e.context.not_before is not None)
            out[p] = (ctx, entries[0].canonicals[0], vetoes)
            item = (p, entries[0].spun.lower(), entries[0].canonicals[0].lower())
            for e in entries:
                if item not in keys.get(e.origin, ()):
                    keys[e.origin] = (*keys.get(e.origin, ()), item)
    return Plan(out, keys, bytes(mask(out, len(rules))))


def evidence(found: Plan, edits: Iterable[Edit], patterns: Container[int] | None = None) -> dict[int, list[Edit]]:
    """Per planned pattern (of ``patterns``, default all), the ``edits`` made by one of its
    entries that rewrote its spun phrase to its canonical, in text order: the patterns worth
    looking for in this document. (Compared in lower case: an edit that kept a line break
    inside its phrase is no evidence.)"""
    out: dict[int, list[Edit]] = {}
    keys = found.keys
    for e in edits:
        hit = keys.get(e.entry)
        if hit is not None:
            before = after = None
            for p, spun, canonical in hit:
                if patterns is not None and p not in patterns:
                    continue
                if before is None:
                    before, after = e.before.lower(), e.after.lower()
                if before == spun and after == canonical:
                    out.setdefault(p, []).append(e)
    return out


def mask(patterns: Iterable[int], size: int) -> bytearray:
    """One byte per pattern number below ``size``: 1 for ``patterns``."""
    flags = bytearray(size)
    for p in patterns:
        flags[p] = 1
    return flags


def free_candidates(
    cands: Iterable[Candidate], patterns: Container[int], hits: Sequence[tuple[int, int]],
) -> list[Candidate]:
    """The candidates of ``patterns`` that overlap none of the pass's ``hits`` (sorted and
    disjoint): the reference of the native ``Document.consistent``'s first step."""
    starts = [s for s, _ in hits]
    return [c for c in cands if c[2] in patterns and not overlaps_sorted(c[0], c[1], hits, starts)]


def extend(
    text: str, edits: Sequence[Edit], cands: Sequence[Candidate], found: Plan, seen: dict[int, list[Edit]],
    kept: Callable[[int], bool],
) -> list[tuple[int, int, Entry, str, Edit]]:
    """The occurrences to rewrite as the document's own edits do: (start, end, entry,
    canonical, the edit that is the evidence), in text order. ``cands``: candidates of the
    patterns in ``seen`` (:func:`evidence`) that overlap none of the pass's hits
    (:func:`free_candidates`), nor may they overlap an edit (a fuzzy name spans several
    words); ``kept``: is a position inside a quotation the spinner kept verbatim (one whose
    quotations show no spins, as for any weak edit: the speaker's own word, left alone). A
    pattern the document leaves alone more than :data:`MAX_LEFT` times for each time it was
    rewritten is the document's own word there: none of its occurrences is rewritten."""
    # (with MAX_LEFT candidates or fewer no pattern can be left alone too often: not counted)
    left = Counter(map(_PATTERN, cands)) if len(cands) > MAX_LEFT else None
    out: list[tuple[int, int, Entry, str, Edit]] = []
    last_end = -1
    for start, end, p in sorted(cands, key=candidate_order):
        if start < last_end or (left is not None and left[p] > MAX_LEFT * len(seen[p])) or kept(start):
            continue
        k = bisect_right(edits, end - 1, key=_START) - 1  # edits: in text order and disjoint
        if k >= 0 and edits[k].end > start:
            continue
        entries, canonical, vetoes = found.rules[p]
        before = text[start:end]
        entry = next((e for e in entries if e.context.case_matches(before, e.spun)), None)
        if entry is None or (vetoes and _vetoed(text, start, end, vetoes)):
            continue
        out.append((start, end, entry, canonical, seen[p][0]))
        last_end = end
    return out


def _vetoed(text: str, start: int, end: int, vetoes: Sequence[tuple[WordSet | None, WordSet | None]]) -> bool:
    """Does an entry's ``after!=`` or ``before!=`` list hold the word beside the occurrence?"""
    nxt, prv = next_token(text, end), prev_token(text, start)
    return any((after is not None and after.contains(nxt)) or (before is not None and before.contains(prv))
               for after, before in vetoes)


_START = itemgetter(0)  # an Edit's start
_PATTERN = itemgetter(2)  # a candidate's pattern
