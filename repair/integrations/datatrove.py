"""datatrove blocks (optional dependency ``datatrove``): repair text like its ftfy formatter, and
filter documents by spin score. Edits and the spin score go into each document's metadata.

    from datatrove.executor import LocalPipelineExecutor
    from repair.integrations.datatrove import RepairFormatter, SpinFilter

    # score before repairing: a repaired text no longer looks spun
    LocalPipelineExecutor(pipeline=[reader, SpinFilter(min_score=0.5), RepairFormatter(), writer])
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.formatters.base import BaseFormatter

from ..config import Config
from .dask import worker_repairer


class RepairFormatter(BaseFormatter):
    """Repair each document's text; ``metadata[score_key]`` gets the spin score and, unless
    ``edits_key`` is None, ``metadata[edits_key]`` the edits (dicts)."""

    name = "🩹 repair"

    def __init__(self, lexicons: Sequence[str | Path] = (), config: Config | None = None,
                 score_key: str = "spin_score", edits_key: str | None = "repair_edits") -> None:
        super().__init__()
        self.lexicons = tuple(str(p) for p in lexicons)
        self.config = config
        self.score_key = score_key
        self.edits_key = edits_key

    def format(self, text: str) -> str:  # the base class's per-text hook
        return worker_repairer(self.lexicons, self.config).fix(text)

    def run(self, data, rank: int = 0, world_size: int = 1):
        repairer = worker_repairer(self.lexicons, self.config)
        for doc in data:
            self.stat_update("total")
            with self.track_time():
                result = repairer.repair(doc.text)
                doc.text = result.text
                doc.metadata[self.score_key] = result.scan.spin_score
                if self.edits_key:
                    doc.metadata[self.edits_key] = [e.to_dict() for e in result.edits]
                if result.edits:
                    self.stat_update("repaired")
            yield doc


class SpinFilter(BaseFilter):
    """Keep documents whose spin score lies in [min_score, max_score]; the score goes into
    ``metadata[score_key]``."""

    name = "🩹 spin filter"

    def __init__(self, min_score: float = 0.0, max_score: float = 1.0, lexicons: Sequence[str | Path] = (),
                 config: Config | None = None, score_key: str = "spin_score", exclusion_writer=None) -> None:
        super().__init__(exclusion_writer)
        self.min_score, self.max_score = min_score, max_score
        self.lexicons = tuple(str(p) for p in lexicons)
        self.config = config
        self.score_key = score_key

    def filter(self, doc) -> bool | tuple[bool, str]:
        score = worker_repairer(self.lexicons, self.config).scan(doc.text).spin_score
        doc.metadata[self.score_key] = score
        if score < self.min_score:
            return False, "spin score below range"
        if score > self.max_score:
            return False, "spin score above range"
        return True
