"""Fuzzy matching of spun names against the gazetteer, with rapidfuzz.

In a document already found spun, runs of capitalised words (a cheap regular-expression
prefilter; lower-case "of", "and", "the", "for", "on" may sit inside) are scored, with known spinner
swaps put back, against every gazetteer name of the same length in one batch (``rapidfuzz.process.cdist`` with
``score_cutoff``). A run is a spun name when, token by token, it differs from the name only by
known spinner swaps and at most one near-identical spelling (``TOKEN_CUTOFF``), keeps at least
one token, and scores at least ``NAME_CUTOFF`` overall. Such matches are applied from
``APPLY_CUTOFF`` up and otherwise only suggested.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex
from rapidfuzz import fuzz, process

NAME_CUTOFF = 80.0
"""Minimum rapidfuzz ratio (0-100) between a run and a gazetteer name to consider it."""
TOKEN_CUTOFF = 85.0
"""Minimum ratio for a differing token that is not a known swap (a typo, an inflection)."""
APPLY_CUTOFF = 90.0
"""From this name score up, with only known swaps among the differences, the fix is applied."""

_SMALL = "of|and|the|for|on|in|to|&"
_CAP = r"(?:[A-Z][\w'’.-]*)"
RUN = regex.compile(rf"\b{_CAP}(?:\s+(?:(?:{_SMALL})\s+)*{_CAP})+")
_TOKEN = regex.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class FuzzyMatch:
    """A run of the text that looks like a spun gazetteer name."""

    start: int
    end: int
    name: str
    score: float
    swaps: tuple[tuple[str, str], ...]  # (spun token, canonical token) pairs that differ
    known: bool  # every difference is a known spinner swap
    line: int  # gazetteer line, for the explanation


class NameIndex:
    """Gazetteer names grouped by token count, with the swap pairs the spinner is known to make."""

    def __init__(self, names: Sequence[tuple[str, int]], swap_pairs: Iterable[tuple[str, str]]) -> None:
        self.by_len: dict[int, tuple[list[str], list[int]]] = {}
        for name, line in names:
            n = len(name.split())
            group = self.by_len.setdefault(n, ([], []))
            group[0].append(name)
            group[1].append(line)
        # (spun, canonical) word pairs; multi-word spun forms are matched token by token elsewhere
        pairs = [(s, c) for s, c in swap_pairs if " " not in s and " " not in c]
        self.known = {(s.lower(), c.lower()) for s, c in pairs}
        self.undo: dict[str, str] = {}
        for s, c in pairs:
            self.undo.setdefault(s, c)
        self.names = {name for name, _ in names}
        self.longest = max(self.by_len, default=0)

    def _normalise(self, run: str) -> str:
        """The run with each known spun word put back, so that only unknown differences cost."""
        return " ".join(self.undo.get(t, t) for t in run.split())

    def find(
        self, text: str, taken: Sequence[tuple[int, int]] = (), inner: Sequence[tuple[int, int]] = ()
    ) -> list[FuzzyMatch]:
        """Fuzzy name matches in ``text``: windows of capitalised runs (a run may hold several
        names, "The Good Battle on CBS All Entry") that overlap none of the ``taken`` spans and
        hold each ``inner`` span (an edit a name match may absorb) wholly or not at all.
        Overlapping matches resolve to the longest, then the best scoring."""
        blocked = sorted(taken)
        b_starts = [s for s, _ in blocked]
        soft = sorted(inner)
        s_starts = [s for s, _ in soft]
        by_len: dict[int, list[tuple[int, int, str]]] = {}
        for m in RUN.finditer(text):
            toks = [_word_span(t) for t in _TOKEN.finditer(text, m.start(), m.end())]
            caps = [i for i, (a, _) in enumerate(toks) if text[a].isupper()]
            for x, i in enumerate(caps):
                for j in caps[x + 1:]:
                    n = j - i + 1
                    if n > self.longest:
                        break
                    if n not in self.by_len:
                        continue
                    start, end = toks[i][0], toks[j][1]
                    if _overlaps(start, end, blocked, b_starts) or _straddles(start, end, soft, s_starts):
                        continue
                    window = " ".join(text[a:b] for a, b in toks[i:j + 1])
                    if window not in self.names:
                        by_len.setdefault(n, []).append((start, end, window))
        found: list[FuzzyMatch] = []
        for n, ws in by_len.items():
            names, lines = self.by_len[n]
            scores = process.cdist([self._normalise(w) for _, _, w in ws], names,
                                   scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF, workers=1)
            for row, (start, end, window) in enumerate(ws):
                best = int(scores[row].argmax())
                score = float(scores[row][best])
                if score < NAME_CUTOFF:
                    continue
                match = self._check(window, names[best], score)
                if match is not None:
                    swaps, known = match
                    found.append(FuzzyMatch(start, end, names[best], score, swaps, known, lines[best]))
        found.sort(key=lambda f: (-(f.end - f.start), -f.score, f.start))
        out: list[FuzzyMatch] = []
        for f in found:
            if not any(f.start < o.end and o.start < f.end for o in out):
                out.append(f)
        out.sort(key=lambda f: f.start)
        return out

    def _check(self, run: str, name: str, score: float) -> tuple[tuple[tuple[str, str], ...], bool] | None:
        a, b = run.split(), name.split()
        diffs = [(x, y) for x, y in zip(a, b) if x != y]
        if not diffs or len(diffs) == len(a):
            return None  # identical, or nothing in common
        unknown = 0
        for x, y in diffs:
            if (x.lower(), y.lower()) in self.known:
                continue
            if fuzz.ratio(x.lower(), y.lower()) < TOKEN_CUTOFF:
                return None
            unknown += 1
        if unknown > 1:
            return None
        return tuple(diffs), unknown == 0


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]], starts: Sequence[int]) -> bool:
    """Does [start, end) overlap a span? ``spans`` sorted and non-overlapping, ``starts`` theirs."""
    i = bisect_right(starts, end - 1) - 1  # the last span starting before ``end``
    return i >= 0 and spans[i][1] > start


def _straddles(start: int, end: int, spans: Sequence[tuple[int, int]], starts: Sequence[int]) -> bool:
    """Does [start, end) cut through a span (overlap it without holding it whole)?"""
    i = bisect_right(starts, end - 1) - 1
    while i >= 0 and spans[i][1] > start:
        s, e = spans[i]
        if s < start or e > end:
            return True
        i -= 1
    return False


def _word_span(token: regex.Match) -> tuple[int, int]:
    """A token's span without a sentence-final period ("Soccer." but not "U.S.")."""
    word = token.group()
    if word.endswith(".") and "." not in word[:-1]:
        return token.start(), token.end() - 1
    return token.start(), token.end()
