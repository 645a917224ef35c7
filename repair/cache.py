"""On-disk cache for data derived from the lexicons (compiled entries, bigram subsets).

Files live in ``$REPAIR_CACHE_DIR`` (default ``~/.cache/repair``), named by the caller from a
hash of what they were derived from, so a changed input simply misses. Reads and writes are
best effort: an unreadable, corrupt or read-only cache means recomputing, never an error.
Writes go to a temporary file in the same directory and are renamed into place, so parallel
workers never see half a file. Each file starts with a SHA-256 digest of its pickle, checked
before the pickle is read: a flipped bit on disk is a miss (and the file is dropped), never a
crash or a silently different lexicon.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

FORMAT = 4
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


MAGIC = b"repair-cache\n"


def load(name: str) -> object | None:
    """The object cached under ``name``, or None (also when its checksum does not match)."""
    import hashlib

    path = cache_dir() / name
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    head = len(MAGIC) + 32
    if not data.startswith(MAGIC) or hashlib.sha256(data[head:]).digest() != data[len(MAGIC):head]:
        try:
            path.unlink()
        except OSError:
            pass
        return None
    try:
        return pickle.loads(data[head:])
    except (pickle.UnpicklingError, EOFError, ValueError, AttributeError, ImportError, TypeError, MemoryError):
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
            import hashlib

            payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(fd, "wb") as fh:
                fh.write(MAGIC + hashlib.sha256(payload).digest() + payload)
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
