"""Documents at the edge: find input files, read them as exact text, write them atomically.

Nothing here knows about lexicons or the CLI framework; the CLI composes these helpers.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, SkippedInput

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
    stdin), its exact text, where the part starts in the whole input, the codec that writes the
    text back to the exact bytes it was read from, and the file's identity when it was opened
    (to notice a change made while it was being repaired)."""

    name: str
    text: str
    offset: int = 0  # characters before this part
    line: int = 0  # line breaks before this part
    first: bool = True
    last: bool = True
    encoding: str = "utf-8"
    stamp: tuple[int, int, int, int] | None = None  # (device, inode, size, mtime_ns) at open


_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_UNICODE = {"utf-8", "utf-8-sig", "utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"}


def exact_codec(encoding: str, head: bytes) -> str:
    """The codec that decodes a file starting with ``head`` and encodes the text back to the
    very same bytes. A byte order mark stays in the text as U+FEFF (so it is written back once,
    where it was, and never added), and, where a Unicode encoding was asked for, a UTF-16 or
    UTF-32 mark chooses that encoding (as ripgrep does). Raises LookupError for an unknown
    encoding."""
    name = codecs.lookup(encoding).name
    if name in _UNICODE:
        for bom, codec in _BOMS:
            if head.startswith(bom):
                return codec
        if name == "utf-8-sig":
            return "utf-8"
        if name in ("utf-16", "utf-32"):  # no mark: what Python's codec reads, little-endian
            return name + "-le"
    return name


def is_unicode(codec: str) -> bool:
    """A UTF codec (by its :func:`codecs.lookup` name): every replacement can be written in it."""
    return codec.startswith("utf")


def is_utf16_or_32(codec: str) -> bool:
    """Text in these encodings is full of NUL bytes: no binary sniffing for them."""
    return codec.startswith(("utf-16", "utf-32"))


def is_binary(data: bytes) -> bool:
    """A NUL byte in the first 8 KiB marks a binary file, as git and grep decide."""
    return b"\x00" in data[:_SNIFF]


def encode(text: str, encoding: str = "utf-8") -> bytes:
    """Encode text read by :func:`read_documents` back to bytes in its encoding."""
    return text.encode(encoding, errors="surrogatepass" if is_unicode(encoding) else "strict")


def encodable(text: str, encoding: str) -> bool:
    """Can ``text`` be written in ``encoding``? (Always for the UTF codecs.)"""
    if is_unicode(encoding):
        return True
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def safe_cut(text: str, size: int) -> int:
    """Where to end a part of at most ``size`` characters without splitting a phrase: after a
    form feed (a document boundary), else after a blank line (no phrase spans one), else after a sentence end, else after a line break (a
    phrase may be broken across lines, but rarely across a sentence), else after a space (a line
    longer than a part), else at ``size``."""
    for sep in ("\f\n", "\n\n", ".\n", ". ", "\n", " "):
        i = text.rfind(sep, 0, size)
        if i > 0:
            return i + len(sep)
    return size


PAGE = "\f"
"""The document separator inside one input (form feed, as ``pr`` and ``troff`` use it): each
document between two is repaired and scored on its own."""


def read_documents(
    name: str, *, threshold: int | None = None, chunk: int | None = None,
    encoding: str = "utf-8", errors: str = "strict",
) -> Iterator[Document]:
    """The documents of one input (see :func:`_read_parts`), a part that holds form feeds
    split after the line that holds each one: a stream of documents separated by form-feed
    lines gives the same results as the documents given one by one, and every document starts
    at the start of a line (its columns are the file's)."""
    for part in _read_parts(name, threshold=threshold, chunk=chunk, encoding=encoding, errors=errors):
        text = part.text
        cuts = []
        i = text.find(PAGE)
        while i != -1:
            end = text.find("\n", i)
            if end == -1:
                break  # the last line: nothing follows it in this part
            cuts.append(end + 1)
            i = text.find(PAGE, end + 1)
        if not cuts or cuts == [len(text)]:
            yield part
            continue
        if cuts[-1] != len(text):
            cuts.append(len(text))
        offset, line, lo = part.offset, part.line, 0
        for n, hi in enumerate(cuts):
            piece = text[lo:hi]
            yield Document(part.name, piece, offset, line, part.first and n == 0,
                           part.last and n == len(cuts) - 1, part.encoding, part.stamp)
            offset += len(piece)
            line += piece.count("\n")
            lo = hi


def _read_parts(
    name: str, *, threshold: int | None = None, chunk: int | None = None,
    encoding: str = "utf-8", errors: str = "strict",
) -> Iterator[Document]:
    """Read a document incrementally. Up to ``threshold`` characters it is one Document; a
    longer input is yielded in parts of about ``chunk`` characters (see :func:`safe_cut`), so
    memory stays bounded. Each part carries the codec that writes it back byte for byte (see
    :func:`exact_codec`). Raises InputError naming the input (and the byte offset of a byte
    that does not decode, unless ``errors`` is "replace").
    """
    threshold = STREAM_THRESHOLD if threshold is None else threshold
    chunk = CHUNK if chunk is None else chunk
    label = "<stdin>" if name == STDIN else name
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    try:
        stream = sys.stdin.buffer if name == STDIN else open(name, "rb")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    stamp = None
    buf, consumed, offset, line, first = "", 0, 0, 0, True
    codec = decoder = None
    try:
        if stream is not sys.stdin.buffer:
            st = os.fstat(stream.fileno())
            stamp = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        while True:
            try:
                data = stream.read(_READ)
            except OSError as exc:
                raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
            if decoder is None:
                codec = exact_codec(encoding, data)
                if not is_utf16_or_32(codec) and is_binary(data):
                    raise SkippedInput(f"{label}: binary file, skipped")
                decoder = codecs.getincrementaldecoder(codec)(errors)
            pending = len(decoder.getstate()[0])
            try:
                buf += decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                what = "UTF-8" if codec == "utf-8" else codec
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
                yield Document(name, part, offset, line, first, False, codec, stamp)
                offset += len(part)
                line += part.count("\n")
                first = False
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    yield Document(name, buf, offset, line, first, True, codec or "utf-8", stamp)


TEMP_PREFIX = ".repair-"
TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"\.repair-(\d+)-[A-Za-z0-9_]+\.tmp")
_swept: set[str] = set()


def sweep_stale_temporaries(folder: str | Path) -> int:
    """Remove the temporary files that a killed ``repair`` run left in ``folder`` (their names
    hold the writer's process id; only those whose process is gone are removed), once per
    folder and process. Returns how many were removed."""
    key = os.path.abspath(folder)
    if key in _swept:
        return 0
    _swept.add(key)
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for n in names:
        m = _TEMP_NAME.fullmatch(n)
        if m is None or _alive(int(m[1])):
            continue
        try:
            os.unlink(os.path.join(folder, n))
            removed += 1
        except OSError:
            pass
    return removed


def make_temporary(folder: str | Path) -> tuple[int, str]:
    """A new temporary file in ``folder`` (descriptor and path), named so that a run killed
    before renaming it leaves a file the next run sweeps (see :func:`sweep_stale_temporaries`)."""
    sweep_stale_temporaries(folder)
    return tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=TEMP_SUFFIX, dir=folder)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


class AtomicWriter:
    """Write a file's new content in parts, then swap it in: a temporary file in the same
    directory (a short name of its own, so any file name can be rewritten), flushed and fsynced,
    renamed over the original, keeping its owner, group and permission bits (setuid included),
    or refusing the write where the owner cannot be kept. Readers see either the old or the new
    content, never a mix. A symlink is refused rather than replaced by a file. With ``stamp``
    (the file's identity, size and mtime when it was read), a file changed since is reported
    and left as it is, never overwritten (a lost update)."""

    def __init__(self, path: str | Path, encoding: str = "utf-8",
                 stamp: tuple[int, int, int, int] | None = None) -> None:
        self.target = Path(path)
        self.encoding = encoding
        self.stamp = stamp
        if self.target.is_symlink():
            raise InputError(f"{path}: is a symlink; not rewritten (repair the file it points to)")
        self.st = self.target.stat()
        fd, self.tmp = make_temporary(self.target.parent)
        self.fh = os.fdopen(fd, "wb")
        self.encoder = codecs.getincrementalencoder(encoding)(
            "surrogatepass" if is_unicode(encoding) else "strict")

    def write(self, text: str) -> None:
        self.fh.write(self.encoder.encode(text))

    def commit(self) -> None:
        """Flush, fsync, keep owner and mode, check the target did not change, rename over it."""
        try:
            self.fh.write(self.encoder.encode("", final=True))
            self.fh.flush()
            os.fsync(self.fh.fileno())
            st = self.st
            mine = os.fstat(self.fh.fileno())
            if (mine.st_uid, mine.st_gid) != (st.st_uid, st.st_gid):
                try:
                    os.fchown(self.fh.fileno(), st.st_uid, st.st_gid)
                except OSError:
                    raise InputError(
                        f"{self.target}: owned by uid {st.st_uid} gid {st.st_gid}; a rewrite "
                        "could not keep its owner, so it was not rewritten") from None
            os.fchmod(self.fh.fileno(), stat.S_IMODE(st.st_mode))  # after chown, which clears setuid
            self.fh.close()
            if self.stamp is not None:
                now = os.stat(self.target)
                if (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns) != self.stamp:
                    raise InputError(f"{self.target}: changed while being repaired; not rewritten "
                                     "(run again to repair the new content)")
            os.replace(self.tmp, self.target)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Drop the temporary file; the target is untouched (also when closing fails, as on a
        full disk)."""
        try:
            self.fh.close()
        except OSError:
            pass
        try:
            os.unlink(self.tmp)
        except FileNotFoundError:
            pass


def atomic_write(path: str | Path, text: str, encoding: str = "utf-8",
                 stamp: tuple[int, int, int, int] | None = None) -> None:
    """Replace ``path`` with ``text`` atomically (see :class:`AtomicWriter`)."""
    writer = AtomicWriter(path, encoding, stamp)
    try:
        writer.write(text)
    except BaseException:
        writer.abort()
        raise
    writer.commit()
