"""Context conditions for ambiguous lexicon entries, parsed from the lexicon's context column.

A context is a space-separated list of clauses; all must hold.

* ``after=w1|w2``   the next token is one of the words (``w*`` matches a prefix)
* ``after!=w1|w2``  the next token is none of them
* ``before=...`` / ``before!=...``  the same for the previous token
* ``case=title|upper``  how the matched text is written (any of lower, title: first letter
  capital, upper, name: every word capitalised but small words like "of", and exact: spelled
  exactly as the entry)
* ``doc-has=phrase|phrase``  one of the phrases (case-insensitive, whole words, ``_`` for a
  space) appears elsewhere in the document
* ``plausible=N``  a canonical candidate fits the neighbouring words at least N times better than
  the spun form, by web bigram counts (see repair.plausibility); picks among several candidates
* ``evidence=no``  the match is no evidence that the document is spun (a contraction, a word
  clean prose uses as often): the entry is weighed only once other evidence found the document
  spun. ``plausible=N`` entries are always weighed that way.

Word classes usable in the word lists: ``@cap`` (capitalised word), ``@lower`` (lower-case word),
``@num`` (starts with a digit), ``@punct`` (a punctuation mark), ``@none`` (no token: start or end
of the text). Tokens are compared case-insensitively. A token is a word (letters, digits and
inner ``-``, ``'``, ``.``) or a single punctuation mark; only whitespace may separate it from the
match.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .cache import quick_pickle

_NEXT = regex.compile(r"\s*(\w+(?:[-'’.]\w+)*|\S)")
_PREV = regex.compile(r"(?r)(\w+(?:[-'’.]\w+)*|\S)\s*")
_CLASSES = frozenset({"@cap", "@lower", "@num", "@punct", "@none"})
_CASES = frozenset({"lower", "title", "upper", "exact", "name"})
_LOWER = frozenset({"lower"})
_PARSED: dict[str, Context] = {}
NOT_READ = object()
"""Placeholder in a ``near`` token cache (see :meth:`Context.holds`): the token is not read yet."""
_NAME_SMALL = frozenset({"of", "and", "the", "for", "on", "in", "to", "at", "by", "a", "an", "de", "la", "del", "&"})


def next_token(text: str, end: int) -> str | None:
    """Return the token right after ``text[:end]``, or None at the end of the text."""
    m = _NEXT.match(text, end)
    return m.group(1) if m else None


def prev_token(text: str, start: int) -> str | None:
    """Return the token right before ``text[start:]``, or None at the start of the text."""
    m = _PREV.match(text, 0, start)
    return m.group(1) if m else None


@quick_pickle
@dataclass(frozen=True, slots=True)
class WordSet:
    """A set of words, word prefixes (``w*``) and word classes (``@cap``)."""

    words: frozenset[str]
    prefixes: tuple[str, ...]
    classes: frozenset[str]

    @classmethod
    def parse(cls, spec: str) -> WordSet:
        items = [s for s in spec.split("|") if s]
        if not items:
            raise ValueError("empty word list")
        words, prefixes, classes = set(), [], set()
        for item in items:
            if item.startswith("@"):
                if item.lower() not in _CLASSES:
                    raise ValueError(f"unknown word class {item!r} (known: {', '.join(sorted(_CLASSES))})")
                classes.add(item.lower())
            elif item.endswith("*") and len(item) > 1:
                prefixes.append(item[:-1].casefold())
            else:
                words.add(item.casefold())
        return cls(frozenset(words), tuple(prefixes), frozenset(classes))

    def contains(self, token: str | None) -> bool:
        if token is None:
            return "@none" in self.classes
        folded = token.casefold()
        if folded in self.words or (self.prefixes and folded.startswith(self.prefixes)):
            return True
        if not self.classes:
            return False
        first = token[0]
        return (
            ("@cap" in self.classes and first.isupper())
            or ("@lower" in self.classes and first.islower())
            or ("@num" in self.classes and first.isdigit())
            or ("@punct" in self.classes and not first.isalnum())
        )


@quick_pickle
@dataclass(frozen=True, slots=True)
class Context:
    """Parsed context clauses of one lexicon entry; the empty context always holds."""

    after: WordSet | None = None
    not_after: WordSet | None = None
    before: WordSet | None = None
    not_before: WordSet | None = None
    case: frozenset[str] | None = None
    doc_has: tuple[str, ...] | None = None
    plausible: float | None = None
    no_evidence: bool = False
    lower_only: bool = False  # case=lower alone: the common clause, decided by one character
    source: str = ""

    @classmethod
    def parse(cls, spec: str) -> Context:
        """Parse a context column; raises ValueError naming the bad clause. Equal columns give
        one shared (immutable) object: a lexicon repeats a few hundred columns thousands of
        times, and the cached lexicon then stores and reads each once."""
        found = _PARSED.get(spec)
        if found is None or type(found) is not cls:
            found = _PARSED[spec] = cls._parse(spec)
        return found

    @classmethod
    def _parse(cls, spec: str) -> Context:
        fields: dict[str, object] = {}
        for clause in spec.split():
            key, sep, value = clause.partition("=")
            negate = key.endswith("!")
            key = key.rstrip("!")
            if not sep or not value:
                raise ValueError(f"bad context clause {clause!r}: expected key=value")
            if key in ("after", "before"):
                name = ("not_" if negate else "") + key
                if name in fields:
                    raise ValueError(f"context clause {key}{'!' if negate else ''}= given twice")
                fields[name] = WordSet.parse(value)
            elif key == "case" and not negate:
                cases = frozenset(value.split("|"))
                if not cases <= _CASES:
                    raise ValueError(f"bad case {value!r} (known: {', '.join(sorted(_CASES))})")
                fields["case"] = cases
                fields["lower_only"] = cases == _LOWER
            elif key == "doc-has" and not negate:
                phrases = tuple(v.replace("_", " ").casefold() for v in value.split("|"))
                if not all(phrases):
                    raise ValueError(f"doc-has= has an empty phrase: {value!r}")
                fields["doc_has"] = phrases
            elif key == "plausible" and not negate:
                try:
                    margin = float(value)
                except ValueError:
                    raise ValueError(f"plausible= needs a number, got {value!r}") from None
                if not margin >= 1.0:
                    raise ValueError(f"plausible= margin must be at least 1, got {value!r}")
                fields["plausible"] = margin
            elif key == "evidence" and not negate:
                if value != "no":
                    raise ValueError(f"evidence= takes only 'no', got {value!r}")
                fields["no_evidence"] = True
            else:
                raise ValueError(f"unknown context clause {clause!r}")
        return cls(source=" ".join(spec.split()), **fields)  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        return bool(self.source)

    @property
    def late(self) -> bool:
        """Weighed only in documents already found spun: the entry gives no detection evidence."""
        return self.no_evidence or self.plausible is not None

    def holds(
        self, text: str, start: int, end: int, spun: str = "", folded_text: str | None = None,
        near: list | None = None,
    ) -> bool:
        """True when every clause holds for the match ``text[start:end]`` of phrase ``spun``.

        ``near``, a two-item list ``[NOT_READ, NOT_READ]`` shared by the entries tried on one
        match, caches the next and previous tokens so that each is read once per match.
        """
        if self.case is not None:
            first = text[start]
            if self.lower_only and first.isupper():
                return False
            if not (self.lower_only and first.islower()) and not self.case_matches(text[start:end], spun):
                return False
        if near is None:
            near = [NOT_READ, NOT_READ]
        if self.after is not None or self.not_after is not None:
            tok = near[0]
            if tok is NOT_READ:
                tok = near[0] = next_token(text, end)
            if not _side_holds(self.after, self.not_after, tok):
                return False
        if self.before is not None or self.not_before is not None:
            tok = near[1]
            if tok is NOT_READ:
                tok = near[1] = prev_token(text, start)
            if not _side_holds(self.before, self.not_before, tok):
                return False
        return self.doc_has is None or self.doc_has_in(folded_text if folded_text is not None else text.casefold())

    def doc_has_in(self, folded_text: str) -> bool:
        """The doc-has clause for a document (``folded_text``: its casefold())."""
        return self.doc_has is None or any(_has_word_phrase(folded_text, phrase) for phrase in self.doc_has)

    def case_matches(self, matched: str, spun: str = "") -> bool:
        """The case clause for the matched text, without the one-character shortcut of
        :meth:`holds` (which decides most ``case=lower`` matches by their first letter)."""
        case = self.case
        if case is None:
            return True
        return ("exact" in case and matched == spun) or case_of(matched) in case \
            or ("name" in case and is_name_case(matched))

    def failure(self, text: str, start: int, end: int, spun: str = "") -> str | None:
        """Which clause fails for the match ``text[start:end]``, said with what was found there;
        None when every clause holds. For explanations: :meth:`holds` is the fast path."""
        if self.case is not None:
            matched = text[start:end]
            if not self.case_matches(matched, spun):
                return f"case={'|'.join(sorted(self.case))} failed: the text writes {matched!r} ({case_of(matched)})"
        for side, want, avoid in (("after", self.after, self.not_after), ("before", self.before, self.not_before)):
            if want is None and avoid is None:
                continue
            if side == "after":
                tok = next_token(text, end)
                seen = f"the next word is {tok!r}" if tok else "nothing follows"
            else:
                tok = prev_token(text, start)
                seen = f"the previous word is {tok!r}" if tok else "nothing precedes"
            if want is not None and not want.contains(tok):
                return f"{side}= failed: {seen}"
            if avoid is not None and avoid.contains(tok):
                return f"{side}!= failed: {seen}"
        if self.doc_has is not None and not self.doc_has_in(text.casefold()):
            return f"doc-has= failed: none of {', '.join(repr(p) for p in self.doc_has)} is in the document"
        return None


def _side_holds(want: WordSet | None, avoid: WordSet | None, token: str | None) -> bool:
    return (want is None or want.contains(token)) and (avoid is None or not avoid.contains(token))


def in_quotation(text: str, pos: int) -> bool:
    """Is ``pos`` inside a quotation of its paragraph? Curly quotes: the last one before ``pos``
    opens; straight quotes: an odd number of them precede it. A quotation that runs on to the
    next paragraph (reopened there, news style) ends with its paragraph."""
    para = text.rfind("\n", 0, pos) + 1
    opened, closed = text.rfind("\u201c", para, pos), text.rfind("\u201d", para, pos)
    return opened > closed or text.count('"', para, pos) % 2 == 1


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """Sorted, disjoint ``(start, end)`` spans: ``pos`` is inside a quotation, as
    :func:`in_quotation` says, exactly when ``start < pos <= end`` for one of them. One pass over
    the text, for documents that ask about many positions (bisect the starts)."""
    if '"' not in text and "\u201c" not in text and "\u201d" not in text:
        return []  # most text: two or three scans in C
    spans: list[tuple[int, int]] = []
    curly = straight = -1  # where the open quotation of each kind began, -1 when none is open
    for m in _QUOTE_MARK.finditer(text):
        i, c = m.start(), m.group()
        if c == "\u201c":
            if curly < 0:
                curly = i
        elif c == "\u201d":
            if curly >= 0:
                spans.append((curly, i))
                curly = -1
        elif c == '"':
            if straight >= 0:
                spans.append((straight, i))
                straight = -1
            else:
                straight = i
        else:  # a line break ends every open quotation
            spans += [(q, i) for q in (curly, straight) if q >= 0]
            curly = straight = -1
    spans += [(q, len(text)) for q in (curly, straight) if q >= 0]
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:  # a straight quotation may lie inside a curly one, or overlap it
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


_QUOTE_MARK = regex.compile('[\u201c\u201d"\n]')


def is_name_case(s: str) -> bool:
    """Every word of ``s`` starts with a capital, small words ("of", "the") excepted: how a name
    is written ("New Instances"), unlike a sentence that merely starts with one ("New instances")."""
    words = s.split()
    return bool(words) and all(w[:1].isupper() or not w[:1].isalpha() or w in _NAME_SMALL for w in words) \
        and words[0][:1].isupper()


def case_of(s: str) -> str:
    """Classify how ``s`` is written: 'upper', 'title' (first letter capital) or 'lower'."""
    if s[:1].islower():
        return "lower"
    if len(s) > 1 and s.isupper() and sum(c.isalpha() for c in s) > 1:
        return "upper"
    first = s[0] if s and s[0].isalpha() else next((c for c in s if c.isalpha()), "")
    return "title" if first.isupper() else "lower"


def _has_word_phrase(hay: str, phrase: str) -> bool:
    i = hay.find(phrase)
    while i != -1:
        j = i + len(phrase)
        if (i == 0 or not hay[i - 1].isalnum()) and (j == len(hay) or not hay[j].isalnum()):
            return True
        i = hay.find(phrase, i + 1)
    return False
