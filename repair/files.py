"""Documents at the edge: find input files, read them as exact text, write them atomically.

Nothing here knows about lexicons or the CLI framework; the CLI composes these helpers.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

STDIN = "-"
_SNIFF = 8192


@dataclass(frozen=True, slots=True)
class Document:
    """A text document: where it came from (a path, or ``-`` for stdin) and its exact text."""

    name: str
    text: str


def is_binary(data: bytes) -> bool:
    """A NUL byte in the first 8 KiB marks a binary file, as git and grep decide."""
    return b"\x00" in data[:_SNIFF]


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 exactly (BOM and line endings kept); errors name the file and byte offset."""
    if is_binary(data):
        raise InputError(f"{name}: binary file, skipped")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: invalid UTF-8 at byte {exc.start}; convert the file to UTF-8 first"
        ) from None


def encode(text: str) -> bytes:
    """Inverse of :func:`decode` for text that came from it."""
    return text.encode("utf-8", errors="surrogatepass")


def expand_paths(paths: Sequence[str]) -> Iterator[str | InputError]:
    """Yield file names to process: files as given, directories walked recursively (hidden
    entries skipped, sorted), ``-`` for stdin; a missing path yields an InputError."""
    for raw in paths or [STDIN]:
        if raw == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield str(Path(root) / name)
        elif path.exists():
            yield raw
        else:
            yield InputError(f"{raw}: no such file or directory")


def read_document(name: str) -> Document:
    """Read one document; raises InputError with a message that names it."""
    if name == STDIN:
        return Document(STDIN, decode(sys.stdin.buffer.read(), "<stdin>"))
    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    return Document(name, decode(data, name))


def atomic_write(path: str | Path, text: str) -> None:
    """Replace ``path`` with ``text``: temporary file in the same directory, fsync, rename.

    The file keeps its permission bits. A symlink is refused rather than replaced by a file.
    Readers see either the old or the new content, never a mix.
    """
    target = Path(path)
    if target.is_symlink():
        raise InputError(f"{path}: is a symlink; not rewritten (repair the file it points to)")
    mode = stat.S_IMODE(target.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".repair-tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(encode(text))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
