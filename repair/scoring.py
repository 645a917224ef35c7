"""Document spin score: combine independent evidence into one number in [0, 1].

Evidence: distinct ``certain`` entries found (spins that are never normal English), distinct
weaker spins beside them (corroboration), and the density of weaker spins (``likely``/``context``
entries whose context holds) per 1,000 words, above what clean news shows. Clean professional prose uses "mentioned", "within" or "safety"
now and then; spun prose is dense with them.
"""

from __future__ import annotations

import math

CERTAIN_WEIGHT = 0.6
"""Each distinct certain spin adds this much raw evidence; two reach the default threshold."""
WEAK_BASELINE = 12.0
"""Weak-spin hits per 1,000 words that clean news can reach without being spun."""
WEAK_SCALE = 12.0
"""Further hits per 1,000 words that add one unit of raw evidence."""
MIN_WORDS = 150
"""Short texts are scored as if this long, so one word cannot make a headline 'spun'."""
CORROBORATION = 0.05
"""Beside at least one certain spin, each distinct weak spin (up to ``CORROBORATED`` of them)
adds this much: one never-English phrase plus two independent weaker ones reach the default
threshold, where one certain phrase alone (a typo, a quotation) does not in a text of
``MIN_WORDS`` words or more (see ``SHORT_CERTAIN``)."""
CORROBORATED = 4
SHORT_CERTAIN = 0.35
"""In a text shorter than ``MIN_WORDS``, a certain spin weighs up to this much more (the full
amount in the shortest text, none at ``MIN_WORDS`` words): clean news shows no certain spins at
all (none in the dev set's 62 clean documents, nor in any 40-130-word window of them), while a
spun text that short has room for few, so one of them already tells."""


def spin_score(certain_distinct: int, weak_hits: int, weak_distinct: int, words: int) -> float:
    """Map evidence counts to a score in [0, 1): 1 - exp(-raw evidence)."""
    density = 1000.0 * weak_hits / max(words, MIN_WORDS)
    raw = CERTAIN_WEIGHT * certain_distinct
    if certain_distinct:
        raw += CORROBORATION * min(weak_distinct, CORROBORATED)
        raw += SHORT_CERTAIN * max(0.0, 1.0 - words / MIN_WORDS)
    if weak_distinct >= 3:
        raw += max(0.0, density - WEAK_BASELINE) / WEAK_SCALE
    return 1.0 - math.exp(-raw)


SPIN_CONSTANTS = (CERTAIN_WEIGHT, CORROBORATION, CORROBORATED, SHORT_CERTAIN, MIN_WORDS, WEAK_BASELINE, WEAK_SCALE)
"""What the native core's twin of :func:`spin_score` is given (``Core.set_scoring``)."""


def count_words(text: str, blanks: int | None = None) -> int:
    """Approximate word count (spaces and line breaks, counted in C): all the density needs,
    without splitting the text into a list of words. ``blanks``: the spaces and line breaks,
    when a caller has counted them already (the native core does, in its one pass)."""
    if blanks is None:
        blanks = text.count(" ") + text.count("\n")
    return blanks + (1 if text and not text[-1].isspace() else 0)


PROFILE_BASE = 15.0
"""Weak edits per 1,000 words that a text would get were it taken for spun, up to which it is
no evidence: the clean news of the dev set reaches 12, its spun news 11-110 (most above 25)."""
PROFILE_SCALE = 10.0
"""Further weak edits per 1,000 words that add one unit of raw evidence (22 per 1,000 words
reach the default threshold)."""
PROFILE_MIN_HITS = 2
"""Weak spins (or suggestions) in the first scan's evidence before a second look is taken."""
PROFILE_MAX_WORDS = 400
"""Only texts up to this long get a second look: it is a second pass, and a longer text shows
its spinner in the first scan more often (the two dev texts it rescues have 118 and 209 words)."""


def profile_score(weak_edits: int, words: int) -> float:
    """The spin score of the second look: how dense the weak edits are that the text would
    get were it spun (``Repairer._second_look``)."""
    density = 1000.0 * weak_edits / max(words, MIN_WORDS)
    return 1.0 - math.exp(-max(0.0, density - PROFILE_BASE) / PROFILE_SCALE)


SHORT_RATE = 1.3e-3
"""Distinct weak spins per word that clean news gets were it taken for spun: the dev set's clean
texts get 0.78 per 1,000 words (1.31 before the guards of its general-English entries), and none
of their 30-60-word windows gets more than one."""
SHORT_P = 0.003
"""A short text whose distinct weak spins clean news would show this rarely (or more rarely)
reaches the default threshold."""


def short_profile_score(distinct: int, words: int) -> float:
    """The second look's score of a text shorter than ``MIN_WORDS``: how unlikely clean news of
    that length is to show ``distinct`` different weak spins, were it taken for spun (a Poisson
    tail at ``SHORT_RATE``), mapped so that ``SHORT_P`` gives 0.5: two in 60 words, three in
    150, where the density score wants four in any text up to 150 words."""
    if words >= MIN_WORDS or distinct < 2:
        return 0.0
    lam = SHORT_RATE * max(words, 1)
    # P(X >= distinct), summed from its first term (1 - P(X < distinct) would cancel to noise)
    term = math.exp(-lam - math.lgamma(distinct + 1)) * lam ** distinct
    tail, k = 0.0, distinct
    while term > tail * 1e-17:
        tail += term
        k += 1
        term *= lam / k
    return 1.0 - max(tail, 1e-300) ** (math.log(2.0) / math.log(1.0 / SHORT_P))
