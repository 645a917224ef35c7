"""The one frozen configuration object; CLI options map onto its fields one to one."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ConfigError
from .lexicon import TIERS

APPLY_TIERS = TIERS[:3]  # certain, likely, context: the tiers that may be written


@dataclass(frozen=True, slots=True)
class Config:
    """How eagerly to repair.

    threshold: spin score at or above which a document counts as spun and the ``likely`` and
        ``context`` tiers apply.
    min_tier: weakest tier that may be applied (``certain`` applies only never-English spins).
    min_confidence: entries below this confidence are suggested, never applied.
    assume_spun: skip detection and treat every document as spun.
    suggestions: report suggestions (entries that are never written automatically).
    fuzzy: in spun documents, match spun names against the gazetteer with rapidfuzz.
    language_model: apply an edit of the likely or context tier only where the trigram model
        (``repair.lm``, ``pip install 'repair[lm]'``) prefers the canonical in that context; the
        others become suggestions. Off by default: see benchmarks/README.md for what it costs.
    second_look: a document short of spun whose evidence holds two weak spins is repaired as
        if spun once more, and counts as spun when that gives dense weak edits (a short or
        lightly spun text): see ``repair.scoring.PROFILE_BASE``.
    same_document: in a spun document, a context entry's spun word whose context does not hold
        is rewritten where the document's own edits already rewrote that word to that canonical
        elsewhere (see ``repair.consistency``).
    """

    threshold: float = 0.5
    min_tier: str = "context"
    min_confidence: float = 0.5
    assume_spun: bool = False
    suggestions: bool = True
    fuzzy: bool = True
    language_model: bool = False
    second_look: bool = True
    same_document: bool = True

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise ConfigError(f"threshold must be between 0 and 1, got {self.threshold}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ConfigError(f"min_confidence must be between 0 and 1, got {self.min_confidence}")
        if self.min_tier not in APPLY_TIERS:
            raise ConfigError(f"min_tier must be one of {', '.join(APPLY_TIERS)}, got {self.min_tier!r}")

    def tier_allowed(self, tier: str) -> bool:
        """True when entries of ``tier`` may be applied under this config."""
        return tier in APPLY_TIERS and APPLY_TIERS.index(tier) <= APPLY_TIERS.index(self.min_tier)
