"""Fuzzy matching of spun names against the gazetteer, with rapidfuzz.

In a document already found spun, runs of capitalised words (a cheap regular-expression
prefilter; lower-case "of", "and", "the", "for", "on" may sit inside) are cut into windows, and
each window holding at least one known spinner swap is compared with the gazetteer names of its
length (a lone near-spelling is a typo, not a spin, and is left to spell checkers). A window is a
spun name when, token by token, it differs from the name only by known spinner swaps and at most
one near-identical spelling (``TOKEN_CUTOFF``), keeps at least one token, and scores at least
``NAME_CUTOFF`` overall (``rapidfuzz.process.extract`` over the window's candidate names at once,
with the known swaps put back). Such matches are applied from ``APPLY_CUTOFF`` up and otherwise only
suggested.

Candidates come from an exact index, not from scoring every window against every name: a name
of n tokens is filed under n keys, each with one position left open, so a window finds every
name it equals up to one free position (after known swaps) with n dictionary lookups. Clean
documents never get here, and a spun one pays a few lookups per window.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import islice, product
from typing import NamedTuple, Protocol, TypeVar

from rapidfuzz import fuzz, process


NAME_CUTOFF = 80.0
"""Minimum rapidfuzz ratio (0-100) between a run and a gazetteer name to consider it."""
TOKEN_CUTOFF = 85.0
"""Minimum ratio for a differing token that is not a known swap (a typo, an inflection)."""
APPLY_CUTOFF = 90.0
"""From this name score up, with only known swaps among the differences, the fix is applied."""
MAX_READINGS = 16
"""Readings of a window (a spun word may undo to several canonical words) looked up, at most."""

_UNSET = object()
_SMALL = "of|and|the|for|on|in|to|&"
_CAP = r"(?:[A-Z][\w'’.-]*)"
RUN = re.compile(rf"{_CAP}(?:\s+(?:(?:{_SMALL})\s+)*{_CAP})+")
"""Runs of capitalised words. No leading ``\\b``: testing it at every position costs more than
the whole scan, and a run can start inside a word only after a lower-case letter ("iPhone"),
whose first token ``find`` then drops."""
_TOKEN = re.compile(r"\S+")  # the words of a run: what RUN's \s (str.isspace) separates
SMALL_WORDS = frozenset(_SMALL.split("|"))
_WORDISH = re.compile(r"[\w'’.-]")


class FuzzyMatch(NamedTuple):
    """A run of the text that looks like a spun gazetteer name (a tuple: one is made per match
    of every window scored, so it is made with tuple.__new__, not a Python __init__)."""

    start: int
    end: int
    name: str
    score: float
    swaps: tuple[tuple[str, str], ...]  # (spun token, canonical token) pairs that differ
    known: bool  # every difference is a known spinner swap
    line: int  # gazetteer line, for the explanation


_new = tuple.__new__


class _Span(Protocol):
    start: int
    end: int


_S = TypeVar("_S", bound=_Span)


MEMO = 50_000
"""Windows whose candidate names a NameIndex remembers (a few MB at most)."""


class NameIndex:
    """Gazetteer names filed by token count and open position, with the spinner's known swaps."""

    def __init__(self, names: Sequence[tuple[str, int]], swap_pairs: Iterable[tuple[str, str]]) -> None:
        self.names: list[str] = []
        self.lines: list[int] = []
        self.index: dict[tuple[int, tuple[str | None, ...]], list[int]] = {}
        # With one open position, a window of two or more tokens keeps its first or its last
        # token: windows are only tried where a name of that length starts or ends.
        self.starts: dict[str, set[int]] = {}
        self.ends: dict[str, set[int]] = {}
        for name, line in dict(names).items():
            toks = tuple(name.split())
            idx = len(self.names)
            self.names.append(name)
            self.lines.append(line)
            for j in range(len(toks)):
                self.index.setdefault((j, toks[:j] + (None,) + toks[j + 1:]), []).append(idx)
            self.starts.setdefault(toks[0], set()).add(len(toks))
            self.ends.setdefault(toks[-1], set()).add(len(toks))
        self.real = set(self.names)
        # (spun, canonical) word pairs; multi-word spun forms are matched token by token elsewhere
        pairs = [(s, c) for s, c in swap_pairs if " " not in s and " " not in c]
        self.known = {(s.lower(), c.lower()) for s, c in pairs}
        undo: dict[str, list[str]] = {}
        for s, c in pairs:
            if c not in undo.setdefault(s, [s]):
                undo[s].append(c)
        self.readings: dict[str, tuple[str, ...]] = {s: tuple(cs) for s, cs in undo.items()}

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_prefilter", None)  # compiled, not picklable: built again on first use
        state.pop("_memo", None)  # caches: filled again as windows are asked
        state.pop("_scored", None)
        state.pop("_plans", None)
        return state

    def _prefilter_core(self):
        prefilter = self.__dict__.get("_prefilter", _UNSET)
        if prefilter is _UNSET:
            from .matcher import native_core

            words = self.name_words()
            prefilter = self._prefilter = native_core(words, len(words)) if words else None
        return prefilter

    def name_words(self) -> list[str]:
        """The spinner's name words, folded, one per spelling: what the prefilter looks for."""
        from .matcher import fold

        return sorted({fold(w) for w in self.readings})

    def run_windows(self, text: str) -> list[tuple[int, int]] | None:
        """The stretches of ``text`` that can hold a run of capitalised words with a known spun
        word, found by the compiled core (spun words written with a capital next to another
        capitalised word, each widened to what no run crosses); None without the core: the
        whole text then."""
        prefilter = self._prefilter_core()
        return None if prefilter is None else prefilter.run_windows(text, SMALL_WORDS)

    def _candidates(self, toks: Sequence[str]) -> frozenset[int]:
        """Names equal to the window up to known swaps and one open position; remembered per
        window (up to ``MEMO`` of them), as dense runs of name words repeat their windows."""
        key = tuple(toks)
        memo = self.__dict__.setdefault("_memo", {})
        found = memo.get(key)
        if found is None:
            found = frozenset(self._candidates_of(key))
            if len(memo) >= MEMO:
                memo.clear()
            memo[key] = found
        return found

    def _candidates_of(self, toks: Sequence[str]) -> set[int]:
        options = [self.readings.get(t, (t,)) for t in toks]
        found: set[int] = set()
        for j in range(len(toks)):
            rest = options[:j] + [(None,)] + options[j + 1:]
            for reading in islice(product(*rest), MAX_READINGS):
                found.update(self.index.get((j, reading), ()))
        return found

    def windows(
        self, text: str, stretches: Sequence[tuple[int, int]] | None = None,
        runs: Sequence[tuple[int, int]] | None = None,
    ) -> list[tuple[int, int, tuple[str, ...]]]:
        """The windows of ``text`` worth scoring, as (start, end, words), in text order: the
        planned windows (:meth:`_plan`) of each run of capitalised words. Runs are looked for
        in ``stretches`` (default: :meth:`run_windows`, which a caller may have asked already);
        ``runs``: their (start, end) spans, where a caller found them (the native core reads
        :data:`RUN` itself). Most spun documents have none, and then need nothing else of this
        index."""
        if runs is None:
            if stretches is None:
                stretches = self.run_windows(text)
            found = RUN.finditer(text) if stretches is None else (
                m for lo, hi in stretches for m in RUN.finditer(text, lo, hi))
            runs = [m.span() for m in found]
        # per run text: () when it holds no known spinner swap (most runs), else its plans
        # [outside a word, inside one] (see _plan), each made on first need
        plans = self.__dict__.setdefault("_plans", {})
        out: list[tuple[int, int, tuple[str, ...]]] = []
        for base, end in runs:
            run = text[base:end]
            both = plans.get(run)
            if both is None:
                both = [None, None] if self._has_swap(run) else ()
                if len(plans) >= MEMO:
                    plans.clear()
                plans[run] = both
            if not both:
                continue
            inside = bool(base and _WORDISH.match(text, base - 1))
            plan = both[inside]
            if plan is None:
                plan = both[inside] = self._plan(run, inside)
            for a, b, toks in plan:
                out.append((base + a, base + b, toks))
        return out

    def window_parts(self) -> tuple[dict, object, object, int]:
        """What the compiled core needs to give :meth:`windows` itself (Document.fuzzy_windows):
        the per-run plans it remembers, the two functions it asks on a miss, and MEMO."""
        return self.__dict__.setdefault("_plans", {}), self._has_swap, self._plan, MEMO

    def _has_swap(self, run: str) -> bool:
        """Does a word of the run (or the word less a final period) have a known spinner swap?"""
        readings = self.readings
        return any(w in readings or w.rstrip(".") in readings for w in run.split())

    def find(
        self, text: str, taken: Sequence[tuple[int, int]] = (), inner: Sequence[tuple[int, int]] = (),
        stretches: Sequence[tuple[int, int]] | None = None,
        windows: Sequence[tuple[int, int, tuple[str, ...]]] | None = None,
    ) -> list[FuzzyMatch]:
        """Fuzzy name matches in ``text``: windows of capitalised runs (a run may hold several
        names, "The Good Battle on CBS All Entry") that overlap none of the ``taken`` spans and
        hold each ``inner`` span (an edit a name match may absorb) wholly or not at all (the two
        non-empty and disjoint, as :func:`free_windows` reads them). Overlapping matches resolve
        to the longest, then the best scoring. ``windows``: what :meth:`windows` gives for
        ``text`` and ``stretches``, when a caller has asked it (and filtered it)."""
        if windows is None:
            windows = self.windows(text, stretches)
        if windows and (taken or inner):
            windows = free_windows(windows, sorted([*taken, *inner]), sorted(inner))
        if not windows:
            return []
        found: list[FuzzyMatch] = []
        for start, end, toks in windows:
            found.extend(self._score(start, end, toks))
        if len(found) < 2:
            return found  # (one match, or none: nothing to order or to overlap)
        found.sort(key=lambda f: (-(f.end - f.start), -f.score, f.start))
        return disjoint(found)

    def _plan(self, run: str, inside: bool) -> tuple[tuple[int, int, tuple[str, ...]], ...]:
        """The windows of a run of capitalised words worth scoring, as (start, end, words) with
        offsets into the run: each window starts and ends at a capitalised word (not the first
        when the run began inside a word, ``inside``), spans a gazetteer name's length from a
        word that can start or end one, holds a known spinner swap and is not a real name
        itself. It depends on the run's text alone: remembered per run (up to ``MEMO`` of them),
        as news repeats its names."""
        readings = self.readings
        if not self._has_swap(run):
            return ()  # no known spinner swap in the run: nothing here was spun by a known habit
        spans = [_word_span(t) for t in _TOKEN.finditer(run)]
        words = [run[a:b] for a, b in spans]
        swapped = [w in readings for w in words]
        caps = [i for i, w in enumerate(words) if w[:1].isupper()]
        if inside:
            caps = caps[1:]  # the run began inside a word
        capset = set(caps)
        windows: set[tuple[int, int]] = set()
        for i in caps:
            for r in readings.get(words[i], (words[i],)):
                for n in self.starts.get(r, ()):
                    if i + n - 1 in capset:
                        windows.add((i, i + n - 1))
                for n in self.ends.get(r, ()):
                    if i - n + 1 in capset:
                        windows.add((i - n + 1, i))
        plan = []
        for i, j in sorted(windows):
            toks = tuple(words[i:j + 1])
            if any(swapped[i:j + 1]) and " ".join(toks) not in self.real:
                plan.append((spans[i][0], spans[j][1], toks))
        return tuple(plan)

    def _score(self, start: int, end: int, toks: Sequence[str]) -> list[FuzzyMatch]:
        """The window's matches (see :meth:`_score_window`), remembered per window text (up to
        ``MEMO`` of them): news repeats its names, within a document and across documents."""
        key = tuple(toks)
        memo = self.__dict__.setdefault("_scored", {})
        found = memo.get(key)
        if found is None:
            found = self._score_window(toks)
            if len(memo) >= MEMO:
                memo.clear()
            memo[key] = found
        return [_new(FuzzyMatch, (start, end, *m)) for m in found] if found else []

    def _score_window(self, toks: Sequence[str]) -> tuple[tuple, ...]:
        """Score a window against its candidate names in one ``rapidfuzz.process.extract`` batch,
        with each known spun word put back as the candidates have it, so that only unknown
        differences cost: (name, score, swaps, known, line) of each match."""
        cands = sorted(self._candidates(toks))
        if not cands:
            return ()
        names = [self.names[k].split() for k in cands]
        query = []
        for pos, tok in enumerate(toks):
            wanted = {name[pos] for name in names}
            query.append(next((r for r in self.readings.get(tok, ()) if r in wanted), tok))
        out = []
        for name, score, row in process.extract(" ".join(query), [self.names[k] for k in cands],
                                                scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF, limit=None):
            match = self._check(toks, name)
            if match is not None:
                swaps, known = match
                out.append((name, float(score), swaps, known, self.lines[cands[row]]))
        return tuple(out)

    def _check(self, toks: Sequence[str], name: str) -> tuple[tuple[tuple[str, str], ...], bool] | None:
        """The differing (spun, canonical) tokens and whether all are known swaps; None when the
        window is the name itself, shares no token with it, or has more than one unknown change."""
        diffs = [(x, y) for x, y in zip(toks, name.split()) if x != y]
        if not diffs or len(diffs) == len(toks):
            return None
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


def disjoint(matches: Iterable[_S]) -> list[_S]:
    """Keep each match that overlaps none kept before it (``matches`` in order of preference),
    returned in text order. Bisection over the kept ones, which are disjoint: only a neighbour
    on each side can overlap, so a long document with many names costs n log n, not n^2."""
    out: list[_S] = []
    out_starts: list[int] = []
    for f in matches:
        i = bisect_right(out_starts, f.start)
        if (i and out[i - 1].end > f.start) or (i < len(out) and out[i].start < f.end):
            continue
        out.insert(i, f)
        out_starts.insert(i, f.start)
    return out


def free_windows(
    windows: Sequence[tuple[int, int, tuple[str, ...]]], spans: Sequence[tuple[int, int]],
    edits: Sequence[tuple[int, int]],
) -> list[tuple[int, int, tuple[str, ...]]]:
    """The ``windows`` that overlap no span of ``spans`` but the ``edits``' own (the lexicon's
    hits that a name match may not cross) and cut through no edit (each is absorbed by a name
    match wholly or not at all). ``spans`` and ``edits`` (tuples or Edits whose first two fields
    are start and end) non-empty, sorted and disjoint each. A binary search or two a window: no list of
    every hit is built for a document's few windows."""
    ends = {e[0]: e[1] for e in edits}  # disjoint: one edit per start
    starts = sorted(ends)
    out = []
    for window in windows:
        start, end = window[0], window[1]
        i = bisect_right(spans, (end - 1, _AFTER_ANY)) - 1  # the last span starting before ``end``
        blocked = False
        while i >= 0 and spans[i][1] > start:
            if ends.get(spans[i][0]) != spans[i][1]:
                blocked = True  # a span that is no edit's
                break
            i -= 1
        if blocked:
            continue
        k = bisect_right(starts, end - 1) - 1
        while k >= 0 and ends[starts[k]] > start:
            if starts[k] < start or ends[starts[k]] > end:
                blocked = True  # the window cuts through an edit
                break
            k -= 1
        if not blocked:
            out.append(window)
    return out


_AFTER_ANY = float("inf")


def _word_span(token: re.Match) -> tuple[int, int]:
    """A token's span without a sentence-final period ("Soccer." but not "U.S.")."""
    word = token.group()
    if word.endswith(".") and "." not in word[:-1]:
        return token.start(), token.end() - 1
    return token.start(), token.end()
