"""Word alignment of a spun text with its original: the substitutions a spinner made.

Both texts are cut into tokens (words, numbers with their inner points, single punctuation
marks) and aligned with :class:`difflib.SequenceMatcher` on their folded forms. A ``replace``
run of at most :data:`MAX_RUN` tokens on each side is a substitution ("imaginative and
prescient" for "vision" is one, three tokens against one); longer runs, insertions and
deletions are editorial differences (a trimmed paragraph, a sentence added), never a swap.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

import regex

TOKEN = regex.compile(r"(?:\p{L}\.){2,}|[\p{L}\p{N}]+(?:['’.,][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]")
"""Abbreviations whole ("U.K."), words with inner apostrophes and points ("it's", "3.5",
"1,200"), single punctuation marks."""
MAX_RUN = 6


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        return self.text.casefold().replace("’", "'")


@dataclass(frozen=True, slots=True)
class Substitution:
    """One spun stretch and the original's words in its place, with character spans in each
    text and the tokens on either side (for context counts)."""

    spun_start: int
    spun_end: int
    original_start: int
    original_end: int
    spun: str
    original: str
    before: str  # the token before, folded ("" at the start)
    after: str  # the token after


def tokens(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


def _matcher(a: list[Token], b: list[Token]) -> SequenceMatcher:
    return SequenceMatcher(None, [t.key for t in a], [t.key for t in b], autojunk=False)


def similarity(spun: str | list[Token], original: str | list[Token]) -> float:
    """Share of tokens the two texts have in aligned common runs (0-1): a spin of a text keeps
    most of its function words, numbers and names, so its own original scores far higher than
    another article on the same subject."""
    a = tokens(spun) if isinstance(spun, str) else spun
    b = tokens(original) if isinstance(original, str) else original
    if not a or not b:
        return 0.0
    return _matcher(a, b).ratio()


def substitutions(spun: str, original: str, *, max_run: int = MAX_RUN) -> Iterator[Substitution]:
    """The spinner's substitutions in ``spun`` with respect to ``original``."""
    return iter(align(spun, original, max_run=max_run)[1])


def align(spun: str, original: str, *, max_run: int = MAX_RUN) -> tuple[float, list[Substitution]]:
    """:func:`similarity` and :func:`substitutions` from one alignment of the two texts."""
    a, b = tokens(spun), tokens(original)
    if not a or not b:
        return 0.0, []
    matcher = _matcher(a, b)
    subs = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace" or i2 - i1 > max_run or j2 - j1 > max_run:
            continue
        sub_a, sub_b = a[i1:i2], b[j1:j2]
        if all(not t.text[0].isalnum() for t in sub_a + sub_b):
            continue  # punctuation moved, not a word swapped
        subs.append(Substitution(
            sub_a[0].start, sub_a[-1].end, sub_b[0].start, sub_b[-1].end,
            spun[sub_a[0].start:sub_a[-1].end], original[sub_b[0].start:sub_b[-1].end],
            a[i1 - 1].key if i1 else "", a[i2].key if i2 < len(a) else "",
        ))
    return matcher.ratio(), subs
