"""Whole-file repair for ``--check`` and ``-w`` over many files: each worker reads, repairs and
(with ``write``) atomically rewrites its files itself, and only a small outcome travels back, so
the parent process does almost nothing and ``--jobs`` scales."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .errors import InputError, SkippedInput
from .edits import Result, hold_back
from .files import AtomicWriter, Document, atomic_write, encodable, is_unicode, read_documents
from .ignore import IgnoreList
from .parallel import map_ordered
from .repairer import Repairer


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What happened to one file."""

    name: str
    edits: int = 0
    written: bool = False
    error: str | None = None
    chars: int = 0
    skipped: bool = False  # passed over on purpose (a binary file), not a failure

    @property
    def changed(self) -> bool:
        return self.edits > 0


def fix_file(repairer: Repairer, name: str, *, write: bool, encoding: str = "utf-8",
             errors: str = "strict", ignore: IgnoreList | None = None, reference=None) -> FileOutcome:
    """Repair one file part by part; with ``write``, replace it atomically if anything changed
    (and only if the file did not change meanwhile). ``reference``: an index of originals
    (:class:`repair.pairing.Index`) whose same-article match repairs a part first."""
    writer: AtomicWriter | None = None
    edits = chars = 0
    try:
        for doc in read_documents(name, encoding=encoding, errors=errors):
            result = writable(doc, repair_part(repairer, doc.text, reference), ignore)
            chars += len(doc.text)
            edits += len(result.edits)
            if not write:
                continue
            if doc.first and doc.last:  # one part: touch the file only if it changes
                if result.edits:
                    atomic_write(name, result.text, doc.encoding, doc.stamp)
                continue
            if writer is None:
                writer = AtomicWriter(name, doc.encoding, doc.stamp)
            writer.write(result.text)
        if writer is not None:
            if edits:
                writer.commit()
            else:
                writer.abort()
            writer = None
        return FileOutcome(name, edits, written=write and edits > 0, chars=chars)
    except (InputError, OSError) as exc:
        if writer is not None:
            writer.abort()
        message = str(exc)
        return FileOutcome(name, edits, error=message if message.startswith(name) else f"{name}: {message}",
                           skipped=isinstance(exc, SkippedInput))


def repair_part(repairer: Repairer, text: str, reference=None) -> Result:
    """The repair of one document: from its original where ``reference`` holds the same
    article (:mod:`repair.reference`), by the lexicon alone otherwise."""
    if reference is None:
        return repairer.repair(text)
    from .reference import repair_with_reference

    best = reference.best(text)
    original, ref_id = (reference.texts[best[0]], best[0]) if best else (None, "")
    return repair_with_reference(repairer, text, original, ref_id)


def writable(doc: Document, result: Result, ignore: IgnoreList | None = None) -> Result:
    """``result`` less the edits a reviewer rejected (the ignore file) and with the edits whose
    replacement the document's encoding cannot write held back as suggestions."""
    if ignore is not None:
        result = ignore.apply(doc.text, result)
    if not is_unicode(doc.encoding) and result.edits:
        why = f"{doc.encoding} cannot write the replacement"
        result = hold_back(doc.text, result, lambda e: encodable(e.after, doc.encoding), why)
    return result


_WORKER: tuple[Repairer, dict] | None = None


def _init(repairer: Repairer, options: dict) -> None:
    global _WORKER
    _WORKER = (repairer, options)


def _fix_batch(names: list[str]) -> list[FileOutcome]:
    assert _WORKER is not None
    repairer, options = _WORKER
    return [fix_file(repairer, n, **options) for n in names]


BATCH_BYTES = 1_000_000
"""A batch of files closes at about this many bytes (or ``batch`` files): work is shared evenly
however the sizes are spread, and small files still travel many to a message."""


def _size(name: str) -> int:
    try:
        return os.stat(name).st_size
    except OSError:
        return 0  # the worker reports the error


def fix_files(repairer: Repairer, names: Iterable[str], *, jobs: int = 1, batch: int = 64,
              **options) -> Iterator[FileOutcome]:
    """``fix_file`` over many files, outcomes in input order; ``jobs`` worker processes."""
    if jobs <= 1:
        for n in names:
            yield fix_file(repairer, n, **options)
        return

    def batches() -> Iterator[list[str]]:
        pending: list[str] = []
        size = 0
        for n in names:
            pending.append(n)
            size += _size(n)
            if len(pending) >= batch or size >= BATCH_BYTES:
                yield pending
                pending, size = [], 0
        if pending:
            yield pending

    for outcomes in map_ordered(_fix_batch, batches(), jobs=jobs, initializer=_init, initargs=(repairer, options)):
        yield from outcomes
