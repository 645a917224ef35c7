"""Matches that run into a restored phrase: the last guard of ``fix(fix(x)) == fix(x)``.

One pass restores "commerce deal" to "trade deal" in "journey commerce deal"; the output reads
"journey trade deal", where the entry "journey trade" -> "travel industry" now matches across
the restored phrase. Within one run :mod:`repair.settle` refuses that second edit (it rewrites a
restored word), but a fresh run over the output has no memory of what was restored, so it would
make it. This module gives every run the same answer: a match whose first or last words are
shared with an adjacent occurrence of another entry's canonical phrase, at words that entry
restores, is not applied (it is reported as a suggestion). Precision first: the text there reads
as a restored original, so either reading may be right and the edit is left to a reviewer.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from .lexicon import PROTECT, Entry

_TRIM = "\"'.,;:!?)]}”’»"  # punctuation a word in the text may carry after it
_LEAD = "\"'([{“‘«"  # and before it
_EDGE_PUNCT = _TRIM + _LEAD
_POSSESSIVE = regex.compile(r"['’]s$", regex.IGNORECASE)
_SPAN = 120  # characters of context read on each side of an edit
MEMO = 50_000  # matched texts remembered


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.casefold().split())


class Junctions:
    """The multi-word canonicals of a lexicon, indexed by their first and last word."""

    __slots__ = ("_edges", "_heads", "_memo", "_plans", "_tails")

    def __init__(self, entries: Iterable[Entry]) -> None:
        heads: dict[str, set[tuple[str, ...]]] = {}
        tails: dict[str, set[tuple[str, ...]]] = {}
        for e in entries:
            if e.tier == PROTECT or len(e.canonicals) != 1:
                continue
            if " " not in e.spun or " " not in e.canonicals[0]:
                continue  # one word, or a contraction expanded ("they've" -> "they have"): no phrase swap
            canon = _words(e.canonicals[0])
            # a restored phrase is one edit: settle refuses to rewrite any of its words, kept
            # ones included ("tackled the nation" -> "addressed the nation" keeps "nation")
            heads.setdefault(canon[0], set()).add(canon)
            tails.setdefault(canon[-1], set()).add(canon)
        # sorted: the phrase a reason names must not depend on the process's string hashing
        # (a worker of --jobs has its own)
        self._heads = {w: tuple(sorted(p)) for w, p in heads.items()}
        self._tails = {w: tuple(sorted(p)) for w, p in tails.items()}
        self._edges = frozenset(self._heads) | frozenset(self._tails)  # a match without one has no checks
        # per matched text, what to read beside it (most matches: nothing); bounded
        self._memo: dict[str, tuple[tuple[bool, tuple[str, ...], tuple[str, ...]], ...]] = {}
        self._plans: dict[str, tuple] = {}  # per matched text, (checks, *_plan(checks)), for the core

    def __bool__(self) -> bool:
        return bool(self._heads or self._tails)

    def share_with(self, core) -> None:
        """Give the compiled core what it needs to answer a span with no edge word itself, as
        :meth:`plan` would (see ``Core.set_junctions``)."""
        core.set_junctions(self._edges, _NOTHING, _EDGE_PUNCT, MEMO)

    def checks(self, span: str) -> tuple[tuple[bool, tuple[str, ...], tuple[str, ...]], ...]:
        """What :meth:`meets` reads beside a match of ``span`` (empty for most matches),
        remembered per matched text."""
        found = self._memo.get(span)
        if found is None:
            found = self._checks(span)
            if len(self._memo) >= MEMO:
                self._memo.clear()
            self._memo[span] = found
        return found

    def plan(self, span: str) -> tuple:
        """(checks, first words after, most words after, last words before, most words before)
        for a match of ``span``: its checks (as :meth:`checks` gives them) and their
        :func:`_plan`, remembered per matched text (the compiled core reads the dictionary
        itself and calls this on a miss)."""
        found = self._plans.get(span)
        if found is None:
            checks = self._checks(span)
            found = (checks, *_plan(checks)) if checks else _NOTHING
            if len(self._plans) >= MEMO:
                self._plans.clear()
            self._plans[span] = found
        return found

    def meets(self, text: str, start: int, end: int, checks=None) -> tuple[str, ...] | None:
        """The canonical phrase that the match ``text[start:end]`` shares its last words with
        (read on into the text after it) or its first words with (read back into the text
        before it); None when there is none. ``checks``: :meth:`checks` of the span, when the
        caller has them."""
        if checks is None:
            checks = self.checks(text[start:end])
        if not checks:
            return None
        heads, longest_after, tails, longest_before = _plan(checks)
        # the nearest word on each side first: most edits stop there
        after = _following(text, end, 1) if heads else []
        if after and after[0] in heads:
            if longest_after > 1:
                after = _following(text, end, longest_after)
        elif not tails:
            return None
        before = _preceding(text, start, 1) if tails else []
        if before and before[-1] in tails:
            if longest_before > 1:
                before = _preceding(text, start, longest_before)
        elif not (after and after[0] in heads):
            return None
        for forward, rest, canon in checks:
            if _starts(after, rest) if forward else _ends(before, rest):
                return canon
        return None

    def _checks(self, span: str) -> tuple[tuple[bool, tuple[str, ...], tuple[str, ...]], ...]:
        """What ``meets`` must read beside a match of ``span``: per canonical that shares its
        edge words, the direction and the words that must follow (or precede) it."""
        inside = tuple([w.strip(_EDGE_PUNCT) for w in span.casefold().split()])
        if self._edges.isdisjoint(inside):
            return ()  # most matches: no word of theirs begins or ends a restored phrase
        out: list[tuple[bool, tuple[str, ...], tuple[str, ...]]] = []
        for k in range(1, len(inside) + 1):
            for canon in self._heads.get(inside[-k], ()):
                if len(canon) > k and canon[:k] == inside[-k:]:
                    out.append((True, canon[k:], canon))
            for canon in self._tails.get(inside[k - 1], ()):
                if len(canon) > k and canon[-k:] == inside[:k]:
                    out.append((False, canon[:-k], canon))
        return tuple(out)


_Checks = tuple[tuple[bool, tuple[str, ...], tuple[str, ...]], ...]
_NOTHING: tuple = ((), frozenset(), 0, frozenset(), 0)
_PLANS: dict[_Checks, tuple[frozenset[str], int, frozenset[str], int]] = {}


def _plan(checks: _Checks) -> tuple[frozenset[str], int, frozenset[str], int]:
    """The words a check may start with after the match and end with before it, and the most
    words read on each side (remembered per distinct checks tuple: a lexicon has few)."""
    found = _PLANS.get(checks)
    if found is None:
        after = [rest for forward, rest, _ in checks if forward]
        before = [rest for forward, rest, _ in checks if not forward]
        found = (frozenset(r[0] for r in after), max(map(len, after), default=0),
                 frozenset(r[-1] for r in before), max(map(len, before), default=0))
        if len(_PLANS) >= MEMO:
            _PLANS.clear()
        _PLANS[checks] = found
    return found


def _following(text: str, end: int, need: int = 8) -> list[str]:
    """Up to ``need`` words after ``end`` (up to the first one that carries punctuation after
    it)."""
    out: list[str] = []
    if end < len(text) and not text[end].isspace():
        return out  # the match ends inside a token ("trade-off"): nothing runs on
    for w in text[end:end + _SPAN].split(maxsplit=need):  # words: what str.isspace() separates
        core = _POSSESSIVE.sub("", w.rstrip(_TRIM))  # "Main Reason's": the phrase ends at "Reason"
        out.append(core.casefold())
        if core != w or core.lstrip(_LEAD) != core or len(out) >= need:
            break
    return out


def _preceding(text: str, start: int, need: int = 8) -> list[str]:
    """Up to ``need`` words before ``start``, nearest last (back to one that carries punctuation
    before it or a sentence end after it)."""
    if start > 0 and not text[start - 1].isspace():
        return []
    lo = max(0, start - min(_SPAN, 24 * need + 24))
    words = text[lo:start].split()
    if lo and words and not text[lo - 1].isspace() and not text[lo].isspace():
        words = words[1:]  # the window began inside that word
    out: list[str] = []
    for w in reversed(words[-need - 1:]):
        core = w.lstrip(_LEAD)
        if core.rstrip(_TRIM) != core:
            break
        out.append(core.casefold())
        if core != w:
            break
    out.reverse()
    return out


def _starts(words: list[str], phrase: tuple[str, ...]) -> bool:
    return len(words) >= len(phrase) and tuple(words[: len(phrase)]) == phrase


def _ends(words: list[str], phrase: tuple[str, ...]) -> bool:
    return len(words) >= len(phrase) and tuple(words[len(words) - len(phrase):]) == phrase
