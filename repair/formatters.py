"""How ``repair fix`` shows its results: one :class:`Formatter` per output format.

A formatter receives each document (or part of a streamed one) with its result, writes what it
shows to stdout as it goes (nothing accumulates: a run's memory does not grow with its edits),
and finishes in ``close``. Repaired text goes out in its document's encoding, every report in
UTF-8, as exact bytes (no newline translation). Formats and their layouts are documented in
``docs/output-formats.md``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Protocol

from . import __version__
from .edits import Result
from .files import Document, encode
from .render import (
    Lines,
    dumps,
    edit_diff,
    edit_record,
    explain,
    github_annotations,
    result_record_chunks,
    sarif_log,
    sarif_result,
)
from .worddiff import word_diff


def out(s: str, encoding: str = "utf-8") -> None:
    """Write ``s`` to stdout as exact bytes in ``encoding``."""
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        sys.stdout.write(s)
    else:
        sys.stdout.flush()
        stream.write(encode(s, encoding))
        stream.flush()


class Formatter(Protocol):
    """Shows results as they come (like typos' ``Report``)."""

    def document(self, doc: Document, result: Result) -> None:
        """Show one document (or part) and its result."""

    def close(self) -> None:
        """Finish the output (close a JSON document); called once, after the last document."""


class Text:
    """The repaired text (the default)."""

    def document(self, doc: Document, result: Result) -> None:
        out(result.text, doc.encoding)

    def close(self) -> None:
        pass


class Diff:
    """A unified diff per file, then one ``#`` line per edit and suggestion with its reason."""

    def __init__(self, color: bool = False) -> None:
        self.color = color
        self.lines: dict[str, int] = {}  # diff lines (as splitlines counts them) before each file's next part

    def document(self, doc: Document, result: Result) -> None:
        base = 0 if doc.first else self.lines.get(doc.name, doc.line)
        self.lines[doc.name] = base + len(doc.text.splitlines())
        shown = edit_diff(doc.name, doc.text, result.edits, line=base, header=doc.first)
        if self.color:
            shown = _colored(shown)
        out(shown)
        out(explain(doc.name, doc.text, result.edits, prefix="# ", line_base=doc.line))
        out(explain(doc.name, doc.text, result.suggestions, prefix="# suggestion: ", line_base=doc.line))

    def close(self) -> None:
        pass


_COLORS = {"+": "\x1b[32m", "-": "\x1b[31m", "@": "\x1b[36m"}


def _colored(diff: str) -> str:
    """``diff`` with added lines green, removed red and hunk headers cyan (as ``git diff``)."""
    lines = []
    for line in diff.splitlines(keepends=True):
        code = _COLORS.get(line[:1])
        if code is None or line.startswith(("+++", "---")):
            lines.append(line)
        else:
            body = line.rstrip("\r\n")
            lines.append(f"{code}{body}\x1b[0m{line[len(body):]}")
    return "".join(lines)


class WordDiff:
    """The changed lines with ``[-before-]{+after+}`` marks (coloured on a terminal)."""

    def __init__(self, color: bool = False) -> None:
        self.color = color

    def document(self, doc: Document, result: Result) -> None:
        shown = word_diff(doc.text, result.edits, color=self.color)
        if shown:
            out(f"{doc.name}\n{shown}")

    def close(self) -> None:
        pass


class JsonLines:
    """One JSON object per edit and suggestion (schema version 1, ``applied`` tells which)."""

    def document(self, doc: Document, result: Result) -> None:
        lines = Lines(doc.text)
        where = {"offset": doc.offset, "line_base": doc.line}
        out("".join(dumps(edit_record(doc.name, lines, e, applied=True, **where)) + "\n" for e in result.edits))
        out("".join(dumps(edit_record(doc.name, lines, e, applied=False, **where)) + "\n"
                    for e in result.suggestions))

    def close(self) -> None:
        pass


class _StreamedArray:
    """One JSON document whose array under ``key`` is written item by item; the document is
    complete once ``close`` is called."""

    def __init__(self, document: dict, key: str) -> None:
        text = dumps(document)
        marker = f'"{key}": []'
        cut = text.rindex(marker) + len(marker) - 1
        self.head, self.tail = text[:cut], text[cut:] + "\n"
        self.count = 0

    def add(self, items: Iterable[str], *, chunks: int = 1000) -> None:
        """Append items (JSON texts), written ``chunks`` at a time."""
        pending = []
        for item in items:
            pending.append(("," if self.count else self.head) + item)
            self.count += 1
            if len(pending) >= chunks:
                out("".join(pending))
                pending = []
        if pending:
            out("".join(pending))

    def add_pieces(self, pieces: Iterable[str]) -> None:
        """Append one item written in pieces (joined, they are its JSON text)."""
        for i, piece in enumerate(pieces):
            out((("," if self.count else self.head) if i == 0 else "") + piece)
        self.count += 1

    def close(self) -> None:
        out((self.head if not self.count else "") + self.tail)


class Json:
    """One JSON document: ``{"version": 1, "documents": [...]}``, each with its edits."""

    def __init__(self) -> None:
        self.array = _StreamedArray({"version": 1, "documents": []}, "documents")

    def document(self, doc: Document, result: Result) -> None:
        self.array.add_pieces(result_record_chunks(doc.name, doc.text, result, offset=doc.offset, line_base=doc.line))

    def close(self) -> None:
        self.array.close()


class Sarif:
    """A SARIF 2.1.0 log: a warning with a fix per edit, a note per suggestion."""

    def __init__(self) -> None:
        self.array = _StreamedArray(sarif_log([], __version__), "results")

    def document(self, doc: Document, result: Result) -> None:
        lines = Lines(doc.text)
        self.array.add(dumps(sarif_result(doc.name, lines, e, line_base=doc.line)) for e in result.edits)
        self.array.add(dumps(sarif_result(doc.name, lines, e, line_base=doc.line, suggestion=True))
                       for e in result.suggestions)

    def close(self) -> None:
        self.array.close()


class Github:
    """GitHub Actions annotations: a warning per edit, a notice per suggestion."""

    def document(self, doc: Document, result: Result) -> None:
        out(github_annotations(doc.name, doc.text, result.edits, line_base=doc.line,
                               suggestions=result.suggestions))

    def close(self) -> None:
        pass


class Check:
    """``--check`` with text output: nothing on stdout, a "would repair" note per file."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say
        self.edits: dict[str, int] = {}

    def document(self, doc: Document, result: Result) -> None:
        self.edits[doc.name] = self.edits.get(doc.name, 0) + len(result.edits)
        if doc.last and self.edits[doc.name]:
            self.say(f"would repair {doc.name} ({plural(self.edits[doc.name], 'edit')})")

    def close(self) -> None:
        pass


FORMATS: dict[str, Callable[[], Formatter]] = {
    "text": Text, "jsonl": JsonLines, "json": Json, "sarif": Sarif, "github": Github,
}


def plural(n: int, noun: str) -> str:
    """``1 edit``, ``2 edits``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
