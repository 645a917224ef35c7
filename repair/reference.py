"""Repair from a found original: where the article a spun text was made from is at hand, its
own words are the best repair of every swapped stretch.

Precision first: the original is used only when the alignment says it is the same article
(:data:`MIN_SIMILARITY` of the tokens in common runs; another article on the same story scores
far lower), and only for short replaced runs (:data:`repair.align.MAX_RUN` tokens a side), never
for a paragraph the copy added or dropped. Each edit is explained as ``reference:<id>``.
"""

from __future__ import annotations

from .align import align
from .edits import Edit, Result, apply_edits
from .repairer import Repairer

MIN_SIMILARITY = 0.5


def reference_edits(spun: str, original: str, ref_id: str, *, min_similarity: float = MIN_SIMILARITY) -> list[Edit]:
    """The edits that restore ``original``'s words in ``spun`` (none when the two are not the
    same article)."""
    score, subs = align(spun, original)
    if score < min_similarity:
        return []
    why = f"restored from reference {ref_id} (same article: {score:.2f} of tokens aligned)"
    return [Edit(s.spun_start, s.spun_end, s.spun, s.original, f"reference:{ref_id}", "certain",
                 round(score, 3), f"{why}; applied", "reference")
            for s in subs]


def repair_with_reference(repairer: Repairer, spun: str, original: str | None, ref_id: str = "") -> Result:
    """The lexicon's repair of ``spun``, with the reference's restorations taking precedence
    where they overlap (the reference knows; the lexicon infers)."""
    result = repairer.repair(spun)
    if original is None:
        return result
    restored = reference_edits(spun, original, ref_id)
    if not restored:
        return result
    spans = [(e.start, e.end) for e in restored]

    def free(e: Edit) -> bool:
        return all(e.end <= s or e.start >= t for s, t in spans)

    edits = sorted([*restored, *(e for e in result.edits if free(e))], key=lambda e: e.start)
    suggestions = tuple(e for e in result.suggestions if free(e))
    return Result(apply_edits(spun, edits), tuple(edits), suggestions, result.scan)
