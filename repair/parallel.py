"""Run a Repairer over many texts on several processes, results in input order.

Built on the standard library's ProcessPoolExecutor. Each worker rebuilds the repairer once
(its automaton is not picklable, the entries are). Texts travel in batches of about 1 MB (or
256 documents) so that small documents do not drown in inter-process overhead; at most
``2 * jobs`` batches are in flight, so a long stream is processed in bounded memory.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from typing import TypeVar

from .edits import Result, Scan
from .repairer import Repairer

T = TypeVar("T")
A = TypeVar("A")
R = TypeVar("R")
_WORKER: Repairer | None = None


def _init(repairer: Repairer) -> None:
    global _WORKER
    _WORKER = repairer


BATCH_CHARS = 1_000_000
BATCH_DOCS = 256


def _repair(texts: list[str]) -> list[Result]:
    assert _WORKER is not None
    return [_WORKER.repair(t) for t in texts]


def _fix(texts: list[str]) -> list[str]:
    assert _WORKER is not None
    return [_WORKER.fix(t) for t in texts]


def _scan(texts: list[str]) -> list[Scan]:
    assert _WORKER is not None
    return [_WORKER.scan(t) for t in texts]


def _batches(items: Iterable[T], text_of) -> Iterator[tuple[list[T], list[str]]]:
    batch: list[T] = []
    texts: list[str] = []
    size = 0
    for item in items:
        text = text_of(item)
        batch.append(item)
        texts.append(text)
        size += len(text)
        if size >= BATCH_CHARS or len(batch) >= BATCH_DOCS:
            yield batch, texts
            batch, texts, size = [], [], 0
    if batch:
        yield batch, texts


def map_ordered(fn: Callable[[A], R], batches: Iterable[A], *, jobs: int,
                initializer: Callable[..., None], initargs: tuple) -> Iterator[R]:
    """``fn(batch)`` for each batch on ``jobs`` worker processes, results in input order, with at
    most ``2 * jobs`` batches in flight (bounded memory however long the input)."""
    from concurrent.futures import ProcessPoolExecutor  # only when there are workers

    window: deque[Future] = deque()
    with ProcessPoolExecutor(max_workers=jobs, initializer=initializer, initargs=initargs) as pool:
        for batch in batches:
            window.append(pool.submit(fn, batch))
            if len(window) >= 2 * jobs:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def run_ordered(
    repairer: Repairer, items: Iterable[T], text_of, *, jobs: int = 1, scan: bool = False,
    text_only: bool = False,
) -> Iterator[tuple[T, Result | Scan | str]]:
    """Yield ``(item, result)`` for each item, in order; ``text_of(item)`` gives its text.
    ``scan``: the result is the Scan; ``text_only``: the repaired text alone (what workers send
    back is then just that, not every edit).

    With ``jobs`` <= 1 everything runs in this process.
    """
    if jobs <= 1:
        work = repairer.scan if scan else repairer.fix if text_only else repairer.repair
        for item in items:
            yield item, work(text_of(item))
        return
    fn = _scan if scan else _fix if text_only else _repair
    pending: deque[list[T]] = deque()

    def texts() -> Iterator[list[str]]:
        for batch, batch_texts in _batches(items, text_of):
            pending.append(batch)
            yield batch_texts

    for results in map_ordered(fn, texts(), jobs=jobs, initializer=_init, initargs=(repairer,)):
        yield from zip(pending.popleft(), results, strict=True)
