"""Dask helpers: repair bags and dataframes partition by partition.

Each worker process builds the repairer once (cached by lexicon paths and config) and reuses
it for every partition it is given; only the lexicon paths and the frozen config travel.

    import dask.bag as db
    from repair.integrations.dask import repair_bag, repair_dataframe

    fixed = repair_bag(db.read_text("corpus/*.jsonl").map(json.loads), field="text")
    frame = repair_dataframe(ddf, "text", score_column="spin_score")
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..config import Config
from ..repairer import Repairer


@lru_cache(maxsize=8)
def worker_repairer(lexicons: tuple[str, ...] = (), config: Config | None = None) -> Repairer:
    """The repairer for this process, built on first use."""
    return Repairer.from_lexicons([Path(p) for p in lexicons], config)


def _repair_records(records: Iterable[Any], field: str | None, lexicons: tuple[str, ...],
                    config: Config | None, score_key: str | None) -> list[Any]:
    r = worker_repairer(lexicons, config)
    out = []
    for rec in records:
        if field is None:
            out.append(r.fix(rec))
            continue
        result = r.repair(rec[field])
        rec = dict(rec)
        rec[field] = result.text
        if score_key:
            rec[score_key] = result.scan.spin_score
        out.append(rec)
    return out


def repair_bag(bag, field: str | None = None, *, lexicons: Sequence[str | Path] = (),
               config: Config | None = None, score_key: str | None = None):
    """A bag of strings (``field=None``) or of dict records with a text ``field``, repaired."""
    return bag.map_partitions(
        _repair_records, field, tuple(str(p) for p in lexicons), config, score_key
    )


def _repair_frame(frame, column: str, score_column: str | None, lexicons: tuple[str, ...],
                  config: Config | None):
    r = worker_repairer(lexicons, config)
    results = [r.repair(t) for t in frame[column]]
    frame = frame.copy()
    frame[column] = [x.text for x in results]
    if score_column:
        frame[score_column] = [x.scan.spin_score for x in results]
    return frame


def repair_dataframe(ddf, column: str, *, score_column: str | None = None,
                     lexicons: Sequence[str | Path] = (), config: Config | None = None):
    """A dask dataframe with ``column`` repaired (and, optionally, a spin-score column)."""
    meta = ddf._meta.copy()
    if score_column:
        meta[score_column] = 0.0
    return ddf.map_partitions(
        _repair_frame, column, score_column, tuple(str(p) for p in lexicons), config, meta=meta
    )
