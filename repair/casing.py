"""Carry the letter case of the replaced text over to its replacement."""

from __future__ import annotations


def _is_upper(s: str) -> bool:
    return s.isupper() and sum(map(str.isalpha, s)) > 1


def _capitalize_first(word: str) -> str:
    for i, c in enumerate(word):
        if c.isalpha():
            return word[:i] + c.upper() + word[i + 1 :]
    return word


def transfer_case(source: str, canonical: str) -> str:
    """Return ``canonical`` cased like ``source``.

    ALL-CAPS source gives ALL-CAPS output; a canonical that carries its own capitals (a name,
    an abbreviation) is kept as written; otherwise each word copies the source word's
    capitalisation, or only the first letter does when the word counts differ.
    """
    if _is_upper(source):
        return canonical.upper()
    if not canonical.islower() or source.islower():
        return canonical
    src_words = source.split()
    out_words = canonical.split(" ")
    if len(src_words) == len(out_words):
        return " ".join(
            _capitalize_first(o) if s[:1].isupper() else o for s, o in zip(src_words, out_words)
        )
    if source[:1].isupper():
        return _capitalize_first(canonical)
    return canonical
