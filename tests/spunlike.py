"""Spun-like documents for idempotence checks: news-shaped sentences in which the lexicon's spun
phrases, their canonicals, spun and real names sit side by side in every case, with quotes,
line breaks and CRLF. Shared by the hypothesis property (tests/test_core.py) and the long run
(``python tools/idempotence.py N``)."""

from __future__ import annotations

import random
from functools import lru_cache

FILLER = ("the a of in and to said on for with by at from that it was is he she they after before "
          "officials told reporters on Tuesday minister government council news times day bill home "
          "house national party republican foreign international information occasions").split()
JOINERS = [" ", " ", " ", " ", ", ", ". ", ".\n", ".\r\n", " \"", "\" ", "'s ", "\n\n"]


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[tuple[str, ...], tuple[str, ...]]:
    from repair.lexicon import PROTECT, load_entries

    entries = [e for e in load_entries() if e.tier != PROTECT]
    spun = tuple(sorted({e.spun for e in entries}))
    canonical = tuple(sorted({c for e in entries for c in e.canonicals}))
    return spun, canonical


def _cased(phrase: str, rng: random.Random) -> str:
    k = rng.random()
    if k < 0.12:
        return phrase.upper()
    if k < 0.45:
        return " ".join(w[:1].upper() + w[1:] for w in phrase.split(" "))
    return phrase


def document(rng: random.Random, words: int | None = None) -> str:
    """One spun-like document of about ``words`` pieces (random when None)."""
    spun, canonical = _vocabulary()
    out = []
    for _ in range(words if words is not None else rng.randint(5, 150)):
        k = rng.random()
        piece = rng.choice(spun) if k < 0.3 else rng.choice(canonical) if k < 0.45 else rng.choice(FILLER)
        out.append(_cased(piece, rng))
        out.append(rng.choice(JOINERS))
    return "".join(out).strip() + ".\n"
