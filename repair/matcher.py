"""Find lexicon phrases in text: an Aho-Corasick automaton plus a naive reference matcher.

Both report every whole-word, case-insensitive occurrence as ``(start, end, pattern)`` with
offsets into the original text (never into a transformed copy), so a leftmost-longest selection
can then pick non-overlapping matches. The reference matcher exists to test the fast one.
"""

from __future__ import annotations

import os
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter

import ahocorasick_rs

from .errors import BackendError

Candidate = tuple[int, int, int]
"""(start, end, pattern index) with offsets into the original text."""

_DOTTED_CAPITAL_I = "\u0130"  # the one code point whose lower() is longer than itself
_UNIFY = (("\u2019", "'"), ("\u2018", "'"), ("\u02bc", "'"), ("\n", " "), ("\t", " "), ("\u00a0", " "))


_SURROGATE = re.compile("[\ud800-\udfff]")


def fold(text: str) -> str:
    """Lower-case ``text``, unify apostrophes and turn a line break, tab or no-break space into a
    space, all without changing its length, so offsets stay valid: "1000’s" matches "1000's" and
    a phrase broken across lines ("White\nHome") matches "White Home"."""
    if _DOTTED_CAPITAL_I in text:
        text = text.replace(_DOTTED_CAPITAL_I, "\x00")
    text = text.lower()
    for old, new in _UNIFY:  # str.replace scans in C, several times faster than translate
        if old in text:
            text = text.replace(old, new)
    if not text.isascii() and _SURROGATE.search(text):  # the automaton takes UTF-8, which has none
        text = _SURROGATE.sub("\ufffd", text)  # (a lone one arrives escaped in JSON); no pattern holds one
    return text


_SAFE = frozenset(chr(c) for c in range(128) if not chr(c).isalnum() and chr(c) not in "_-")
"""ASCII characters that end a word wherever they stand (hyphens and underscores may join)."""


def is_word_char(c: str) -> bool:
    """Letters, digits, underscore and combining marks continue a word."""
    return c.isalnum() or c == "_" or unicodedata.category(c)[0] == "M"


def at_word_bounds(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` does not cut through a word at either edge.

    A hyphen between letters joins words ("heavy-handed" holds no whole word "handed").
    """
    if start > 0 and is_word_char(text[start]):
        before = text[start - 1]
        if is_word_char(before) or (before == "-" and start > 1 and is_word_char(text[start - 2])):
            return False
    if end < len(text) and is_word_char(text[end - 1]):
        after = text[end]
        if is_word_char(after) or (after == "-" and end + 1 < len(text) and is_word_char(text[end + 1])):
            return False
    return True


class Matcher:
    """Whole-word, case-insensitive multi-phrase matcher built once over a pattern list."""

    __slots__ = ("_automaton", "patterns")

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns: tuple[str, ...] = tuple(fold(p) for p in patterns)
        if len(set(self.patterns)) != len(self.patterns):
            raise ValueError("patterns must be distinct after case folding")
        self._automaton = (
            ahocorasick_rs.AhoCorasick(list(self.patterns)) if self.patterns else None
        )

    def candidates(self, text: str) -> list[Candidate]:
        """All whole-word occurrences, overlapping ones included, sorted by position."""
        return self.split_candidates(text, len(self.patterns))[0]

    def split_candidates(self, text: str, split: int) -> tuple[list[Candidate], list[Candidate]]:
        """:meth:`candidates` in two lists from one scan: those of the patterns numbered below
        ``split``, and the others (which a caller may need only for some texts)."""
        if self._automaton is None or not text:
            return [], []
        hits = self._automaton.find_matches_as_indexes(fold(text), overlapping=True)
        n = len(text)
        found: list[Candidate] = []
        rest: list[Candidate] = []
        safe = _SAFE
        for p, s, e in hits:
            before = text[s - 1] if s else " "
            after = text[e] if e < n else " "
            # fast path: an ASCII space or punctuation mark on both sides is always a boundary;
            # fast rejection: a letter or digit on either side continues a word ("homework")
            if (before in safe and after in safe) or (
                not ((before.isalnum() and text[s].isalnum()) or (after.isalnum() and text[e - 1].isalnum()))
                and at_word_bounds(text, s, e)
            ):
                (found if p < split else rest).append((s, e, p))
        sort_candidates(found)
        if rest:
            sort_candidates(rest)
        return found, rest


BACKENDS = ("auto", "native", "python")
"""``auto``: the compiled core where it was built, unless the environment sets
``REPAIR_NATIVE=0``; ``native``: the compiled core or an error; ``python``: the pure-Python
reference."""


def native_built() -> bool:
    """Was the compiled core built at install time?"""
    try:
        from . import _core  # noqa: F401
    except ImportError:
        return False
    return True


def native_available() -> bool:
    """Would ``backend="auto"`` choose the compiled core (built, and not ``REPAIR_NATIVE=0``)?"""
    return os.environ.get("REPAIR_NATIVE", "1") != "0" and native_built()


def check_kernel_fields() -> None:
    """Refuse a context clause or word class the compiled core does not know: it would be
    ignored there and the two backends would disagree silently."""
    from dataclasses import fields

    from ._core import KNOWN_CONTEXT_FIELDS, KNOWN_WORD_CLASSES
    from .context import _CLASSES, Context

    unknown = {f.name for f in fields(Context)} - KNOWN_CONTEXT_FIELDS
    unknown |= set(_CLASSES) - KNOWN_WORD_CLASSES
    if unknown:
        raise BackendError(f"the native core does not know {', '.join(sorted(unknown))}: teach "
                           "repair/_core.pyx (and its KNOWN_* sets) or run backend='python'")


def native_core(
    patterns: Sequence[str], split: int, rules: Sequence[Sequence[tuple]] | None = None,
    helpers: tuple | None = None, *, backend: str = "auto",
) -> object | None:
    """The compiled core (``repair._core.Core``) over these patterns, or None for the Python
    path: ``backend="python"``; ``"auto"`` where the core was not built (no C compiler at
    install time), where ``REPAIR_NATIVE=0``, or where the patterns need what only the Python
    path handles. ``backend="native"`` raises :class:`BackendError` in those cases instead."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r} (one of {', '.join(BACKENDS)})")
    if backend == "python" or (backend == "auto" and not native_available()):
        return None
    if not native_built():
        raise BackendError("backend='native' but the native core was not built (no C compiler at install time?)")
    check_kernel_fields()
    if not patterns:
        return None  # an empty lexicon: the Python path finds nothing just as well
    from ._core import Core

    try:
        return Core([fold(p) for p in patterns], split, rules, helpers)
    except NotImplementedError as exc:
        if backend == "native":
            raise BackendError(f"the native core cannot take these patterns: {exc}") from exc
        return None


def reference_candidates(patterns: Sequence[str], text: str) -> list[Candidate]:
    """Naive matcher with the same contract as :meth:`Matcher.candidates`, for tests."""
    folded = fold(text)
    found = []
    for idx, pat in enumerate(fold(p) for p in patterns):
        i = folded.find(pat)
        while i != -1:
            if at_word_bounds(text, i, i + len(pat)):
                found.append((i, i + len(pat), idx))
            i = folded.find(pat, i + 1)
    found.sort(key=candidate_order)
    return found


def sort_candidates(cands: list[Candidate]) -> list[Candidate]:
    """Sort in place (and return) by start, longest first, then pattern index: the order of
    :func:`candidate_order`, as three C-level stable sorts instead of a Python key call each."""
    cands.sort(key=_PATTERN)
    cands.sort(key=_END, reverse=True)  # reverse=True keeps equal items in their order
    cands.sort(key=_START)
    return cands


_START, _END, _PATTERN = itemgetter(0), itemgetter(1), itemgetter(2)


def overlaps_sorted(start: int, end: int, spans: Sequence[tuple[int, int]], starts: Sequence[int]) -> bool:
    """Does [start, end) overlap a span? ``spans`` sorted and non-overlapping, ``starts`` theirs."""
    i = bisect_right(starts, end - 1) - 1  # the last span starting before ``end``
    return i >= 0 and spans[i][1] > start


def candidate_order(c: Candidate) -> tuple[int, int, int]:
    """Sort key for candidates: by start, longest first, then pattern index."""
    return (c[0], -c[1], c[2])


def leftmost_longest(
    candidates: Iterable[Candidate], accept: Callable[[Candidate], bool] | None = None
) -> list[Candidate]:
    """Pick non-overlapping candidates, leftmost first and longest at each start.

    ``candidates`` must be sorted by (start, -end). Candidates rejected by ``accept`` are
    skipped, so a shorter acceptable match can still be taken where a longer one is not.
    The reference for the Repairer's hot loop, which writes this selection inline (a property
    test holds the two together).
    """
    chosen: list[Candidate] = []
    pos = 0
    for cand in candidates:
        if cand[0] < pos:
            continue
        if accept is not None and not accept(cand):
            continue
        chosen.append(cand)
        pos = cand[1]
    return chosen
