"""The Repairer: lexicon + matcher + gating + rewriting, built once and reused."""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache, partial
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple, TypeVar

import regex

from . import consistency, lm
from .casing import keep_separators, transfer_case
from .config import APPLY_TIERS, Config
from .context import NOT_READ, Context, next_token, prev_token, quotation_spans
from .edits import Edit, Evidence, Result, Scan, apply_edits, demote, make_result, make_scan
from .junctions import Junctions
from .lexicon import PROTECT, Entry, gazetteer_index, load_entries, paused_gc
from .matcher import Candidate, Matcher, native_available, native_core, sort_candidates
from .plausibility import (
    BACKOFF,
    PRIOR_RATIO,
    best_candidate,
    numbered,
    plausibility_words,
)
from .scoring import (
    PROFILE_MAX_WORDS,
    PROFILE_MIN_HITS,
    SPIN_CONSTANTS,
    count_words,
    profile_score,
    short_profile_score,
    spin_score,
)
from .settle import settle

_WEAK_TIERS = frozenset({"likely", "context"})
_UNDECIDED = object()


class _Hit(NamedTuple):
    start: int
    end: int
    entry: Entry
    canonicals: tuple[str, ...]  # the entry's candidates, or the one bigram plausibility chose


QUOTES_SPUN_DISTINCT = 2
"""Quotations count as spun when the first pass found a certain spin inside them or this many
distinct entries. Measured on the dev set: 2 and 3 alike; 1 (any hit) lets more clean quotations
through (clean text taken for spun: 3.55 edits per 1,000 words against 2.90). The rule costs
correct edits where few entries are known: family-A recall with every dev-curated entry removed
falls from 0.176 to 0.166 (0.521 either way with the full lexicon)."""
_KEPT_QUOTE = ("suggestion only: inside a quotation, and the document's quotations show no spins "
               "(the spinner kept them verbatim)")


class _Quotes:
    """Some spinners keep quotations verbatim (family C mostly, family A at times): there a weak
    entry's match inside a quotation is the speaker's own word. A weak edit inside a quotation
    therefore needs the first pass to have found spins inside the document's quotations."""

    __slots__ = ("_ends", "_hits", "_spun", "_starts")

    def __init__(self, hits: Sequence[_Hit]) -> None:
        # the first pass's hits (detection evidence only, no plausibility guesses): looked at
        # only when a weak edit sits in a quotation. The native core has its own twin of this
        # rule (Document._kept), tested equal.
        self._hits = hits
        self._spun: bool | None = None
        self._starts: list[int] | None = None
        self._ends: list[int] = []

    def _inside(self, text: str, pos: int) -> bool:
        if self._starts is None:
            spans = quotation_spans(text)
            self._starts, self._ends = [s for s, _ in spans], [e for _, e in spans]
        i = bisect_left(self._starts, pos) - 1
        return i >= 0 and pos <= self._ends[i]

    def kept(self, text: str, pos: int) -> bool:
        """Is ``pos`` inside a quotation of a document whose quotations show no spins?"""
        if self._spun:  # decided, and the quotations show spins: nothing in them was kept
            return False
        if not self._inside(text, pos):
            return False
        if self._spun is None:
            inside = [h.entry for h in self._hits if h.entry.tier != PROTECT and self._inside(text, h.start)]
            self._spun = (any(e.tier == "certain" for e in inside)
                          or len({e.spun.lower() for e in inside}) >= QUOTES_SPUN_DISTINCT)
        return not self._spun


_Part = TypeVar("_Part")  # a part of a repairer made on first need


class Repairer:
    """Immutable repairer: build once from lexicon entries and a config, call many times.

    Safe to share between threads: after construction it only fills caches of values that
    depend on their keys alone (edit texts, reasons), each in one step under the GIL, and
    sets up what the first spun document needs once, under a lock, publishing it only when
    the compiled core holds it too.
    """

    __slots__ = (
        "_applicable",
        "_consistency_",
        "_core",
        "_fuzzy",
        "_junctions_",
        "_late_offset",
        "_late_pattern",
        "_matcher_",
        "_plausible_words",
        "_rules",
        "_setup",
        "config",
        "entries",
    )

    def __init__(
        self, entries: Sequence[Entry], config: Config | None = None, *, fuzzy_names: bool = False,
        backend: str = "auto",
    ) -> None:
        with paused_gc():
            self._build(entries, config, fuzzy_names, backend)

    def _build(self, entries: Sequence[Entry], config: Config | None, fuzzy_names: bool, backend: str) -> None:
        """Compile the entries into rules and the matching core (see ``__init__``; ``backend``:
        see :data:`repair.matcher.BACKENDS`)."""
        self.config = config or Config()
        self.entries: tuple[Entry, ...] = tuple(entries)
        # tiers whose entries this config writes (never "suggest"): asked of every hit
        self._applicable = frozenset(t for t in APPLY_TIERS if self.config.tier_allowed(t))
        # Per pattern, its entries with what _entry_for asks of each first: (entry, context, late,
        # empty), worked out once per entry. Entries with a context come first: the specific rule
        # beats the general.
        groups: dict[str, list[tuple[Entry, Context, bool, bool]]] = {}
        for e in self.entries:
            ctx = e.context
            groups.setdefault(e.spun.lower(), []).append((e, ctx, ctx.late, not ctx))
        # Patterns whose entries are all late (plausibility-gated or no evidence) are numbered
        # after the others: the one scan sets their candidates aside, and only a spun document
        # looks at them, so clean text never pays for their context checks.
        early: list[str] = []
        late: list[str] = []
        for p, g in groups.items():
            (late if all(rule[2] for rule in g) else early).append(p)
        self._rules: tuple[tuple[tuple[Entry, Context, bool, bool], ...], ...] = tuple(
            (g[0],) if len(g) == 1 else tuple(sorted(g, key=_EMPTY))
            for g in map(groups.__getitem__, early + late)
        )
        self._late_offset = len(early)  # pattern numbers from here on are late
        self._setup = threading.Lock()  # held while a first-need part is built and shared
        self._consistency_: consistency.Plan | None = None  # built on first need
        self._junctions_: Junctions | None = None  # built on the first edit (clean text never needs it)
        self._fuzzy = fuzzy_names  # the name index is built on first use, in a spun document
        self._plausible_words = plausibility_words(
            p for e in self.entries if e.context.plausible is not None for p in (e.spun, *e.canonicals)
        )
        # patterns with at least one late entry: re-decided in the second pass
        self._late_pattern = tuple(any(rule[2] for rule in rules) for rules in self._rules)
        # the native core (repair/_core.pyx) when it was built; the Python matcher otherwise
        # (and, built on first use, for explanations)
        self._matcher_: Matcher | None = None
        self._core = native_core(early + late, self._late_offset, self._rules,
                                 (_Hit, self._plausible_words, numbered, BACKOFF, PRIOR_RATIO), backend=backend)
        if self._core is None:
            self._matcher_ = self._matcher  # built now, as the core would have been
        else:
            self._core.set_edits(self._applicable, self.config.min_confidence, _WEAK_TIERS, PROTECT, Evidence, (
                Edit, _replacement, _reason, _may_hold_headline, _in_caps_run,
                self._suggestion))
            self._core.set_scoring(SPIN_CONSTANTS, self.config.threshold, self.config.assume_spun)

    @classmethod
    def from_lexicons(
        cls, extra: Sequence[Path] = (), config: Config | None = None, *, bundled: bool = True,
        backend: str = "auto",
    ) -> Repairer:
        """Build from the bundled lexicons plus user lexicon files (and, with the bundled data,
        the gazetteer for fuzzy name matching)."""
        return cls(load_entries(extra, bundled=bundled), config, fuzzy_names=bundled, backend=backend)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # The automaton is not picklable; rebuild it from the entries in the worker, on the
        # backend this one runs (a worker must not choose again from its own environment).
        return (_rebuild, (self.entries, self.config, self._fuzzy, self.backend))

    @property
    def _matcher(self) -> Matcher:
        if self._matcher_ is None:
            self._matcher_ = Matcher([r[0][0].spun.lower() for r in self._rules])
        return self._matcher_

    @property
    def native(self) -> bool:
        """Does this repairer run the compiled core (else the pure-Python reference path)?"""
        return self._core is not None

    @property
    def backend(self) -> str:
        """The backend this repairer runs: "native" or "python" (an empty lexicon needs no core)."""
        return "python" if self._core is None else "native"

    # -- matching --------------------------------------------------------------------------

    def _entry_for(
        self, text: str, cand: Candidate, folded: list[str | None], plausible: bool,
        near: list | None = None,
    ) -> tuple[Entry, tuple[str, ...]] | None:
        """The first entry of the candidate's pattern whose context holds, with its candidates.

        Late entries (gated by bigram plausibility or ``evidence=no``) are skipped unless
        ``plausible`` is set: they carry no detection evidence, so they are only weighed once a
        document is known to be spun.
        """
        # the next and previous token, read at most once for all the pattern's entries (the
        # caller's list is reused from candidate to candidate: no new object per match)
        if near is None:
            near = [NOT_READ, NOT_READ]
        else:
            near[0] = near[1] = NOT_READ
        for entry, ctx, late, empty in self._rules[cand[2]]:
            if late and not plausible:
                continue
            if empty:
                return entry, entry.canonicals
            if ctx.doc_has is not None and folded[0] is None:
                folded[0] = text.casefold()
            if not ctx.holds(text, cand[0], cand[1], entry.spun, folded[0], near):
                continue
            if ctx.plausible is None:
                return entry, entry.canonicals
            spun = text[cand[0] : cand[1]]
            best = best_candidate(text, cand[0], cand[1], spun, entry.canonicals, ctx.plausible,
                                  self._plausible_words)
            if best is not None:
                return entry, (best,)
        return None

    def _hits(
        self, text: str, cands: list[Candidate], plausible: bool, memo: dict | None = None
    ) -> list[_Hit]:
        """Leftmost-longest candidates with an applicable entry. ``memo`` carries decisions from
        the detection pass into the plausibility pass for patterns without plausible entries."""
        if not cands:
            return []
        folded: list[str | None] = [None]
        memo = {} if memo is None else memo
        late = self._late_pattern
        entry_for = self._entry_for
        near = [NOT_READ, NOT_READ]
        new_hit = tuple.__new__
        # matcher.leftmost_longest with the accept test written inline: this loop runs for every
        # candidate of every document (inlining the call saved 3% of the instructions per pass)
        hits: list[_Hit] = []
        pos = 0
        for c in cands:
            if c[0] < pos:
                continue
            hit = memo.get(c, _UNDECIDED)
            if hit is _UNDECIDED or (plausible and late[c[2]]):
                found = entry_for(text, c, folded, plausible, near)
                # _Hit(...) without its Python __new__; the memo keeps the hit for the second pass
                hit = memo[c] = None if found is None else new_hit(_Hit, (c[0], c[1], *found))
            if hit is not None:
                hits.append(hit)
                pos = c[1]
        return hits

    def _scan(self, text: str, hits: Sequence[_Hit], rows: bool = True) -> Scan:
        """The verdict on the first pass's ``hits`` and the evidence behind it; ``rows`` False:
        the evidence only where a second look reads it (a text-only pass; ``soft``, the hits of the
        entries not certain, is what :meth:`_needs_second_look` sums)."""
        words = count_words(text)
        counts = Counter(map(_ENTRY, hits))  # counted in C
        certain = weak_hits = soft = 0
        weak = []
        for e in list(counts):
            if e.tier == PROTECT:
                del counts[e]
            elif e.tier == "certain":
                certain += 1
            else:
                soft += counts[e]
                if e.tier in _WEAK_TIERS:
                    weak.append(e)
                    weak_hits += counts[e]
        found = self._verdict(certain, weak_hits, len(weak), words, ())
        if not (rows or self._needs_second_look(found, soft)):
            return found
        ranked = sorted(counts.items(), key=_by_count_then_phrase)
        new = tuple.__new__  # Evidence(...) without its Python __new__
        evidence = tuple([new(Evidence, (*_evidence_of(e), n, e.origin)) for e, n in ranked])
        return Scan(found.spin_score, found.spun, evidence, words)

    def _native_scan(self, doc, rows: bool = True) -> Scan:
        """:meth:`_scan` from the native core's counts of the first pass."""
        score, spun, evidence, words, soft = doc.verdict(rows)  # (count_words, spin_score, _verdict)
        found = make_scan(score, spun, evidence or (), words)
        if evidence is None and self._needs_second_look(found, soft):
            return Scan(found.spin_score, found.spun, doc.scan_parts(True)[3], found.words)
        return found

    def _verdict(self, certain: int, weak_hits: int, weak: int, words: int, evidence: tuple[Evidence, ...]) -> Scan:
        score = spin_score(certain, weak_hits, weak, words)
        return Scan(round(score, 4), self.config.assume_spun or score >= self.config.threshold, evidence, words)

    def _early_candidates(self, text: str) -> list[Candidate]:
        """Candidates of the patterns that have an entry weighed in every document."""
        return self._matcher.split_candidates(text, self._late_offset)[0]

    # -- public API ------------------------------------------------------------------------

    def scan(self, text: str) -> Scan:
        """Score how spun ``text`` looks and list the evidence; changes nothing."""
        if self._core is not None:
            doc = self._core.document(text)
            doc.run(False)
            found = self._native_scan(doc)
        else:
            found = self._scan(text, self._hits(text, self._early_candidates(text), False))
        if self._needs_second_look(found):
            forced = self._repair_once(text, fuzzy=False, force=True, suggest=False)
            return self._second_look(found, forced)[0]
        return found

    def repair(self, text: str) -> Result:
        """Repair ``text``: apply confident edits, collect suggestions, report the scan. The
        repaired text is repaired again until a pass changes nothing (see :mod:`repair.settle`),
        so that repairing the output once more changes nothing, save where a later entry would
        rewrite a word an earlier edit restored (refused). A document the first scan leaves
        just short of spun gets a second look (:data:`repair.scoring.PROFILE_BASE`)."""
        return self._repair(text, True)

    def _repair(self, text: str, suggest: bool) -> Result:
        """:meth:`repair`; ``suggest`` False: no suggestions are made and the scan keeps no
        evidence rows (:meth:`fix` wants the text, which they never change)."""
        first = self._repair_once(text, suggest=suggest)
        # later passes over the repaired text: settle keeps only their edits (the suggestions
        # are the first pass's), so they make none
        later = self._later_edits
        if self._needs_second_look(first.scan):
            scan, spun = self._second_look(first.scan, self._repair_once(text, fuzzy=False, force=True,
                                                                         suggest=False))
            if spun:  # repaired as spun, fuzzy names included
                second = self._repair_once(text, force=True, suggest=suggest, score=scan.spin_score)
                later = partial(self._later_edits, force=True, score=scan.spin_score)
                first = Result(second.text, second.edits, second.suggestions, scan)
            else:
                first = Result(first.text, first.edits, first.suggestions, scan)
        if not first.edits:
            return first
        return settle(text, first, later)

    def _later_edits(self, text: str, force: bool = False, score: float | None = None) -> tuple[Edit, ...]:
        """The edits of one of settle's later passes over ``text`` (a repaired text; ``force``
        and ``score`` as :meth:`_repair_once` takes them): none, without a candidate decided,
        where its candidates show that it can make none (:meth:`_settled`; most repaired
        texts), else those of a pass without suggestions."""
        if self._core is not None:
            found = self._core.document(text)
            if not force and found.settled():
                return ()
        else:
            found = self._matcher.split_candidates(text, self._late_offset)
            if not force and self._settled(found[0], count_words(text)):
                return ()
        return self._repair_once(text, force=force, suggest=False, score=score, found=found).edits

    def _settled(self, early: Sequence[Candidate], words: int) -> bool:
        """Can a pass over a text of ``words`` words whose early candidates (the patterns with an
        entry weighed in every document) are ``early`` make no edit? True when the text cannot
        be found spun, even were each candidate a hit of every early entry of its pattern (the
        spin score grows with each count it takes), so that no entry of the likely or context
        tiers writes, fuzzy names and the same-document rule stay off and no late entry is
        weighed; and when no candidate has an early entry of another tier that this config
        applies. ``Document.settled`` is its twin in the native core."""
        cfg = self.config
        if cfg.assume_spun:
            return False
        applicable, least = self._applicable, cfg.min_confidence
        rules = self._rules
        weak_hits = certain = weak = 0
        for _start, _end, pat in early:
            has_weak = False
            for entry, _ctx, late, _empty in rules[pat]:
                if late or entry.tier == PROTECT:
                    continue
                if entry.tier in _WEAK_TIERS:
                    has_weak = True
                elif entry.tier in applicable and entry.confidence >= least:
                    return False  # it may write in any document
            weak_hits += has_weak
        for pat in {c[2] for c in early}:  # each entry counted once
            for entry, _ctx, late, _empty in rules[pat]:
                if not late:
                    certain += entry.tier == "certain"
                    weak += entry.tier in _WEAK_TIERS
        return spin_score(certain, weak_hits, weak, words) < cfg.threshold

    def _needs_second_look(self, found: Scan, soft: int | None = None) -> bool:
        """A short document (up to :data:`repair.scoring.PROFILE_MAX_WORDS` words) not found
        spun whose evidence holds two or more weak spins or suggestions: the weak entries that
        are weighed only in spun documents may tell. A longer text shows its spinner in the
        first scan more often, and the look is a second pass. ``soft``: those hits, when the
        scan was made without its evidence rows."""
        if found.spun or not self.config.second_look or found.words > PROFILE_MAX_WORDS:
            return False
        if soft is None:
            soft = sum(ev.count for ev in found.evidence if ev.tier != "certain")
        return soft >= PROFILE_MIN_HITS

    def _second_look(self, found: Scan, forced: Result) -> tuple[Scan, bool]:
        """The scan with the density of weak edits the text would get were it spun (every
        weak entry weighed, contexts and gates held): clean news stays far below
        :data:`repair.scoring.PROFILE_BASE` per 1,000 words, spun news far above."""
        weak = [e for e in forced.edits if e.tier in _WEAK_TIERS]
        # different weak spins of words, not names: a name the lexicon reads as spun may be
        # real ("the Division of Labor"), and a short text about one names several
        distinct = len({e.before.lower() for e in weak if e.category != "name"})
        score = max(found.spin_score, profile_score(len(weak), found.words),
                    short_profile_score(distinct, found.words))
        spun = score >= self.config.threshold
        return Scan(round(score, 4), spun, found.evidence, found.words), spun

    def _repair_once(self, text: str, fuzzy: bool = True, force: bool = False, suggest: bool = True,
                     score: float | None = None, found=None) -> Result:
        """One pass: the matches of ``text``, its scan, and the edits and suggestions they make
        (``fuzzy`` False: no fuzzy name matching, for a look at the weak edits alone; ``force``:
        the text is taken for spun whatever its score, as the second look does, and ``score``,
        when given, is the score the pass's reasons name: the second look's; ``suggest``
        False: a text-only pass, whose hits that are not written make no suggestion objects and
        whose scan keeps its evidence rows only where a second look reads them). ``found``: the
        text's candidates, where a caller has found them (the core's Document, or the Python
        path's early and late lists)."""
        if self._core is not None:  # the same two passes and edit loop, compiled
            doc = self._core.document(text) if found is None else found
            doc.run(False)
            scan = self._native_scan(doc, suggest)
            if force and not scan.spun:
                scan = Scan(scan.spin_score if score is None else score, True, scan.evidence, scan.words)
            second = scan.spun and doc.has_late
            if second:
                doc.run(True)
            edits, suggestions = doc.edits(scan, QUOTES_SPUN_DISTINCT, suggest)
            if fuzzy and self.config.fuzzy and scan.spun and self._fuzzy:
                self._add_fuzzy(text, None, edits, suggestions, doc, second)
            if edits and scan.spun and self.config.same_document and self._consistency.rules:
                # occurrences of planned words no hit covers, where the document rewrote them elsewhere
                more = doc.consistent(edits, second, QUOTES_SPUN_DISTINCT)
                if more:
                    self._write_consistent(text, edits, more, scan)
            if edits and cfg_gate(self.config):
                edits, suggestions = self._gated(text, edits, suggestions)
            if edits:
                edits, suggestions = self._at_junctions(text, edits, suggestions, doc)
            return make_result(doc.apply(edits), tuple(edits), tuple(suggestions), scan)
        # the pure-Python reference path
        cands, late = self._matcher.split_candidates(text, self._late_offset) if found is None else found
        memo: dict = {}
        hits = self._hits(text, cands, False, memo)
        scan = self._scan(text, hits, suggest)
        if force and not scan.spun:
            scan = Scan(scan.spin_score if score is None else score, True, scan.evidence, scan.words)
        quotes = _Quotes(hits)
        if scan.spun:
            redo = self._late_pattern
            if late or any(redo[c[2]] for c in cands):  # else the first pass decided everything
                hits = self._hits(text, sort_candidates(cands + late), True, memo)
        edits: list[Edit] = []
        suggestions: list[Edit] = []
        cfg = self.config
        applicable = self._applicable
        headline: bool | None = None  # does the text hold 3 ALL-CAPS words? (asked once, if needed)
        for hit in hits:
            entry = hit.entry
            if entry.tier == PROTECT:
                continue
            before = text[hit.start : hit.end]
            weak = entry.tier in _WEAK_TIERS
            if weak and not scan.spun:
                continue
            applies = (
                entry.tier in applicable
                and len(hit.canonicals) == 1
                and entry.confidence >= cfg.min_confidence
            )
            kept_quote = weak and applies and quotes.kept(text, hit.start)
            if applies and not kept_quote:
                after = _replacement(before, hit.canonicals[0])
                if not before.isupper() and _in_caps_run(text, hit.start, hit.end):
                    if headline is None:  # the line around first, then the whole text once
                        headline = _may_hold_headline(text)
                    if headline:
                        after = after.upper()  # a spinner wrote a word of an ALL-CAPS headline in title case
                if after != before:
                    edits.append(self._edit(hit, before, after, scan, "applied"))
            elif suggest:
                found = self._suggestion(hit, before, scan, kept_quote)
                if found is not None:
                    suggestions.append(found)
        if fuzzy and cfg.fuzzy and scan.spun and self._fuzzy:
            self._add_fuzzy(text, [(h.start, h.end) for h in hits], edits, suggestions)
        if edits and scan.spun and cfg.same_document:
            found = self._consistency
            free = consistency.free_candidates(cands + late, found.rules, [(h.start, h.end) for h in hits])
            if free:
                seen = consistency.evidence(found, edits, {c[2] for c in free})
                if seen:
                    self._add_consistent(text, edits, [c for c in free if c[2] in seen], found, seen,
                                        partial(quotes.kept, text), scan)
        if edits and cfg_gate(self.config):
            edits, suggestions = self._gated(text, edits, suggestions)
        if edits:
            edits, suggestions = self._at_junctions(text, edits, suggestions)
        return make_result(apply_edits(text, edits), tuple(edits), tuple(suggestions), scan)

    @property
    def _consistency(self) -> consistency.Plan:
        """The patterns same-document consistency may extend (:func:`repair.consistency.plan`)."""
        found = self._consistency_
        return found if found is not None else self._first_need("_consistency_", self._plan_consistency)

    def _plan_consistency(self) -> consistency.Plan:
        """:func:`repair.consistency.plan` for this config, given to the core too."""
        found = consistency.plan(self._rules, self.config.min_confidence) \
            if "context" in self._applicable else consistency.Plan({}, {}, b"")
        if self._core is not None:
            self._core.set_consistency(found, consistency.MAX_LEFT)
        return found

    def _first_need(self, name: str, build: Callable[[], _Part]) -> _Part:
        """The part held in slot ``name``, made by ``build`` (which gives the core its share) if
        it is not yet: once, under the setup lock, and published only when whole, so that a
        thread that finds it never finds it half set up."""
        with self._setup:
            found = getattr(self, name)
            if found is None:
                found = build()
                setattr(self, name, found)
        return found

    def _add_consistent(self, text: str, edits: list[Edit], cands: list[Candidate], found: consistency.Plan,
                        seen: dict[int, list[Edit]], kept: Callable[[int], bool], scan: Scan) -> None:
        """Add the edits :mod:`repair.consistency` finds (``edits`` stays in text order)."""
        more = consistency.extend(text, edits, cands, found, seen, kept)
        if more:
            self._write_consistent(text, edits, more, scan)

    def _write_consistent(self, text: str, edits: list[Edit], more: list[tuple[int, int, Entry, str, Edit]],
                          scan: Scan) -> None:
        """Add the edits of the occurrences :func:`repair.consistency.extend` found."""
        for start, end, entry, canonical, shown in more:
            before = text[start:end]
            after = _replacement(before, canonical)
            if after == before:
                continue
            reason = (f"{entry.origin} ({entry.tier} -> {canonical!r}): same document: its context does "
                      f"not hold here, but the document's {shown.before!r} at {shown.start} was rewritten "
                      f"to {shown.after!r} by {shown.entry}; spin score {scan.spin_score:.2f}; applied")
            insort(edits, Edit(start, end, before, after, entry.origin, entry.tier, entry.confidence, reason,
                               entry.category), key=_START)

    def _gated(self, text: str, edits: list[Edit], suggestions: list[Edit]) -> tuple[list[Edit], list[Edit]]:
        """Edits of the weak tiers stay applied only where the trigram model reads the window
        around them as more probable with the canonical (:mod:`repair.lm`); the others become
        suggestions. The gain is part of every weak edit's reason."""

        def judge(e: Edit) -> tuple[Edit, str | None]:
            if e.tier not in _WEAK_TIERS or e.category == "abbreviation":  # digits and "U.K." are not words it knows
                return e, None
            gain = lm.gain(text, e.start, e.end, e.after)
            if gain is None:
                return e, None
            if gain > lm.MARGIN:
                return e._replace(reason=f"{e.reason.removesuffix('; applied')}; trigram gain {gain:+.1f}; applied"), None
            return e, f"the trigram model prefers the text as written (gain {gain:+.1f})"

        return demote(edits, suggestions, judge, keep_suggestions=self.config.suggestions)

    def _at_junctions(self, text: str, edits: list[Edit], suggestions: list[Edit], doc=None,
                      ) -> tuple[list[Edit], list[Edit]]:
        """Edits that share words with an adjacent restored-looking phrase become suggestions
        (see :mod:`repair.junctions`): a fresh run over repaired text then decides as the run
        that repaired it did. ``doc``: the native core's pass over ``text``, which reads the
        words beside each edit itself."""
        junctions = self._junctions_
        if junctions is None:
            junctions = self._first_need("_junctions_", self._shared_junctions)
        if not junctions:
            return edits, suggestions
        if doc is not None:  # index of a held edit: the phrase it meets
            found = doc.held_at_junctions(edits, junctions._plans, junctions.plan)
        else:
            found = {}
            checks, meets = junctions.checks, junctions.meets
            for k, e in enumerate(edits):
                todo = checks(e.before)  # most edits: nothing to read beside them
                if todo and (canon := meets(text, e.start, e.end, todo)) is not None:
                    found[k] = canon
        if not found:  # most documents: every edit stays as it is
            return edits, suggestions
        held = {id(edits[k]): f"shares words with {' '.join(canon)!r} beside it" for k, canon in found.items()}
        return demote(edits, suggestions, lambda e: (e, held.get(id(e))), keep_suggestions=self.config.suggestions)

    def _shared_junctions(self) -> Junctions:
        """The entries' :class:`Junctions`, given to the core too."""
        junctions = Junctions(self.entries)
        if self._core is not None:
            junctions.share_with(self._core)
        return junctions

    def _suggestion(self, hit: _Hit, before: str, scan: Scan, kept_quote: bool) -> Edit | None:
        """The suggestion a hit that is not written makes (None when the config wants none)."""
        if not self.config.suggestions:
            return None
        after = _suggested(before, hit.canonicals)
        why = _KEPT_QUOTE if kept_quote else _why_not(hit, self.config)
        return self._edit(hit, before, after, scan, why)

    def _add_fuzzy(
        self, text: str, spans: Sequence[tuple[int, int]] | None,
        edits: list[Edit], suggestions: list[Edit], doc=None, second: bool = False,
    ) -> None:
        """Spun names the lexicon missed, found by rapidfuzz against the gazetteer. ``edits``
        arrive in text order; the word edits inside each name are found by bisection, so a
        long spun document costs time in proportion to its length. ``spans``: the (start, end)
        of the lexicon's hits (the Python path). ``doc``: the native core's pass over the text
        (``second``: its second pass was run), which holds the hits, and (once the name words
        are known to the core) noted where names may be."""
        fuzzy = _fuzzy_module()
        index = gazetteer_index()
        if doc is not None and doc.marked:  # the core reads the runs and plans their windows
            windows = doc.fuzzy_windows(fuzzy.SMALL_WORDS, *index.window_parts())
            if not windows:  # no run of capitalised words holds a known spun name word
                return
            self._fuzzy_names(text, edits, suggestions, doc.free_windows(windows, edits, second), index, fuzzy)
            return
        if self._core is None:
            stretches = [(0, len(text))]  # the Python backend reads the whole text itself
        else:
            stretches = index.run_windows(text)
            if not self._core.names_on:  # later documents: one pass
                with self._setup:
                    if not self._core.names_on:
                        self._core.set_names(index.name_words())
        if stretches is not None and not stretches:
            return
        # the runs of capitalised words in them, read by the core where there is one
        core = self._core
        runs = None if core is None or stretches is None else core.runs(text, stretches, fuzzy.SMALL_WORDS)
        windows = index.windows(text, stretches, runs)
        if not windows:  # no run of capitalised words holds a known spun name word
            return
        # windows that overlap no hit but the edits a name match may absorb, and hold each of
        # those wholly or not at all
        windows = fuzzy.free_windows(windows, spans, edits) if doc is None else doc.free_windows(windows, edits, second)
        self._fuzzy_names(text, edits, suggestions, windows, index, fuzzy)

    def _fuzzy_names(self, text: str, edits: list[Edit], suggestions: list[Edit],
                     windows: list[tuple[int, int, tuple[str, ...]]], index, fuzzy) -> None:
        """The name matches of :meth:`_add_fuzzy`'s free ``windows``: applied ones replace the
        word edits inside them, the others become suggestions."""
        if not windows:
            return
        starts = None
        absorbed: set[int] = set()  # word edits a whole name replaces
        names: list[Edit] = []
        for m in index.find(text, windows=windows):  # disjoint matches
            before = text[m.start:m.end]
            after = _replacement(before, m.name)  # the span's own separators (a line break, CRLF)
            if after == before:
                continue  # its line breaks cannot be kept: left alone
            if starts is None:
                starts = [e.start for e in edits]
            inside = [k for k in range(bisect_left(starts, m.start), bisect_left(starts, m.end))
                      if edits[k].end <= m.end]
            if inside and apply_edits(text, [edits[k] for k in inside], m.start, m.end) == m.name:
                continue  # the lexicon's own edits already make this name: theirs is the explanation
            applied = m.known and m.score >= fuzzy.APPLY_CUTOFF
            if not applied and inside:
                continue  # a suggestion is made only where no edit of the lexicon sits inside
            changes = ", ".join(f"{a} -> {b}" for a, b in m.swaps)
            reason = (f"fuzzy name match {m.name!r} (score {m.score:.1f}; {changes}; "
                      f"{'known spinner swaps' if m.known else 'includes near spellings'}); "
                      + ("applied" if applied else "suggestion only (below the fuzzy apply cutoff or not a known swap)"))
            edit = Edit(m.start, m.end, before, after, f"gazetteer.tsv:{m.line}", "fuzzy",
                        round(m.score / 100, 3), reason, "name")
            if applied:
                absorbed.update(inside)  # the whole name replaces the word edits inside it
                names.append(edit)
            else:
                suggestions.append(edit)
        if names:
            edits[:] = sorted([e for k, e in enumerate(edits) if k not in absorbed] + names, key=_START)
        suggestions.sort(key=_START)

    def explain_phrase(self, text: str, phrase: str) -> list[tuple[int, str]]:
        """Why each occurrence of ``phrase`` in ``text`` is or is not changed, as (offset, why):
        the edit made, the longer match that covered it, or, entry by entry, the gate or clause
        that stopped it. Offset -1: the phrase does not occur."""
        result = self.repair(text)
        scan = result.scan
        key = phrase.lower()
        shown = {(e.start, e.end): e for e in (*result.edits, *result.suggestions)}
        occurrences = [c for c in self._matcher.candidates(text) if self._matcher.patterns[c[2]] == key]
        if not occurrences:
            return [(-1, f"{phrase!r} does not occur in the text as a whole word")]
        spans = [(e.start, e.end, e) for e in (*result.edits, *result.suggestions)]
        taken = self._hits(text, self._early_candidates(text), scan.spun)
        lines = []
        for start, end, pat in sorted(occurrences):
            where = repr(text[start:end])
            if (start, end) in shown:
                e = shown[(start, end)]
                lines.append((start, f"{where} -> {e.after!r} ({e.reason})"))
                continue
            cover = next((f"{text[s:t]!r} ({e.entry})" for s, t, e in spans if s < end and start < t), None)
            if cover is None:
                cover = next((f"{text[h.start:h.end]!r} ({h.entry.origin}, {h.entry.tier})" for h in taken
                              if h.start < end and start < h.end and (h.start, h.end) != (start, end)), None)
            if cover is not None:
                lines.append((start, f"{where} unchanged: an overlapping match takes precedence: {cover}"))
                continue
            for entry, *_ in self._rules[pat]:
                ctx = entry.context
                if entry.tier == PROTECT:
                    why = "protected: matched, never changed"
                elif entry.tier in _WEAK_TIERS and not scan.spun:
                    why = (f"tier {entry.tier} applies only in a spun document; spin score "
                           f"{scan.spin_score:.2f} < threshold {self.config.threshold:.2f}")
                elif ctx.late and not scan.spun:
                    why = ("bigram plausibility is only weighed in a spun document" if ctx.plausible is not None
                           else "evidence=no: weighed only in a document other evidence found spun")
                else:
                    failed = ctx.failure(text, start, end, entry.spun)
                    if failed is None and ctx.plausible is not None:
                        why = (f"bigram plausibility: no candidate fits its neighbours {ctx.plausible:g}x "
                               f"better than {text[start:end]!r}")
                    elif failed is None:
                        why = _why_not(_Hit(start, end, entry, entry.canonicals), self.config)
                    else:
                        why = failed
                lines.append((start, (f"{where} unchanged by {entry.origin} ({entry.tier} -> "
                                      f"{'|'.join(entry.canonicals)!r}): {why}")))
        return lines

    def fix(self, text: str) -> str:
        """Repaired text only (``repair(text).text``, without making the suggestions)."""
        return self._repair(text, False).text

    def fix_many(self, texts: Iterable[str]) -> Iterable[Result]:
        """Repair a stream of documents lazily, one result per input, in order."""
        for text in texts:
            yield self.repair(text)

    @staticmethod
    def _edit(hit: _Hit, before: str, after: str, scan: Scan, status: str) -> Edit:
        entry = hit.entry
        chosen = hit.canonicals[0] if entry.context.plausible is not None and len(hit.canonicals) == 1 else None
        score = scan.spin_score if entry.tier in _WEAK_TIERS else None
        return Edit(hit.start, hit.end, before, after, entry.origin, entry.tier, entry.confidence,
                    _reason(entry, chosen, score, status), entry.category)


@cache
def _fuzzy_module():
    """:mod:`repair.fuzzy`, imported on first need: rapidfuzz loads with the first spun
    document, not with the package (and a repeated import statement costs every document)."""
    from . import fuzzy

    return fuzzy


@lru_cache(maxsize=4096)
def _replacement(before: str, canonical: str) -> str:
    """``canonical`` written in the case and with the separators of ``before``: the same few
    pairs recur through a corpus ("mentioned" -> "said"), so each is worked out once."""
    return keep_separators(before, transfer_case(before, canonical))


@lru_cache(maxsize=4096)
def _reason(entry: Entry, chosen: str | None, score: float | None, status: str) -> str:
    """An edit's reason: its entry, the candidate plausibility chose, the document's spin score
    (weak tiers) and its status. Edits of one entry in one document share it."""
    why = _entry_reason(entry)
    if chosen is not None:
        why += f"; bigram plausibility chose {chosen!r}"
    if score is not None:
        why += f"; spin score {score:.2f}"
    return f"{why}; {status}"


_ENTRY = itemgetter(2)  # a _Hit's entry
_EMPTY = itemgetter(3)  # a rule's "no context" flag: rules with a context sort first
_START = itemgetter(0)  # an Edit's start


@cache
def _evidence_of(entry: Entry) -> tuple[str, str, str]:
    """The entry's fields an Evidence row shows first."""
    return entry.spun, entry.canonical, entry.tier


@cache
def _phrase_key(entry: Entry) -> str:
    return entry.spun.casefold()


def _by_count_then_phrase(item: tuple[Entry, int]) -> tuple[int, str]:
    return -item[1], _phrase_key(item[0])


@cache
def _entry_reason(entry: Entry) -> str:
    """The part of an edit's reason that depends on its entry alone (computed once per entry)."""
    why = f"{entry.tier} entry {entry.spun!r} -> {'|'.join(entry.canonicals)!r}"
    if entry.context:
        src = entry.context.source
        why += f"; context held ({src if len(src) <= 60 else src[:57] + '...'})"
    return why


def _in_caps_run(text: str, start: int, end: int) -> bool:
    """The edit sits in an ALL-CAPS headline (a spinner writes its words in dictionary case,
    "RELIEF Invoice EXTENDS"): a neighbouring word is ALL CAPS and so are most words of the line
    around it. The replacement should be ALL CAPS too."""
    if not _beside_capitals(text, start, end):
        return False
    prev, nxt = prev_token(text, start), next_token(text, end)
    if not any(t is not None and len(t) > 1 and t.isupper() and t.isalpha() for t in (prev, nxt)):
        return False
    lo = max(text.rfind("\n", max(0, start - 200), start) + 1, start - 200)
    hi = text.find("\n", end, end + 200)
    words, caps = _caps_words(text, lo, end + 200 if hi < 0 else hi)
    return caps >= 3 and caps * 5 >= words * 3


def _caps_words(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Words of two letters or more in ``text[lo:hi]`` (runs of ``[^\\W\\d_]``) and how many of
    them are ALL CAPS. Where the stretch holds nothing but ASCII and the punctuation news sets
    between words (curly quotes, dashes, no-break spaces: never part of a word), the standard
    library's ASCII letter runs are the same words, found in half the time."""
    if _OTHER_THAN_ASCII_AND_PUNCTUATION.search(text, lo, hi) is None:
        words = _ASCII_WORDS.findall(text, lo, hi)
        return len(words), sum(1 for w in words if w.isupper())
    words = [w for w in _WORD.findall(text, lo, hi) if len(w) > 1]
    return len(words), sum(w.isupper() for w in words)


def _beside_capitals(text: str, start: int, end: int) -> bool:
    """A capital letter ends the text before the span or two open the text after it: the cheap
    test that rules out almost every edit before any headline check."""
    head = text[max(0, start - 8) : start].rstrip()
    tail = text[end : end + 8].lstrip()
    return bool(head and head[-1].isupper()) or (tail[:2].isupper() and tail[:2].isalpha())


_WORD = regex.compile(r"[^\W\d_]+")
_NEWS_PUNCTUATION = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u00ab\u00bb\u00a0\u2009"
_OTHER_THAN_ASCII_AND_PUNCTUATION = re.compile(f"[^\\x00-\\x7f{_NEWS_PUNCTUATION}]")
_ASCII_WORDS = re.compile(r"[A-Za-z]{2,}")
_CAPS_WORD = regex.compile(r"\b[[:upper:]]{2,}\b")


def _may_hold_headline(text: str) -> bool:
    """At least three ALL-CAPS words in the text: a cheap test before any per-edit headline check."""
    return sum(1 for _ in islice(_CAPS_WORD.finditer(text), 3)) == 3


def _rebuild(entries: tuple[Entry, ...], config: Config, fuzzy_names: bool, backend: str = "auto") -> Repairer:
    return Repairer(entries, config, fuzzy_names=fuzzy_names, backend=backend)


def _why_not(hit: _Hit, cfg: Config) -> str:
    """Why a hit is only a suggestion."""
    return _why_not_of(hit.entry, len(hit.canonicals) > 1, cfg.min_confidence, cfg.min_tier)


@lru_cache(maxsize=4096)
def _why_not_of(entry: Entry, several: bool, min_confidence: float, min_tier: str) -> str:
    if entry.tier == "suggest":
        return "suggestion only (tier suggest)"
    if several:
        return "suggestion only (several candidates)"
    if entry.confidence < min_confidence:
        return f"suggestion only (confidence {entry.confidence:.2f} < {min_confidence:.2f})"
    return f"suggestion only (tier {entry.tier} below --min-tier {min_tier})"


@lru_cache(maxsize=4096)
def _suggested(before: str, canonicals: tuple[str, ...]) -> str:
    """A suggestion's text: each candidate in the case of the words it would replace."""
    return " | ".join(transfer_case(before, c) for c in canonicals)


def cfg_gate(config: Config) -> bool:
    """Is the language-model gate on for this config (and a model installed)?"""
    return config.language_model and lm.available()


def backend_name() -> str:
    """Which matching core a Repairer built now would run: "native" (the compiled core) or
    "python" (not built at install time, or ``REPAIR_NATIVE=0``)."""
    return "native" if native_available() else "python"
