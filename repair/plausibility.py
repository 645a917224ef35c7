"""Bigram plausibility: does the canonical form fit its neighbours better than the spun form?

Uses the Google Web unigram and bigram counts that PyPI ``wordsegment`` ships (Apache-2.0):
"pure gasoline" is absent there while "natural gas" is frequent. The counts load lazily, once
per process (about a quarter of a second), and only when a ``plausible`` context clause is
evaluated, so clean text and most documents never pay for them.
"""

from __future__ import annotations

import math
from functools import lru_cache

from .context import next_token, prev_token


BACKOFF = 0.05
"""An unseen bigram counts as this share of what independent words would give: no evidence
then favours neither the rare nor the frequent candidate beyond its prior."""


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, float], dict[str, float], float]:
    import wordsegment

    if not wordsegment.UNIGRAMS:
        wordsegment.load()
    return wordsegment.UNIGRAMS, wordsegment.BIGRAMS, float(wordsegment.Segmenter.TOTAL)


def _pair(a: str, b: str) -> tuple[float, bool]:
    unigrams, bigrams, total = _tables()
    seen = bigrams.get(f"{a} {b}")
    if seen:
        return seen, True
    return max(BACKOFF * unigrams.get(a, 1.0) * unigrams.get(b, 1.0) / total, 1e-3), False


def _word(token: str | None) -> str | None:
    if token is None or not token[0].isalnum():
        return None
    return token.lower()


def fit(prev: str | None, phrase: str, nxt: str | None) -> tuple[float, int]:
    """Log-score of ``phrase`` between its neighbours, and how many of its bigrams were seen.

    score = log P(first | prev) + log P(next | last) from bigram counts, unseen bigrams backed off
    to independence; P(first | prev) shares its denominator across candidates, so it is left out.
    """
    unigrams = _tables()[0]
    words = phrase.lower().split()
    first, last = words[0], words[-1]
    score, seen = 0.0, 0
    if prev is not None:
        count, hit = _pair(prev, first)
        seen += hit
        score += math.log(count)
    if nxt is not None:
        count, hit = _pair(last, nxt)
        seen += hit
        score += math.log(count) - math.log(unigrams.get(last, 1.0))
    return score, seen


def best_candidate(
    text: str, start: int, end: int, spun: str, candidates: tuple[str, ...], margin: float
) -> str | None:
    """The candidate that fits the context at least ``margin`` times better than ``spun``."""
    prev, nxt = _word(prev_token(text, start)), _word(next_token(text, end))
    if prev is None and nxt is None:
        return None
    base, _ = fit(prev, spun, nxt)
    best, best_score = None, base + math.log(margin)
    for cand in candidates:
        score, seen = fit(prev, cand, nxt)
        if seen and score > best_score:
            best, best_score = cand, score
    return best
