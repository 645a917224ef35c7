"""Documents at the edge: find input files, read them as exact text, write them atomically.

Nothing here knows about lexicons or the CLI framework; the CLI composes these helpers.
"""

from __future__ import annotations

import codecs
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
_READ = 1 << 20
STREAM_THRESHOLD = 8 << 20
"""Inputs up to this many characters are one document; longer ones are streamed in parts."""
CHUNK = 1 << 20
"""Target size of a streamed part, in characters."""


@dataclass(frozen=True, slots=True)
class Document:
    """A text document, or one part of a streamed one: where it came from (a path, or ``-`` for
    stdin), its exact text, and where the part starts in the whole input."""

    name: str
    text: str
    offset: int = 0  # characters before this part
    line: int = 0  # line breaks before this part
    first: bool = True
    last: bool = True


def is_binary(data: bytes) -> bool:
    """A NUL byte in the first 8 KiB marks a binary file, as git and grep decide."""
    return b"\x00" in data[:_SNIFF]


def encode(text: str, encoding: str = "utf-8") -> bytes:
    """Encode text read by :func:`read_documents` back to bytes in its encoding."""
    return text.encode(encoding, errors="surrogatepass" if encoding == "utf-8" else "strict")


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


def safe_cut(text: str, size: int) -> int:
    """Where to end a part of at most ``size`` characters without splitting a phrase: after a
    blank line (no phrase spans one), else after a sentence end, else after a line break (a
    phrase may be broken across lines, but rarely across a sentence), else after a space (a line
    longer than a part), else at ``size``."""
    for sep in ("\n\n", ".\n", ". ", "\n", " "):
        i = text.rfind(sep, 0, size)
        if i > 0:
            return i + len(sep)
    return size


def read_documents(
    name: str, *, threshold: int | None = None, chunk: int | None = None,
    encoding: str = "utf-8", errors: str = "strict",
) -> Iterator[Document]:
    """Read a document incrementally. Up to ``threshold`` characters it is one Document; a
    longer input is yielded in parts of about ``chunk`` characters (see :func:`safe_cut`), so
    memory stays bounded. Raises InputError naming the input (and the byte offset of a byte
    that does not decode, unless ``errors`` is "replace").
    """
    threshold = STREAM_THRESHOLD if threshold is None else threshold
    chunk = CHUNK if chunk is None else chunk
    label = "<stdin>" if name == STDIN else name
    try:
        stream = sys.stdin.buffer if name == STDIN else open(name, "rb")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    try:
        decoder = codecs.getincrementaldecoder(encoding)(errors)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    buf, consumed, offset, line, first, sniffed = "", 0, 0, 0, True, False
    try:
        while True:
            try:
                data = stream.read(_READ)
            except OSError as exc:
                raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
            if not sniffed:
                sniffed = True
                if is_binary(data):
                    raise InputError(f"{label}: binary file, skipped")
            pending = len(decoder.getstate()[0])
            try:
                buf += decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                what = "UTF-8" if encoding == "utf-8" else encoding
                raise InputError(
                    f"{label}: invalid {what} at byte {consumed - pending + exc.start}; "
                    "convert it, name its --encoding, or use --errors replace"
                ) from None
            consumed += len(data)
            if not data:
                break
            while len(buf) >= (threshold if first else chunk):
                cut = safe_cut(buf, chunk)
                part, buf = buf[:cut], buf[cut:]
                yield Document(name, part, offset, line, first, False)
                offset += len(part)
                line += part.count("\n")
                first = False
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    yield Document(name, buf, offset, line, first, True)


class AtomicWriter:
    """Write a file's new content in parts, then swap it in: a temporary file in the same
    directory, flushed and fsynced, renamed over the original, keeping its permission bits.
    Readers see either the old or the new content, never a mix. A symlink is refused rather
    than replaced by a file."""

    def __init__(self, path: str | Path, encoding: str = "utf-8") -> None:
        self.target = Path(path)
        self.encoding = encoding
        if self.target.is_symlink():
            raise InputError(f"{path}: is a symlink; not rewritten (repair the file it points to)")
        self.mode = stat.S_IMODE(self.target.stat().st_mode)
        fd, self.tmp = tempfile.mkstemp(
            prefix=f".{self.target.name}.", suffix=".repair-tmp", dir=self.target.parent
        )
        self.fh = os.fdopen(fd, "wb")

    def write(self, text: str) -> None:
        self.fh.write(encode(text, self.encoding))

    def commit(self) -> None:
        """Flush, fsync and rename over the target."""
        try:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
            os.chmod(self.tmp, self.mode)
            os.replace(self.tmp, self.target)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Drop the temporary file; the target is untouched."""
        self.fh.close()
        try:
            os.unlink(self.tmp)
        except FileNotFoundError:
            pass


def atomic_write(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` atomically (see :class:`AtomicWriter`)."""
    writer = AtomicWriter(path, encoding)
    try:
        writer.write(text)
    except BaseException:
        writer.abort()
        raise
    writer.commit()
