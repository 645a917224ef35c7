"""Find spun copies and their originals in a corpus (``repair pair``, ``fix --reference``).

Near-duplicate search that survives synonym spinning: a document is reduced to the tokens
spinners rarely touch (numbers, capitalised words, the function-word skeleton), shingled in
threes, and put in a MinHash LSH index (``datasketch``, ``pip install 'repair[pair]'``).
Candidates that share shingles are verified by word alignment (:func:`repair.align.similarity`
at least :data:`MIN_SIMILARITY`): another article on the same story does not pass. Of a
verified pair, the copy is the side with the higher spin score.

Scale: MinHash costs one pass over a document's stable tokens and LSH one lookup per band,
so the index grows linearly; the buckets partition by band, which is how the build spreads over
Dask or Spark (one MinHash per document in a map, then a group-by on ``(band, bucket)``, and
alignment only within a bucket).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from .align import similarity, tokens

MIN_SIMILARITY = 0.5
NUM_PERM = 128
LSH_THRESHOLD = 0.1  # low: every candidate is verified by alignment (a machine translation shares 0.19)
FUNCTION_WORDS = frozenset(
    "a an the of in on at to for from by with and or but not no is are was were be been has have had "
    "it its he she they we i you his her their our this that these those who which what when where "
    "as than then if so do does did will would can could may should there here about after before "
    "over under into up out".split()
)


@dataclass(frozen=True)
class Pair:
    """A spun copy, its original and how much of them aligns."""

    spun: str
    original: str
    similarity: float
    direction: str = "spin score"  # how the copy was told from the original ("unknown": it was not)


def skeleton(text: str) -> list[str]:
    """The tokens a spinner rarely changes, folded."""
    out = []
    for t in tokens(text):
        w = t.text
        if w[0].isdigit() or w[0].isupper() or w.casefold() in FUNCTION_WORDS:
            out.append(t.key)
    return out


def _minhash(text: str):
    from datasketch import MinHash

    words = skeleton(text)
    m = MinHash(num_perm=NUM_PERM)
    for i in range(len(words) - 2):
        m.update(" ".join(words[i:i + 3]).encode("utf-8"))
    return m


class Index:
    """A MinHash LSH index of documents by id."""

    def __init__(self) -> None:
        try:
            from datasketch import MinHashLSH
        except ImportError:
            raise ImportError("repair pair needs datasketch: pip install 'repair[pair]'") from None
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self.texts: dict[str, str] = {}
        self.hashes: dict[str, object] = {}

    def add(self, doc_id: str, text: str) -> None:
        if doc_id in self.texts:
            return
        m = _minhash(text)
        self.texts[doc_id] = text
        self.hashes[doc_id] = m
        self.lsh.insert(doc_id, m)

    def candidates(self, text: str, *, exclude: str | None = None) -> list[str]:
        """Indexed documents that share enough shingles with ``text`` (``exclude``: the id of
        ``text`` itself when it is indexed; its MinHash is reused)."""
        m = self.hashes[exclude] if exclude in self.hashes and self.texts[exclude] == text else _minhash(text)
        return [k for k in self.lsh.query(m) if k != exclude]

    def best(self, text: str, *, exclude: str | None = None, min_similarity: float = MIN_SIMILARITY,
             accept=None) -> tuple[str, float] | None:
        """The indexed document that aligns best with ``text`` (at least ``min_similarity``;
        among those ``accept(id)`` allows, when given)."""
        found = None
        for k in self.candidates(text, exclude=exclude):
            if accept is not None and not accept(k):
                continue
            score = similarity(text, self.texts[k])
            if score >= min_similarity and (found is None or score > found[1]):
                found = (k, score)
        return found


def find_pairs(docs: Mapping[str, str] | Iterable[tuple[str, str]], spin_score, threshold: float = 0.5) -> Iterator[Pair]:
    """Pairs among ``docs`` (id -> text) that align as one article, each once, the copy first:
    the side with the higher ``spin_score(text)`` (a number, or a tuple whose first item is the
    score and whose later items break ties, such as the count of spinner evidence). Where both
    score the same (a paraphrase or machine translation, which leave no spinner's evidence) the
    pair is still reported, with
    ``direction`` "unknown" and the ids in input order. Two documents that both score as spun
    (two spins of one text) are no pair: each is paired with the original instead."""
    items = dict(docs.items() if isinstance(docs, Mapping) else docs)
    index = Index()
    for k, text in items.items():
        index.add(k, text)
    scores = {k: spin_score(text) for k, text in items.items()}
    order = {k: i for i, k in enumerate(items)}
    done: set[frozenset[str]] = set()
    for k, text in items.items():

        def accept(other: str, k: str = k, text: str = text) -> bool:
            # look from the copy towards a less spun original; an exact duplicate is no spin
            return (scores[other] <= scores[k] and min(_first(scores[other]), _first(scores[k])) < threshold
                    and items[other] != text)

        best = index.best(text, exclude=k, accept=accept)
        if best is None:
            continue
        other, score = best
        key = frozenset((k, other))
        if key in done:
            continue
        done.add(key)
        if scores[k] == scores[other]:
            a, b = sorted((k, other), key=order.__getitem__)
            yield Pair(a, b, round(score, 3), "unknown")
        else:
            a, b = (k, other) if scores[k] > scores[other] else (other, k)
            yield Pair(a, b, round(score, 3), "spin score")


def _first(score) -> float:
    return score[0] if isinstance(score, tuple) else score
