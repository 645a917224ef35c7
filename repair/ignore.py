"""The project ignore file (``.repair-ignore``): corrections a reviewer rejected, never proposed again.

One rule per line, ``#`` comments allowed:

    White Home -> White House                      # this replacement, anywhere
    stay -> remain @ 3f9a1c2b7d10                  # only in a line with this content hash

Phrase rules come from "reject all of this entry" in ``repair review``; occurrence rules from a
single rejection (the hash is of the whole line's text, so the rule survives edits elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .edits import Edit, Result, apply_edits
from .errors import ConfigError

FILENAME = ".repair-ignore"


def line_hash(text: str, offset: int) -> str:
    """Hash of the full line holding ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line = text[start : end if end != -1 else len(text)]
    import hashlib

    return hashlib.sha1(line.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def phrase_rule(edit: Edit) -> str:
    return f"{edit.before} -> {edit.after}"


def occurrence_rule(text: str, edit: Edit) -> str:
    return f"{phrase_rule(edit)} @ {line_hash(text, edit.start)}"


@dataclass
class IgnoreList:
    """Rules loaded from (and appended to) an ignore file."""

    path: Path
    rules: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path) -> IgnoreList:
        """Read the rules (none when the file does not exist); an ignore file that cannot be
        read as UTF-8 text raises ConfigError naming it (exit 3), never a traceback."""
        rules = set()
        try:
            text = path.read_text(encoding="utf-8").removeprefix("\ufeff") if path.exists() else ""
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ConfigError(f"{path}: cannot read the ignore file: {why}") from None
        if text:
            for line in text.splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    rules.add(line)
        return cls(path, rules)

    def ignores(self, text: str, edit: Edit) -> bool:
        return phrase_rule(edit) in self.rules or occurrence_rule(text, edit) in self.rules

    def keep(self, text: str, edits: Iterable[Edit]) -> list[Edit]:
        return [e for e in edits if not self.ignores(text, e)]

    def apply(self, text: str, result: Result) -> Result:
        """``result`` without its ignored edits (the text recomputed from the rest)."""
        if not self.rules:
            return result
        kept = tuple(self.keep(text, result.edits))
        if len(kept) == len(result.edits):
            return result
        return Result(apply_edits(text, kept), kept, result.suggestions, result.scan)

    def add(self, rules: Iterable[str]) -> None:
        """Append new rules to the file (created if missing)."""
        new = [r for r in dict.fromkeys(rules) if r not in self.rules]
        if not new:
            return
        with self.path.open("a", encoding="utf-8") as fh:
            if self.path.stat().st_size == 0:
                fh.write("# repair: corrections rejected in review, never proposed again\n")
            fh.writelines(r + "\n" for r in new)
        self.rules.update(new)
