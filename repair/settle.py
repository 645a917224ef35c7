"""Repair until nothing is left to repair, so that ``fix(fix(x)) == fix(x)``.

One pass can leave a spin that only the repaired text shows: two matches that overlap ("HOME
Republican Occasions": "HOME Republican" wins, "Republican Occasions" is dropped) or an entry
whose canonical is another entry's trigger in that document ("gained't" -> "won't" -> "will
not"). The repaired text is repaired again, at most ``MAX_PASSES`` times in all, and the passes'
edits are composed into one list of edits on the input: an edit of a later pass that touches an
earlier edit's output is merged with it into one edit whose reason names every step. A later
edit that would rewrite what an earlier one wrote is not made (precision first: a spinner swaps
a word once, so a canonical just restored is the original): "Amnesty Worldwide Minister" becomes
"Amnesty International Minister", never "Amnesty Foreign Minister", while "HOME Republican
Occasions" becomes "House Republican Times" (the second edit leaves "Republican" as it was).
What an edit rewrites is read word by word, letter case aside, so a spun name put right around
a word an earlier edit restored ("Psychological Well being Providers" -> "... Health ..." ->
"Mental Health Services") is made, the restored word kept, as is a longer entry that writes a
restored word with its own capitals ("brand New 12 months's" -> "new 12 months's" -> "New
Year's").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

from .edits import Edit, Result, apply_edits

MAX_PASSES = 4
"""Passes in all; a text that still changes after them is returned as the last pass left it."""


def settle(text: str, first: Result, later: Callable[[str], Sequence[Edit]]) -> Result:
    """``first`` (one pass over ``text``) followed by further passes over its output until one
    makes no edit; ``later(text)``: the edits of such a pass (in text order). The scan stays the
    first pass's (the scan of the input)."""
    result = first
    for _ in range(MAX_PASSES - 1):
        if not result.edits:
            return result
        again = later(result.text)
        composed = compose(text, result, again) if again else None
        if composed is None:
            return result
        result = composed
    return result


def compose(text: str, first: Result, second: Sequence[Edit]) -> Result | None:
    """One result on ``text`` equal to applying ``first`` and then those of the ``second``
    pass's edits (whose offsets are into ``first.text``) that leave the first pass's
    replacements as they are; None when there are none."""
    # where each edit of the first pass sits in its output
    placed: list[tuple[int, int, Edit]] = []
    shift = 0
    for e in first.edits:
        start = e.start + shift
        placed.append((start, start + len(e.after), e))
        shift += len(e.after) - (e.end - e.start)
    outputs = [(s, t) for s, t, _e in placed]
    later = [e for e in second if not _rewrites(e, outputs)]
    if not later:
        return None
    # group overlapping spans of both passes (in the first pass's output), in text order
    spans = sorted([(s, t, 0, e) for s, t, e in placed] + [(e.start, e.end, 1, e) for e in later],
                   key=lambda x: (x[0], x[1]))
    groups: list[list[tuple[int, int, int, Edit]]] = []
    end = -1
    for span in spans:
        if groups and span[0] < end:
            groups[-1].append(span)
            end = max(end, span[1])
        else:
            groups.append([span])
            end = span[1]
    edits: list[Edit] = []
    middle = first.text
    shift = 0  # output minus input length of the first-pass edits before the current point
    k = 0  # first-pass edits seen
    for group in groups:
        firsts = [e for _s, _t, p, e in group if p == 0]
        seconds = [(s, t, e) for s, t, p, e in group if p == 1]
        lo = min(s for s, *_ in group)
        hi = max(t for _s, t, *_ in group)
        start = firsts[0].start if firsts and placed[k][0] == lo else lo - shift
        for _ in firsts:
            s, t, e = placed[k]
            shift += len(e.after) - (e.end - e.start)
            k += 1
        stop = firsts[-1].end if firsts and placed[k - 1][1] == hi else hi - shift
        if not seconds:
            edits.append(firsts[0])
            continue
        after = apply_edits(middle[lo:hi], [e._replace(start=s - lo, end=t - lo) for s, t, e in seconds])
        steps = firsts + [e for *_x, e in seconds]
        lead = steps[0]
        reason = steps[0].reason if len(steps) == 1 else "; then ".join(
            f"{e.before!r} -> {e.after!r} [{e.entry}]: {e.reason}" for e in steps)
        edits.append(Edit(start, stop, text[start:stop], after, lead.entry, seconds[-1][2].tier,
                          min(e.confidence for e in steps), reason, lead.category))
    edits = [e for e in edits if e.before != e.after]
    taken = [(e.start, e.end) for e in edits]
    suggestions = tuple(s for s in first.suggestions if not _overlaps(s.start, s.end, taken))
    return Result(apply_edits(text, edits), tuple(edits), suggestions, first.scan)


def _rewrites(edit: Edit, outputs: list[tuple[int, int]]) -> bool:
    """Does ``edit`` change a character inside one of ``outputs`` (spans of the first pass's
    replacements)? Only what a word-by-word comparison of its before and after shows changed
    counts: a name put right around a word an earlier edit restored ("Psychological Health
    Providers" -> "Mental Health Services" around "Health") leaves that word as it is, and a
    longer entry may give a restored word its own capitals ("brand New 12 months's" -> "new 12
    months's" -> "New Year's"): the word is the one restored, and a fresh run would write it so."""
    for lo, hi in _changed(edit.before, edit.after):
        lo, hi = edit.start + lo, edit.start + hi
        if lo == hi:  # a pure insertion: inside an output if strictly within it
            if any(s < lo < t for s, t in _near(lo, outputs)):
                return True
        elif _overlaps(lo, hi, outputs):
            return True
    return False


_PIECE = re.compile(r"\w+|\s+|[^\w\s]")


def _changed(before: str, after: str) -> list[tuple[int, int]]:
    """The spans of ``before`` (offsets into it) that ``after`` does not keep, compared word by
    word (words, runs of spaces and single marks), letter case aside; an insertion is an empty
    span."""
    if before == after:
        return []
    a = [(m.start(), m.end(), m.group().casefold()) for m in _PIECE.finditer(before)]
    b = [m.group().casefold() for m in _PIECE.finditer(after)]
    out = []
    for tag, i1, i2, _j1, _j2 in SequenceMatcher(None, [x[2] for x in a], b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        lo = a[i1][0] if i1 < len(a) else len(before)
        hi = a[i2 - 1][1] if i2 > i1 else lo
        out.append((lo, hi))
    return out


def _near(pos: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The span starting at or before ``pos`` and the next one (spans sorted, disjoint)."""
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return spans[max(i, 0):i + 2]


def _overlaps(lo: int, hi: int, spans: list[tuple[int, int]]) -> bool:
    """Does ``[lo, hi)`` overlap one of ``spans`` (sorted and disjoint)? A binary search, so
    that a densely edited document costs no time per pair of edits."""
    return any(s < hi and lo < t for s, t in _near(lo, spans))
