"""JSON Lines as a pipeline step: repair (or score) one text field per record, keep the rest.

Records stay in input order and keep every other byte as it was: a changed record has the new
string spliced into its original line in place of the old value (other fields, number formats,
duplicate keys, key order and the line ending are untouched), and keys added by ``--add-score``
and ``--add-edits`` are spliced in before the closing brace. Lines are read as bytes and
decoded one by one, so one invalid UTF-8 byte is one malformed line. Malformed lines (invalid
UTF-8, not JSON, not an object, the field missing or not a string) are handled by policy:
``fail`` stops with an error naming the line, ``skip`` drops the line, ``keep`` passes it
through unchanged; blank lines are kept by ``keep`` and dropped otherwise. Every such line is
counted, so nothing is dropped silently. Files ending in ``.gz`` or ``.zst`` are read and
written compressed; an output file is written through a temporary file that replaces it only
when the run succeeds (so it may also be one of the inputs). With several jobs, workers read
their own byte ranges of a plain input file and send back output blocks.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from json.decoder import scanstring
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import IO, NamedTuple

import orjson

from .errors import InputError
from .files import make_temporary
from .parallel import map_ordered, run_ordered
from .render import Lines, edit_fields
from .repairer import Repairer

POLICIES = ("fail", "skip", "keep")
_BOM = b"\xef\xbb\xbf"


@dataclass
class Stats:
    """What happened to the lines of a JSONL run."""

    records: int = 0
    changed: int = 0
    skipped: int = 0
    kept_malformed: int = 0
    filtered: int = 0
    blank: int = 0
    problems: list[str] = field(default_factory=list)

    def merge(self, other: Stats) -> None:
        """Add another part's counts (from a worker) to these."""
        self.records += other.records
        self.changed += other.changed
        self.skipped += other.skipped
        self.kept_malformed += other.kept_malformed
        self.filtered += other.filtered
        self.blank += other.blank
        self.problems.extend(other.problems)


def _compressed(path: str, mode: str, name: str | None = None) -> IO[bytes]:
    """Open ``path``, compressed as the extension of ``name`` (default: ``path``) says."""
    name = name or path
    if name.endswith(".gz"):
        return gzip.open(path, mode + "b")  # type: ignore[return-value]
    if name.endswith(".zst"):
        try:
            import zstandard
        except ImportError:
            verb = "reading" if "r" in mode else "writing"
            raise InputError(f"{name}: {verb} .zst needs the zstandard package (pip install 'repair[zstd]')") from None
        return zstandard.open(path, mode + "b")
    return open(path, mode + "b")  # noqa: SIM115 (the caller closes it)


def open_input(path: str) -> IO[bytes]:
    """Open an input (``-`` for stdin) as bytes, decompressing by extension; the caller closes
    it (stdin excepted). Raises InputError naming the path."""
    if path == "-":
        return sys.stdin.buffer
    try:
        return _compressed(path, "r")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


@contextmanager
def open_output(path: str | None) -> Iterator[IO[bytes]]:
    """The output as bytes: stdout for ``-``, a null sink for None (``--check``), else a
    temporary file beside ``path`` that replaces it only if the block ends without an error."""
    if path is None:
        with open(os.devnull, "wb") as sink:
            yield sink
        return
    if path == "-":
        try:
            yield sys.stdout.buffer
        finally:
            sys.stdout.buffer.flush()
        return
    try:
        fd, tmp = make_temporary(os.path.dirname(os.path.abspath(path)))
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        fh = _compressed(tmp, "w", path)
        try:
            yield fh
        finally:
            fh.close()
        if os.path.exists(path):
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


@contextmanager
def open_text(path: str, mode: str = "r") -> Iterator[IO[str]]:
    """Open a path (``-`` for stdin/stdout) as UTF-8 text, gzip or zstd by extension (for API
    users; the command line reads and writes bytes)."""
    import io

    opener = nullcontext(open_input(path)) if "r" in mode else open_output(path)
    with opener as raw:
        wrapper = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        try:
            yield wrapper
        finally:
            wrapper.flush()
            wrapper.detach()


class _Line(NamedTuple):
    """One input line as parsed (a tuple: made once per record, so made cheaply)."""

    number: int
    raw: bytes
    text: str  # the decoded line ("" when it does not decode)
    record: dict | None  # None: malformed or blank
    problem: str = ""
    blank: bool = False


def _parse(lines: Iterable[bytes], text_field: str, stats: Stats, policy: str, first: int = 1) -> Iterator[_Line]:
    for number, raw in enumerate(lines, start=first):
        body = raw[3:] if number == 1 and raw.startswith(_BOM) else raw
        if not body or body.isspace():  # (not body.strip(), without copying the line)
            yield _Line(number, raw, "", None, blank=True)
            continue
        problem = ""
        record = None
        text = ""
        try:
            text = raw.decode("utf-8")  # a byte order mark stays, to be written back
        except UnicodeDecodeError as exc:
            problem = f"invalid UTF-8 at byte {exc.start + 1} of the line"
        if not problem:
            try:
                try:
                    record = orjson.loads(body)
                except orjson.JSONDecodeError:  # what orjson refuses (NaN, a lone surrogate, ...)
                    record = json.loads(text[1:] if body is not raw else text)  # json decides
            except json.JSONDecodeError as exc:
                problem = f"not JSON ({exc.msg})"
            except RecursionError:
                problem = "not JSON (nested too deeply)"
        if record is not None and not isinstance(record, dict):
            problem, record = "not a JSON object", None
        elif record is not None and not isinstance(record.get(text_field), str):
            problem = f"no string field {text_field!r}"
            record = None
        if record is None:
            message = f"line {number}: {problem}"
            if policy == "fail":
                raise InputError(message + " (use --on-error skip or keep to go on)")
            stats.problems.append(message)
        yield _Line(number, raw, text, record, problem)


_SURROGATE = re.compile("[\ud800-\udfff]")
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def dumps(value: object) -> str:
    """Compact JSON, non-ASCII kept, a lone surrogate (which no UTF-8 can hold) escaped. A
    string (a repaired text, most often) goes straight to the encoder json.dumps would pick,
    without making an encoder object, and meets the surrogate pattern only where UTF-8 refuses
    it: encoding is a third of the cost of the search."""
    out = _unchecked(value)
    if out.isascii():
        return out
    try:
        out.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", out)
    return out


def _top_level(line: str) -> tuple[dict[str, tuple[int, int]], int]:
    """Where each top-level value of the object on ``line`` (valid JSON, as the parse found
    it) sits (the last one of a duplicated key, which is the one JSON parsers keep), and where
    its closing brace is. A string value is passed over, not decoded: the text a record
    carries is most of its line."""
    i = _WS.match(line).end()
    if line.startswith("\ufeff", i):
        i = _WS.match(line, i + 1).end()
    i = _WS.match(line, i + 1).end()  # past "{"
    spans: dict[str, tuple[int, int]] = {}
    if line[i] == "}":
        return spans, i
    while True:
        key, i = scanstring(line, i + 1)
        i = _WS.match(line, _WS.match(line, i).end() + 1).end()  # past ":"
        end = _string_end(line, i) if line[i] == '"' else _DECODER.raw_decode(line, i)[1]
        spans[key] = (i, end)
        i = _WS.match(line, end).end()
        if line[i] == "}":
            return spans, i
        i = _WS.match(line, i + 1).end()  # past ","


def _string_end(line: str, i: int) -> int:
    """Past the JSON string that opens at ``line[i]``: its closing quote is the first one after
    an even number of backslashes."""
    j = i
    while True:
        j = line.index('"', j + 1)
        k = j
        while line[k - 1] == "\\":
            k -= 1
        if not (j - k) % 2:
            return j + 1


def splice(line: str, updates: dict[str, object], dump: Callable[[object], str] = dumps) -> str:
    """``line`` (one JSON object) with the given top-level keys set: an existing value is
    replaced where it stands, a new key is added before the closing brace; every other
    character of the line is kept. ``dump``: how a value is written."""
    spans, close = _top_level(line)
    cuts: list[tuple[int, int, str]] = []
    added = []
    for key, value in updates.items():
        if key in spans:
            start, end = spans[key]
            cuts.append((start, end, dump(value)))
        else:
            added.append(f"{dump(key)}: {dump(value)}")
    if added:
        cuts.append((close, close, (", " if spans else "") + ", ".join(added)))
    for start, end, new in sorted(cuts, reverse=True):
        line = line[:start] + new + line[end:]
    return line


def splice_bytes(line: str, updates: dict[str, object]) -> bytes:
    """:func:`splice` as UTF-8, the values written unchecked and the line encoded once: only
    a line UTF-8 refuses (a value with a lone surrogate) is made again with :func:`dumps`. The
    common case, a new string for a key the line has, is written by orjson (its escapes are
    json.dumps's, checked for every code point by the tests) between the line's own bytes."""
    if len(updates) == 1:
        ((key, value),) = updates.items()
        if type(value) is str:
            spans, _close = _top_level(line)
            if key in spans:
                try:
                    new = orjson.dumps(value)
                except orjson.JSONEncodeError:  # a lone surrogate: dumps escapes it
                    pass
                else:
                    start, end = spans[key]
                    return line[:start].encode("utf-8") + new + line[end:].encode("utf-8")
    try:
        return splice(line, updates, _unchecked).encode("utf-8")
    except UnicodeEncodeError:
        return splice(line, updates).encode("utf-8")


def _unchecked(value: object) -> str:
    """:func:`dumps` without its lone-surrogate check (the caller's encoding makes it)."""
    return encode_basestring(value) if type(value) is str else json.dumps(value, ensure_ascii=False)


def process(
    lines: Iterable[str] | Iterable[bytes],
    repairer: Repairer,
    *,
    text_field: str = "text",
    scan_only: bool = False,
    score_key: str | None = None,
    edits_key: str | None = None,
    on_error: str = "fail",
    min_score: float | None = None,
    max_score: float | None = None,
    jobs: int = 1,
    stats: Stats | None = None,
) -> Iterator[str] | Iterator[bytes]:
    """Yield output lines (with their newline) for JSONL input ``lines``: bytes for bytes, str
    for str; see the module doc."""
    stats = stats if stats is not None else Stats()
    options = _options(text_field=text_field, scan_only=scan_only, score_key=score_key, edits_key=edits_key,
                       on_error=on_error, min_score=min_score, max_score=max_score)
    it = iter(lines)
    head = next(it, None)
    if head is None:
        return
    textual = isinstance(head, str)
    raw = _chain(head, it)
    if textual:
        raw = (line.encode("utf-8", "surrogatepass") for line in raw)  # type: ignore[union-attr]
    if jobs > 1:
        # Workers take raw lines and give back output lines: parsing, repairing and writing JSON
        # all happen there, and the parent only moves bytes.
        out = _parallel(raw, repairer, options, stats, jobs)
    else:
        out = _process(raw, repairer, stats, 1, **options)
    if textual:
        for line in out:
            yield line.decode("utf-8", "surrogatepass")
    else:
        yield from out


def _options(*, text_field: str = "text", scan_only: bool = False, score_key: str | None = None,
             edits_key: str | None = None, on_error: str = "fail", min_score: float | None = None,
             max_score: float | None = None) -> dict:
    """The options of a run, every one named (the defaults of :func:`process`)."""
    if on_error not in POLICIES:
        raise ValueError(f"on_error must be one of {POLICIES}")
    return {"text_field": text_field, "scan_only": scan_only, "score_key": score_key, "edits_key": edits_key,
            "on_error": on_error, "min_score": min_score, "max_score": max_score}


def _chain(head: object, rest: Iterator) -> Iterator:
    yield head
    yield from rest


def _parallel(lines: Iterable[bytes], repairer: Repairer, options: dict, stats: Stats, jobs: int) -> Iterator[bytes]:
    for out, part in map_ordered(_process_batch, _line_batches(lines), jobs=jobs,
                                 initializer=_init, initargs=(repairer, options)):
        stats.merge(part)
        yield from out


_WORKER: tuple[Repairer, dict] | None = None
BATCH_CHARS = 1_000_000


def _init(repairer: Repairer, options: dict) -> None:
    global _WORKER
    _WORKER = (repairer, options)


def _line_batches(lines: Iterable[bytes]) -> Iterator[tuple[int, list[bytes]]]:
    """(number of the first line, lines) in batches of about ``BATCH_CHARS`` bytes."""
    batch: list[bytes] = []
    first, size = 1, 0
    for number, raw in enumerate(lines, start=1):
        if not batch:
            first = number
        batch.append(raw)
        size += len(raw)
        if size >= BATCH_CHARS:
            yield first, batch
            batch, size = [], 0
    if batch:
        yield first, batch


def _parallel_blocks(stream: IO[bytes], path: str | None, repairer: Repairer, stats: Stats, *, jobs: int,
                     **options) -> Iterator[bytes]:
    """The output of ``stream`` in blocks, each block's lines parsed, repaired and written on a
    worker; where ``path`` names the plain file being read, workers read their blocks from it
    themselves and the parent only finds the line ends that bound them."""
    options = _options(**options)
    for out, part in map_ordered(_process_block, _blocks(stream, path), jobs=jobs,
                                 initializer=_init, initargs=(repairer, options)):
        stats.merge(part)
        yield out


def _blocks(stream: IO[bytes], path: str | None) -> Iterator[tuple[int, bytes | tuple[str, int, int]]]:
    """(number of the first line, the lines) in blocks of about ``BATCH_CHARS`` bytes that end
    where a line does; with ``path``, (path, offset, length) in place of the lines."""
    number, offset = 1, 0
    while data := stream.read(BATCH_CHARS):
        data += stream.readline()
        yield number, ((path, offset, len(data)) if path else data)
        number += data.count(b"\n")
        offset += len(data)


def _process_block(job: tuple[int, bytes | tuple[str, int, int]]) -> tuple[bytes, Stats]:
    assert _WORKER is not None
    repairer, options = _WORKER
    first, data = job
    if isinstance(data, tuple):
        path, offset, length = data
        try:
            with open(path, "rb") as fh:
                fh.seek(offset)
                data = fh.read(length)
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
        if len(data) != length:
            raise InputError(f"{path}: the file changed while it was read")
    parts = data.split(b"\n")  # line ends as file iteration sees them (not bytes.splitlines's)
    lines = [part + b"\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    out, stats = _process_batch((first, lines))
    return b"".join(out), stats


def _process_batch(job: tuple[int, list[bytes]]) -> tuple[list[bytes], Stats]:
    assert _WORKER is not None
    repairer, options = _WORKER
    first, lines = job
    stats = Stats()
    return list(_process(lines, repairer, stats, first, **options)), stats


def _ended(raw: bytes) -> bytes:
    return raw if raw.endswith(b"\n") else raw + b"\n"


def _process(lines: Iterable[bytes], repairer: Repairer, stats: Stats, first: int, *, text_field: str,
             scan_only: bool, score_key: str | None, edits_key: str | None, on_error: str,
             min_score: float | None, max_score: float | None) -> Iterator[bytes]:
    parsed = _parse(lines, text_field, stats, on_error, first)

    def text_of(line: _Line) -> str:
        return line.record[text_field] if line.record is not None else ""

    # Only the new text is wanted: fix() builds no edits, reasons or suggestions.
    text_only = not scan_only and not score_key and not edits_key and min_score is None and max_score is None
    for line, result in run_ordered(repairer, parsed, text_of, jobs=1, scan=scan_only, text_only=text_only):
        if line.record is None:
            if line.blank:
                stats.blank += 1
                if on_error == "keep":
                    yield line.raw
            elif on_error == "skip":
                stats.skipped += 1
            else:
                stats.kept_malformed += 1
                yield _ended(line.raw)
            continue
        stats.records += 1
        if text_only:
            if result != line.record[text_field]:
                stats.changed += 1
                yield _ended(splice_bytes(line.text, {text_field: result}))
            else:
                yield _ended(line.raw)
            continue
        scan = result if scan_only else result.scan
        if (min_score is not None and scan.spin_score < min_score) or (
            max_score is not None and scan.spin_score > max_score
        ):
            stats.filtered += 1
            continue
        updates: dict[str, object] = {}
        if not scan_only and result.changed:
            stats.changed += 1
            updates[text_field] = result.text
        if score_key:
            updates[score_key] = scan.spin_score
        if edits_key and not scan_only:
            where = Lines(text_of(line))
            updates[edits_key] = [edit_fields(where, e, applied=True) for e in result.edits]
        if not updates:
            yield _ended(line.raw)  # byte for byte
            continue
        yield _ended(splice_bytes(line.text, updates))


def run(repairer: Repairer, paths: Iterable[str], output: str | None, *, check: bool = False,
        say: Callable[[str], None] = print, **options) -> tuple[Stats, int]:
    """Stream the records of each input (``-``: stdin) to ``output`` (None or ``-``: stdout,
    ``.gz``/``.zst``: compressed), written through a temporary file that replaces its target
    only when every record was handled, so the output may be an input too. A missing input is
    reported through ``say`` and the others processed; ``check`` writes nothing. Returns the
    counts and the number of inputs that could not be opened; raises InputError naming the
    file when reading or writing fails."""
    stats = Stats()
    missing = 0
    name = output or "-"
    try:
        with open_output(None if check else name) as out:
            for path in paths:
                name = path
                try:
                    lines = open_input(path)
                except InputError as exc:
                    missing += 1
                    say(str(exc))
                    continue
                with lines if path != "-" else nullcontext(lines):
                    if options.get("jobs", 1) > 1:  # workers read a plain file themselves
                        plain = path != "-" and not path.endswith((".gz", ".zst")) and os.path.isfile(path)
                        for block in _parallel_blocks(lines, path if plain else None, repairer, stats, **options):
                            out.write(block)
                        continue
                    for line in process(lines, repairer, stats=stats, **options):
                        out.write(line)
            name = output or "-"
    except InputError as exc:
        message = str(exc)
        raise InputError(message if message.startswith(name) else f"{name}: {message}") from None
    except (OSError, EOFError) as exc:  # a truncated or corrupt .gz ends in EOFError
        raise InputError(f"{name}: {getattr(exc, 'strerror', None) or exc}") from None
    return stats, missing


def summary(stats: Stats, policy: str) -> str:
    """The one line a run prints at its end."""
    return (f"{stats.records} records, {stats.changed} changed, {stats.filtered} filtered out, "
            f"{stats.skipped} malformed skipped, {stats.kept_malformed} malformed kept, "
            f"{stats.blank} blank lines {'kept' if policy == 'keep' else 'dropped'}")
