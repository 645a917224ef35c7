"""Deterministic news-like corpus for speed benchmarks, from template sentences written for this
project and the shipped lexicon: about one document in three is spun.

    python benchmarks/corpus.py 10 > corpus-10mb.txt     # size in MB
"""

from __future__ import annotations

import random
import sys
from functools import lru_cache

from repair import load_entries

CLEAN_SENTENCES = (
    "The city council met on Tuesday to discuss the new budget for schools and roads.",
    "Officials said the storm had damaged dozens of homes along the coast overnight.",
    "The company reported higher profits for the third quarter, beating analyst forecasts.",
    "Residents were asked to stay indoors while crews repaired the broken water main.",
    "The minister told reporters that talks with the union would continue next week.",
    "A spokesperson for the hospital said the patient was in stable condition.",
    "Prices for fresh vegetables rose sharply after a dry summer in the south.",
    "The team won its fourth game in a row, with two goals in the final minutes.",
    "Police closed the bridge for several hours after a truck overturned in the rain.",
    "The museum will reopen in the spring with a larger gallery for local artists.",
    "Lawmakers in the House of Representatives voted to extend the program for a year.",
    "The army said on Sunday that the exercise near the border had ended as planned.",
    "Safety regulators are reviewing the design of the heaters after three fires.",
)
SPUN_FRAMES = (
    "The {0} was mentioned in a statement on Monday, the spokesperson instructed reporters.",
    "According to the report, the {0} will stay in place within the coming months.",
    "Officers stated that the {0} had been discussed however no decision was made.",
)


@lru_cache(maxsize=4)
def spun_phrases() -> tuple[str, ...]:
    """Spun phrases of the shipped lexicon's certain and likely entries."""
    return tuple(e.spun for e in load_entries() if e.tier in ("certain", "likely") and not e.context)


def documents(megabytes: float, seed: int = 7) -> list[str]:
    """Documents of four to twelve paragraphs until the corpus reaches ``megabytes``."""
    rng = random.Random(seed)
    phrases = spun_phrases()
    target = int(megabytes * 1_000_000)
    docs, size = [], 0
    while size < target:
        spun = rng.random() < 1 / 3
        paras = []
        for _ in range(rng.randint(4, 12)):
            sents = [rng.choice(CLEAN_SENTENCES) for _ in range(rng.randint(2, 5))]
            if spun:
                sents.insert(rng.randrange(len(sents) + 1),
                             rng.choice(SPUN_FRAMES).format(rng.choice(phrases)))
            paras.append(" ".join(sents))
        doc = "\n\n".join(paras) + "\n"
        docs.append(doc)
        size += len(doc)
    return docs


def synthetic_entries(n: int, seed: int = 11) -> list[str]:
    """``n`` made-up two-word phrases that never occur in the corpus, to grow a lexicon."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = set()
    while len(out) < n:
        w1 = "".join(rng.choice(letters) for _ in range(rng.randint(4, 9)))
        w2 = "".join(rng.choice(letters) for _ in range(rng.randint(4, 9)))
        out.add(f"{w1} {w2}")
    return sorted(out)


if __name__ == "__main__":
    sys.stdout.write("\f".join(documents(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)))
