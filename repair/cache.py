"""On-disk cache for data derived from the lexicons (compiled entries, bigram subsets).

Files live in ``$REPAIR_CACHE_DIR`` (default ``~/.cache/repair``), named by the caller from a
hash of what they were derived from, so a changed input simply misses. Reads and writes are
best effort: an unreadable, corrupt or read-only cache means recomputing, never an error.
Writes go to a temporary file in the same directory and are renamed into place, so parallel
workers never see half a file.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

FORMAT = 3
"""Bumped whenever a cached object's shape changes; part of every cache key."""


def cache_dir() -> Path:
    """Where cached files go."""
    return Path(os.environ.get("REPAIR_CACHE_DIR") or Path.home() / ".cache" / "repair")


def key(kind: str, *parts: bytes) -> str:
    """The cache file name for data of ``kind`` derived from ``parts`` (file bytes, code, word
    lists): any change to them gives another name, so stale data is simply never read."""
    import hashlib

    digest = hashlib.sha1(str(FORMAT).encode())
    for part in parts:
        digest.update(len(part).to_bytes(8, "little") + part)
    return f"{kind}-v{FORMAT}-{digest.hexdigest()[:16]}.pickle"


def load(name: str) -> object | None:
    """The object cached under ``name``, or None."""
    try:
        with open(cache_dir() / name, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, ImportError, TypeError):
        return None


KEEP = 4
"""Files kept per kind (the part of the name before the first "-"); older ones are removed."""


def store(name: str, obj: object) -> None:
    """Cache ``obj`` under ``name`` (silently skipped when the directory is not writable), and
    drop all but the newest ``KEEP`` files of its kind, so edits to a lexicon do not pile up."""
    import tempfile

    path = cache_dir() / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        kind = name.split("-", 1)[0] + "-"
        older = sorted((p for p in path.parent.glob(kind + "*") if p.name != name),
                       key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in older[KEEP - 1:]:
            stale.unlink()
    except OSError:
        pass


def quick_pickle(cls: type) -> type:
    """Pickle a frozen slotted dataclass as a plain tuple of its fields. The generic state
    functions dataclasses adds look up the fields for every object, which made reading the
    cached lexicon (thousands of entries and contexts) a fifth of a cold start."""
    from dataclasses import fields

    names = tuple(f.name for f in fields(cls))
    setattr_ = object.__setattr__

    def getstate(self: object) -> tuple:
        return tuple(getattr(self, n) for n in names)

    def setstate(self: object, state: tuple) -> None:
        for n, v in zip(names, state):
            setattr_(self, n, v)

    cls.__getstate__ = getstate  # type: ignore[attr-defined]
    cls.__setstate__ = setstate  # type: ignore[attr-defined]
    return cls
