"""Learn a spinner's lexicon from aligned spun/original pairs (``repair learn``).

Each pair is aligned word by word (:mod:`repair.align`); every substitution of at most
:data:`MAX_RUN` tokens a side is counted with the words beside it, and so is every time the
spun form was left as it was (a word the spinner writes that the original also had). Proposed
rows, for review:

- ``certain`` for a phrase of two or more words whose every word pair is missing from the web
  bigram counts while the original's pairs are there ("pure gasoline" for "natural gas"), or a
  word missing from the unigram counts;
- ``likely`` for a form that was swapped every time it was met, at least :data:`MIN_COUNT` times,
  and is rarer on the web than what it replaced ("forged" for "cast");
  (``certain`` and ``likely`` also need two pairs, and a form met in the clean texts given is
  only ever ``context``);
- ``context`` with ``before=``/``after=`` lists of the words seen beside it where it was also
  met unchanged but always swapped beside those words;
- nothing for the rest: a swap seen once, or in one pair only (:data:`MIN_PAIRS`: one article's
  wording is not the spinner's habit), or one that contradicts itself.

Confidence is the share of the form's occurrences that were swaps (0.99 at most); provenance is
``learned:NAME``; a comment above each row gives the counts and the pairs it was seen in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .align import substitutions, tokens

MAX_RUN = 3
MIN_COUNT = 2
MIN_PAIRS = 2


@dataclass
class _Seen:
    swaps: Counter = field(default_factory=Counter)  # original -> count
    before: Counter = field(default_factory=Counter)
    after: Counter = field(default_factory=Counter)
    pairs: set = field(default_factory=set)
    written: str = ""  # the spun form as first met (its case)


@dataclass(frozen=True)
class Proposal:
    """One proposed lexicon row and its evidence."""

    spun: str
    canonical: str
    tier: str
    confidence: float
    provenance: str
    context: str
    swaps: int
    kept: int
    pairs: tuple[str, ...]

    def row(self) -> str:
        cols = [self.spun, self.canonical, self.tier, f"{self.confidence:.2f}", self.provenance]
        if self.context:
            cols.append(self.context)
        return "\t".join(cols)

    def comment(self) -> str:
        return (f"# {self.swaps} swap(s) in {len(self.pairs)} pair(s) ({', '.join(self.pairs[:5])}"
                f"{', ...' if len(self.pairs) > 5 else ''}); left as written {self.kept} time(s)")


def _fold(phrase: str) -> str:
    return " ".join(phrase.replace("’", "'").split()).casefold()


def _plain(phrase: str) -> bool:
    """Words only (letters, inner apostrophes): numbers and punctuation are not learned."""
    return all(w.replace("'", "").isalpha() for w in phrase.split())


def learn(pairs: Iterable[tuple[str, str, str]], name: str, *, min_count: int = MIN_COUNT,
          min_pairs: int = MIN_PAIRS, known: Iterable[str] = (), clean: Iterable[str] = ()) -> list[Proposal]:
    """Proposals from ``(pair id, spun, original)`` triples (give spins of one story one id);
    ``known`` spun forms (folded) are left out (the lexicon has them); a swap needs ``min_count``
    sightings in ``min_pairs`` pairs. A form met in ``clean`` texts (news no spinner touched)
    is normal English: it is proposed only as ``context``."""
    seen: dict[str, _Seen] = defaultdict(_Seen)
    texts: list[tuple[str, str]] = []
    for pair_id, spun, original in pairs:
        texts.append((pair_id, spun))
        for s in substitutions(spun, original, max_run=MAX_RUN):
            if not (_plain(s.spun) and _plain(s.original)):
                continue
            key = _fold(s.spun)
            if _fold(s.original) == key:
                continue  # a change of case or apostrophe only
            entry = seen[key]
            entry.written = entry.written or " ".join(s.spun.split())
            entry.swaps[" ".join(s.original.split())] += 1
            entry.before[s.before] += 1
            entry.after[s.after] += 1
            entry.pairs.add(pair_id)
    kept = _kept_counts(texts, seen)
    in_clean = _kept_counts([("clean", t) for t in clean], seen, swapped=False)
    known_set = set(known)
    out = []
    for key, entry in seen.items():
        if key in known_set:
            continue
        total = sum(entry.swaps.values())
        canonical, count = entry.swaps.most_common(1)[0]
        if count < min_count or count < 0.8 * total or len(entry.pairs) < min_pairs:
            continue  # seen too rarely or in one article, or swapped to different words with no majority
        confidence = min(0.99, count / (total + kept.get(key, 0)))
        if confidence < 0.5:
            continue  # left as written more often than swapped
        tier, context = _tier(key, canonical, entry, kept.get(key, 0))
        if tier in ("certain", "likely") and (in_clean.get(key, 0) or len(entry.pairs) < 2):
            tier, context = _tier(key, canonical, entry, kept.get(key, 0), weak_only=True)
        if tier is None:
            continue
        out.append(Proposal(entry.written, canonical, tier, confidence, f"learned:{name}", context,
                            count, kept.get(key, 0), tuple(sorted(entry.pairs))))
    out.sort(key=lambda p: (p.spun.casefold(), p.canonical))
    return out


def _kept_counts(texts: Sequence[tuple[str, str]], seen: dict[str, _Seen], *, swapped: bool = True) -> dict[str, int]:
    """How often each learned spun form occurs in the spun texts beyond its swaps: the times
    the spinner (or the original) wrote it and it was the right word (``swapped`` False: how
    often it occurs in ``texts`` at all)."""
    found: Counter = Counter()
    longest = max((len(k.split()) for k in seen), default=0)
    for _pair, text in texts:
        words = [t.key for t in tokens(text)]
        for n in range(1, longest + 1):
            for i in range(len(words) - n + 1):
                gram = " ".join(words[i:i + n])
                if gram in seen:
                    found[gram] += 1
    if not swapped:
        return dict(found)
    return {k: max(0, found[k] - sum(v.swaps.values())) for k, v in seen.items()}


def _tier(key: str, canonical: str, entry: _Seen, kept: int, *, weak_only: bool = False) -> tuple[str | None, str]:
    """The proposed tier and context clause for a learned swap (see the module docstring);
    ``weak_only``: a context entry or nothing."""
    from .plausibility import _load_wordsegment

    unigrams, bigrams = _load_wordsegment()
    words = key.replace("'", "").split()
    canon = canonical.casefold().replace("'", "").split()
    pairs = [" ".join(p) for p in zip(words, words[1:])]
    canon_pairs = [" ".join(p) for p in zip(canon, canon[1:])]
    if weak_only:
        pass
    elif len(words) >= 2 and not any(p in bigrams for p in pairs) and (
            not canon_pairs or any(p in bigrams for p in canon_pairs)):
        return "certain", ""
    elif len(words) == 1 and words[0] not in unigrams and canon and all(w in unigrams for w in canon):
        return "certain", ""
    elif kept == 0 and _frequency(words, unigrams, bigrams) < _frequency(canon, unigrams, bigrams):
        return "likely", ""  # never left as written, and rarer in English than what it replaced
    beside = sorted(w for w in entry.after if w and w.replace("'", "").isalpha())
    if beside and len(beside) <= 8:
        return "context", "after=" + "|".join(beside)
    beside = sorted(w for w in entry.before if w and w.replace("'", "").isalpha())
    if beside and len(beside) <= 8:
        return "context", "before=" + "|".join(beside)
    return None, ""


def _frequency(words: Sequence[str], unigrams: dict, bigrams: dict) -> float:
    """How common a phrase is on the web: its unigram count, or its rarest word pair's."""
    if len(words) == 1:
        return unigrams.get(words[0], 0.0)
    return min((bigrams.get(f"{a} {b}", 0.0) for a, b in zip(words, words[1:])), default=0.0)


def render(proposals: Sequence[Proposal], name: str) -> str:
    """The proposals as a lexicon file (``repair lexicon validate`` accepts it)."""
    head = [f"# learned:{name}: {len(proposals)} proposed row(s) from aligned spun/original pairs "
            "(repair learn); review before use"]
    body = []
    for p in proposals:
        body += [p.comment(), p.row()]
    return "\n".join(head + body) + "\n"
