"""Edits and results: frozen values that every view (diff, JSON, report) renders."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple


class Edit(NamedTuple):
    """One replacement of ``before`` at ``[start, end)`` of the input by ``after``.

    An immutable value (a named tuple: cheap to create by the hundred thousand).
    """

    start: int
    end: int
    before: str
    after: str
    entry: str  # the lexicon entry's origin, "file:line"
    tier: str
    confidence: float
    reason: str
    category: str = ""

    def to_dict(self) -> dict[str, object]:
        return self._asdict()


class Evidence(NamedTuple):
    """How often one lexicon entry fired in a document, for scores and explanations."""

    spun: str
    canonical: str
    tier: str
    count: int
    entry: str

    def to_dict(self) -> dict[str, object]:
        return self._asdict()


@dataclass(frozen=True, slots=True)
class Scan:
    """Spin score of one document in [0, 1], the verdict and the evidence behind it."""

    spin_score: float
    spun: bool
    evidence: tuple[Evidence, ...] = ()
    words: int = 0


@dataclass(frozen=True, slots=True)
class Result:
    """Repaired text, the edits applied, the suggestions not applied, and the scan."""

    text: str
    edits: tuple[Edit, ...]
    suggestions: tuple[Edit, ...] = ()
    scan: Scan = field(default_factory=lambda: Scan(0.0, False))

    @property
    def spin_score(self) -> float:
        return self.scan.spin_score

    @property
    def changed(self) -> bool:
        return bool(self.edits)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Replay edits (sorted, non-overlapping, offsets into ``text``) and return the new text."""
    parts: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: e.start):
        if e.start < pos or text[e.start : e.end] != e.before:
            raise ValueError(f"edit at {e.start}:{e.end} does not fit the text")
        parts.append(text[pos : e.start])
        parts.append(e.after)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


def hold_back(text: str, result: Result, keep: Callable[[Edit], bool], why: str) -> Result:
    """``result`` with the edits ``keep`` refuses turned into suggestions (their reason says
    ``why``) and the text recomputed from the rest: an edit the output cannot carry (a
    replacement the file's encoding cannot write) is shown for review, never half-applied."""
    kept: list[Edit] = []
    held: list[Edit] = []
    for e in result.edits:
        (kept if keep(e) else held).append(e)
    if not held:
        return result
    held_back = tuple(e._replace(reason=f"{e.reason}; not applied: {why}") for e in held)
    suggestions = tuple(sorted(result.suggestions + held_back, key=lambda e: e.start))
    return Result(apply_edits(text, kept), tuple(kept), suggestions, result.scan)
