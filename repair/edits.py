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


def _slot_setter(cls: type, *names: str) -> Callable[..., object]:
    """A constructor of a frozen, slotted dataclass that takes every field and sets the slots
    through their descriptors: the object ``cls(*values)`` makes, without the generated
    ``__init__``'s ``object.__setattr__`` per field (half the time; a pass makes two)."""
    set0, set1, set2, set3 = (getattr(cls, name).__set__ for name in names)
    new = object.__new__

    def make(a: object, b: object, c: object, d: object) -> object:
        obj = new(cls)
        set0(obj, a)
        set1(obj, b)
        set2(obj, c)
        set3(obj, d)
        return obj

    return make


make_scan: Callable[[float, bool, tuple[Evidence, ...], int], Scan] = _slot_setter(
    Scan, "spin_score", "spun", "evidence", "words")  # type: ignore[assignment]
"""``Scan(spin_score, spun, evidence, words)``, faster (for the repair passes)."""
make_result: Callable[[str, tuple[Edit, ...], tuple[Edit, ...], Scan], Result] = _slot_setter(
    Result, "text", "edits", "suggestions", "scan")  # type: ignore[assignment]
"""``Result(text, edits, suggestions, scan)``, faster (for the repair passes)."""


def apply_edits(text: str, edits: Iterable[Edit], start: int = 0, end: int | None = None) -> str:
    """Replay edits (sorted, non-overlapping, offsets into ``text``) and return the new text;
    with ``start``/``end``, the new text of ``text[start:end]`` (the edits lie inside it)."""
    parts: list[str] = []
    pos = start
    for e in sorted(edits, key=lambda e: e.start):
        if e.start < pos or text[e.start : e.end] != e.before:
            raise ValueError(f"edit at {e.start}:{e.end} does not fit the text")
        parts.append(text[pos : e.start])
        parts.append(e.after)
        pos = e.end
    if end is not None and pos > end:
        raise ValueError(f"an edit ends at {pos}, after {end}")
    parts.append(text[pos:end])
    return "".join(parts)


def demote(edits: Iterable[Edit], suggestions: Iterable[Edit], judge: Callable[[Edit], tuple[Edit, str | None]],
           *, keep_suggestions: bool = True) -> tuple[list[Edit], list[Edit]]:
    """Split ``edits`` by ``judge``, which returns the edit (its reason possibly extended) and
    None to keep it applied, or a reason to hold it back: a held edit becomes a suggestion whose
    reason ends "not applied: <why>" (dropped where ``keep_suggestions`` is False). The one way
    every later check (encoding, language model, junctions) turns an edit into a suggestion."""
    kept: list[Edit] = []
    held: list[Edit] = []
    for e in edits:
        e2, why = judge(e)
        if why is None:
            kept.append(e2)
        else:
            held.append(e2._replace(reason=f"{e2.reason.removesuffix('; applied')}; not applied: {why}"))
    out = list(suggestions)
    if held and keep_suggestions:
        out = sorted([*out, *held], key=lambda e: e.start)
    return kept, out


def hold_back(text: str, result: Result, keep: Callable[[Edit], bool], why: str) -> Result:
    """``result`` with the edits ``keep`` refuses turned into suggestions (their reason says
    ``why``) and the text recomputed from the rest: an edit the output cannot carry (a
    replacement the file's encoding cannot write) is shown for review, never half-applied."""
    if all(keep(e) for e in result.edits):
        return result
    kept, suggestions = demote(result.edits, result.suggestions, lambda e: (e, None if keep(e) else why))
    return Result(apply_edits(text, kept), tuple(kept), tuple(suggestions), result.scan)
