"""Carry the letter case of the replaced text over to its replacement."""

from __future__ import annotations

import re


def _is_upper(s: str) -> bool:
    return s.isupper() and sum(map(str.isalpha, s)) > 1


def _capitalize_first(word: str) -> str:
    for i, c in enumerate(word):
        if c.isalpha():
            return word[:i] + c.upper() + word[i + 1 :]
    return word


_SEPARATORS = re.compile(r"\s+")


_CURLY = "\u2019"


def keep_separators(source: str, replacement: str) -> str:
    """Put the source's own word separators (a line break, CRLF, a tab, a no-break space) back
    into the replacement, and its apostrophe style (a source written with ’ gets ’ in "show’s",
    not '). With the same number of words each separator keeps its place; with fewer gaps in the
    replacement, the separators other than a plain space fill its gaps in order. Where they do
    not fit (three words across a line break replaced by one), ``source`` itself is returned:
    no edit, rather than one that would join two lines."""
    if _CURLY in source and "'" in replacement and "'" not in source:
        replacement = replacement.replace("'", _CURLY)
    seps = _SEPARATORS.findall(source)
    if all(sep == " " for sep in seps):
        return replacement
    words = replacement.split(" ")
    if len(words) != len(seps) + 1:
        odd = [sep for sep in seps if sep != " "]
        if len(odd) > len(words) - 1:
            return source
        seps = odd + [" "] * (len(words) - 1 - len(odd))
    return "".join(w + sep for w, sep in zip(words, seps)) + words[-1]


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
