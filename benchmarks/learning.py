"""What `repair learn` adds: rows learned from half of the dev set's stories, applied with the
shipped lexicon to the other half (and the other way round).

    python benchmarks/learning.py [--data DIR] [--family A]

Stories (quality.story_groups) are dealt alternately into two halves. For each direction the
lexicon is the shipped one less the dev-curated entries that only the test half shows (as in
`quality.py --cv`), with and without the rows learned from the training half's pairs of the
family (and its clean articles as the "normal English" check). Precision and recall are the
token-level figures of quality.py on the test half's pairs of the family; clean documents are
the test half's clean articles and originals. Skips with a message when DIR is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import quality  # noqa: E402

from repair import Repairer  # noqa: E402
from repair.lexicon import parse_lexicon  # noqa: E402
from repair.learn import learn, render  # noqa: E402


def halves(data: Path) -> tuple[set[str], set[str]]:
    groups = quality.story_groups(data)
    stories = sorted(set(groups.values()))
    first = set(stories[0::2])
    return ({i for i, g in groups.items() if g in first}, {i for i, g in groups.items() if g not in first})


def _pairs(data: Path, items: set[str], family: str) -> list[tuple[str, str, str]]:
    """(story, spun, original) of the family's pairs among ``items``: spins of one story count
    once as evidence for learn."""
    groups = quality.story_groups(data)
    out = []
    for item in sorted(items):
        kind, name = item.split("/", 1)
        if kind != "pairs":
            continue
        meta = json.loads((data / "pairs" / name / "meta.json").read_text(encoding="utf-8"))
        if quality.family_group(meta["family"]) != family:
            continue
        out.append((groups[item], (data / "pairs" / name / "spun.txt").read_text(encoding="utf-8"),
                    (data / "pairs" / name / "original.txt").read_text(encoding="utf-8")))
    return out


def _clean(data: Path, items: set[str]) -> list[str]:
    texts = [(data / "clean" / f"{i.split('/', 1)[1]}.txt").read_text(encoding="utf-8")
             for i in sorted(items) if i.startswith("clean/")]
    texts += [orig for _n, _s, orig in _pairs(data, items, "A")]
    return texts


def run(data: Path, family: str) -> dict[str, object]:
    base = Repairer.from_lexicons()
    dev = quality.DevEntries(data, base)
    first, second = halves(data)
    rows: dict[str, dict] = {}
    for label, train, test in (("first half -> second", first, second), ("second half -> first", second, first)):
        without = dev.without(test)  # the shipped lexicon less the dev entries only the test half shows
        entries = list(without.entries)
        proposals = learn(_pairs(data, train, family), f"half-{family}", known={e.spun.casefold() for e in entries},
                          clean=_clean(data, train))
        learned, problems = parse_lexicon(render(proposals, family), category="user", name="learned")
        assert not problems, problems
        with_rows = Repairer([*entries, *learned], base.config, fuzzy_names=True)
        result = {"learned_rows": len(learned)}
        for name, r in (("without", without), ("with", with_rows)):
            tally = quality.Tally()
            for _n, spun, original in _pairs(data, test, family):
                quality.score_pair(r, spun, original, tally)
            changed = sum(1 for t in _clean(data, test) if r.repair(t).edits)
            result[name] = {**{k: tally.row()[k] for k in ("docs", "precision", "recall", "edited_tokens", "harmful")},
                            "clean_changed": changed, "clean_docs": len(_clean(data, test))}
        rows[label] = result
    return rows


def reference_and_pairs(data: Path) -> dict[str, object]:
    """`fix --reference` on every dev pair given its own original, and `repair pair` over every
    pair's spun text and original plus the clean articles."""
    import time

    from repair.edits import apply_edits
    from repair.pairing import find_pairs
    from repair.reference import reference_edits

    tally = quality.Tally()
    docs: dict[str, str] = {}
    for pair in sorted((data / "pairs").glob("*")):
        spun = (pair / "spun.txt").read_text(encoding="utf-8")
        original = (pair / "original.txt").read_text(encoding="utf-8")
        quality._score_text(spun, original, apply_edits(spun, reference_edits(spun, original, pair.name)), tally)
        docs[f"{pair.name}/spun"], docs[f"{pair.name}/original"] = spun, original
    for path in sorted((data / "clean").glob("*.txt")):
        docs[f"clean/{path.stem}"] = path.read_text(encoding="utf-8")
    r = Repairer.from_lexicons()

    def rank(text: str) -> tuple[float, int]:
        scan = r.scan(text)
        return scan.spin_score, sum(e.count for e in scan.evidence)

    started = time.perf_counter()
    found = {p.spun: p.original for p in find_pairs(docs, rank)}
    seconds = time.perf_counter() - started
    right = sum(1 for s, o in found.items() if s.endswith("/spun") and docs[o] == docs[s.replace("/spun", "/original")])
    return {"reference": tally.row(), "pairs": len(found), "right": right, "wrong": len(found) - right,
            "dev_pairs": sum(1 for k in docs if k.endswith("/spun")), "documents": len(docs), "seconds": seconds,
            "missed": sorted(k for k in docs if k.endswith("/spun") and k not in found)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=quality.DEFAULT_DATA)
    parser.add_argument("--family", default="A")
    args = parser.parse_args(argv)
    if not (args.data / "pairs").is_dir():
        print(f"learning benchmark skipped: no evaluation data at {args.data}")
        return 0
    for label, r in run(args.data, args.family).items():
        print(f"{label}: {r['learned_rows']} learned rows")
        for name in ("without", "with"):
            x = r[name]
            print(f"  {name:8} learned rows: precision {x['precision']:.3f} recall {x['recall']:.3f} "
                  f"({x['edited_tokens']} tokens edited, {x['harmful']} harmful, {x['docs']} pairs); "
                  f"clean changed {x['clean_changed']} of {x['clean_docs']}")
    found = reference_and_pairs(args.data)
    ref = found["reference"]
    print(f"fix --reference on {ref['docs']} dev pairs (own original given): precision {ref['precision']:.3f} "
          f"recall {ref['recall']:.3f} ({ref['edited_tokens']} tokens, {ref['harmful']} harmful)")
    print(f"pair over {found['documents']} documents: {found['pairs']} pairs, {found['right']} right, "
          f"{found['wrong']} wrong, missed {found['missed']} ({found['seconds']:.2f} s, including spin scores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
