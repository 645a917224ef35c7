"""Are the edits' confidences calibrated? Out-of-fold outcome of every edit and suggestion.

Under grouped 5-fold cross-validation by source story (as ``quality.py --cv 5``: each item meets
the lexicon less the ``dev:`` entries only its fold's stories show), every edit made on a
spinner pair (families A, B, C) is labelled by what it does to the token distance between the
repaired text and the original: *right* (taking the edit away moves the text further from the
original), *wrong* (taking it away moves it closer) or *neutral* (no change: a wrong candidate
in the right place, "present" -> "show" where the original had "current"). Every suggestion with
one candidate is labelled the same way by what applying it would do. The report gives, per tier
and stated confidence, the counts and the observed share right beside the stated confidence,
and per entry the suggestions' record across stories.

    python benchmarks/calibration.py [--data DIR] [--folds 5] [--json]
    python benchmarks/calibration.py --relaxed   # what context clauses keep out, out of fold

``--relaxed`` asks what an unmet context clause is worth: on the family-A pairs, each fold's
lexicon with the word and document clauses of its ``context`` entries dropped (case kept) makes
candidates where the real entries make none; each is labelled as above, with its trigram gain
(repair[lm]) and its entry's record on the other folds' candidates.

Skips (exit 0) without the evaluation data.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz.distance import Levenshtein

from benchmarks.quality import DEFAULT_DATA, family_group, grouped_folds, story_groups, tokens
from repair import Repairer, lm
from repair.context import Context
from repair.edits import Edit, apply_edits
from repair.lexicon import Entry


def outcomes(data: Path, folds: int = 5) -> list[dict[str, object]]:
    """One row per edit and single-candidate suggestion on the spinner pairs, out of fold."""
    base = Repairer.from_lexicons()
    pick, _ = grouped_folds(data, base, folds)
    groups = story_groups(data)
    rows: list[dict[str, object]] = []
    for pair in sorted((data / "pairs").glob("*")):
        meta = json.loads((pair / "meta.json").read_text(encoding="utf-8"))
        family = family_group(meta.get("family", ""))
        if family not in ("A", "B", "C"):
            continue
        item = f"pairs/{pair.name}"
        spun = (pair / "spun.txt").read_text(encoding="utf-8")
        original = tokens((pair / "original.txt").read_text(encoding="utf-8"))
        result = pick(item).repair(spun)
        edits = list(result.edits)
        now = Levenshtein.distance(tokens(result.text), original)

        def row(e: Edit, kind: str, other: list[Edit], applied: bool) -> dict[str, object]:
            then = Levenshtein.distance(tokens(apply_edits(spun, other)), original)
            gain = then - now if applied else now - then  # > 0: the edit brings the text closer
            return {"item": item, "story": groups[item], "family": family, "kind": kind, "tier": e.tier,
                    "confidence": e.confidence, "entry": e.entry, "before": e.before, "after": e.after,
                    "spin_score": result.scan.spin_score,
                    "outcome": "right" if gain > 0 else "wrong" if gain < 0 else "neutral"}

        for k, e in enumerate(edits):
            rows.append(row(e, "edit", edits[:k] + edits[k + 1:], True))
        for s in result.suggestions:
            if " | " in s.after or any(e.start < s.end and s.start < e.end for e in edits):
                continue
            rows.append(row(s, "suggestion", sorted([*edits, s], key=lambda e: e.start), False))
    return rows


def _relaxed(entry: Entry) -> Entry:
    """``entry`` with only its case clause kept, if it is a context entry with other clauses."""
    kept = " ".join(c for c in entry.context.source.split() if c.startswith("case="))
    if entry.tier != "context" or entry.context.source == kept:
        return entry
    return replace(entry, context=Context.parse(kept))


def relaxed_outcomes(data: Path, folds: int = 5) -> list[dict[str, object]]:
    """One row per candidate that a context entry would make in a family-A pair, out of fold,
    were its word and document clauses dropped, where the real lexicon (without same-document consistency,
    which these rows measure) makes no edit."""
    base = Repairer.from_lexicons()
    pick, fold_list = grouped_folds(data, base, folds)
    groups = story_groups(data)
    fold_of = {g: i for i, f in enumerate(fold_list) for g in f}
    loose: dict[int, Repairer] = {}
    strict: dict[int, Repairer] = {}  # each fold's lexicon without same-document consistency
    gate = lm.available()
    rows: list[dict[str, object]] = []
    for pair in sorted((data / "pairs").glob("*")):
        meta = json.loads((pair / "meta.json").read_text(encoding="utf-8"))
        if family_group(meta.get("family", "")) != "A":
            continue
        item = f"pairs/{pair.name}"
        fold = pick(item)
        if id(fold) not in loose:
            loose[id(fold)] = Repairer([_relaxed(e) for e in fold.entries], replace(fold.config, assume_spun=True))
            strict[id(fold)] = Repairer(fold.entries, replace(fold.config, same_document=False),
                                        fuzzy_names=fold._fuzzy)
        mine = strict[id(fold)]
        spun = (pair / "spun.txt").read_text(encoding="utf-8")
        original = tokens((pair / "original.txt").read_text(encoding="utf-8"))
        edits = list(mine.repair(spun).edits)
        now = Levenshtein.distance(tokens(apply_edits(spun, edits)), original)
        rewrites = {(x.before.lower(), x.after.lower()) for x in edits}
        for e in loose[id(fold)].repair(spun).edits:
            if e.tier != "context" or any(x.start < e.end and e.start < x.end for x in edits):
                continue
            then = Levenshtein.distance(tokens(apply_edits(spun, sorted([*edits, e], key=lambda x: x.start))), original)
            rows.append({"item": item, "story": groups[item], "fold": fold_of[groups[item]], "entry": e.entry,
                         "before": e.before, "after": e.after,
                         "lm_gain": lm.gain(spun, e.start, e.end, e.after) if gate else None,
                         "same_document": (e.before.lower(), e.after.lower()) in rewrites,
                         "outcome": "right" if then < now else "wrong" if then > now else "neutral"})
    for r in rows:  # the entry's record on the other folds' candidates
        others = [o["outcome"] for o in rows if o["entry"] == r["entry"] and o["fold"] != r["fold"]]
        r["record_right"] = others.count("right")
        r["record_other"] = len(others) - others.count("right")
    return rows


def relaxed_table(rows: Sequence[dict[str, object]]) -> list[tuple[str, dict[str, int]]]:
    """Counts of right, wrong and neutral candidates under each selection rule."""
    rules: list[tuple[str, Callable[[dict], bool]]] = [("every candidate", lambda r: True)]
    for g in (0, 2, 4, 6):
        rules.append((f"trigram gain > {g}", lambda r, g=g: r["lm_gain"] is not None and r["lm_gain"] > g))
    for k in (1, 2, 3):
        rules.append((f"entry right in >= {k} other-fold candidates, none else",
                      lambda r, k=k: r["record_right"] >= k and not r["record_other"]))
    rules.append(("the document's own edits made this rewrite", lambda r: bool(r["same_document"])))
    rules.append(("... and did not", lambda r: not r["same_document"]))
    out = []
    for name, keep in rules:
        n = {"right": 0, "wrong": 0, "neutral": 0}
        for r in rows:
            if keep(r):
                n[str(r["outcome"])] += 1
        out.append((name, n))
    return out


def table(rows: Sequence[dict[str, object]]) -> list[dict[str, object]]:
    """Counts per (kind, tier, stated confidence), with the share right among right and wrong
    and among all."""
    cells: dict[tuple, dict[str, int]] = defaultdict(lambda: {"right": 0, "wrong": 0, "neutral": 0})
    for r in rows:
        cells[(r["kind"], r["tier"], r["confidence"])][str(r["outcome"])] += 1
    out = []
    for (kind, tier, conf), n in sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
        total = n["right"] + n["wrong"] + n["neutral"]
        out.append({"kind": kind, "tier": tier, "stated": conf, **n, "observed": round(n["right"] / total, 3)})
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("REPAIR_EVAL_DIR", DEFAULT_DATA)))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print every row as JSON")
    parser.add_argument("--relaxed", action="store_true",
                        help="the candidates that context clauses keep out, out of fold (family A)")
    args = parser.parse_args(argv)
    if not (args.data / "pairs").is_dir():
        print(f"calibration benchmark skipped: no evaluation data at {args.data} (set --data or REPAIR_EVAL_DIR)")
        return 0
    if args.relaxed:
        loose = relaxed_outcomes(args.data, args.folds)
        if args.json:
            print(json.dumps(loose, indent=1, ensure_ascii=False))
            return 0
        print(f"grouped {args.folds}-fold cross-validation, family-A pairs: candidates of context entries "
              "whose word and document clauses are dropped, where the lexicon makes no edit\n")
        print(f"{'selection':<58}{'right':>6}{'wrong':>6}{'neutral':>8}{'share right':>12}")
        for name, n in relaxed_table(loose):
            total = sum(n.values())
            print(f"{name:<58}{n['right']:>6}{n['wrong']:>6}{n['neutral']:>8}"
                  f"{(n['right'] / total if total else 0):>12.3f}")
        if not lm.available():
            print("\n(trigram gains need the model: pip install 'repair[lm]')")
        return 0
    rows = outcomes(args.data, args.folds)
    if args.json:
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return 0
    print(f"grouped {args.folds}-fold cross-validation, families A/B/C: out-of-fold outcome of each edit\n")
    print(f"{'kind':<11}{'tier':<9}{'stated':>7}{'right':>7}{'wrong':>7}{'neutral':>8}{'observed':>10}")
    for c in table(rows):
        print(f"{c['kind']:<11}{c['tier']:<9}{c['stated']:>7.2f}{c['right']:>7}{c['wrong']:>7}{c['neutral']:>8}"
              f"{c['observed']:>10.3f}")
    record: dict[str, dict[str, set]] = defaultdict(lambda: {"right": set(), "wrong": set(), "neutral": set()})
    for r in rows:
        if r["kind"] == "suggestion":
            record[f"{r['before'].lower()} -> {r['after'].lower()}"][str(r["outcome"])].add(r["story"])
    print("\nsuggestions by phrase: stories where applying it was right / wrong")
    for phrase, n in sorted(record.items(), key=lambda kv: (-len(kv[1]["right"]) - len(kv[1]["wrong"]), kv[0])):
        print(f"  {phrase:<34} {len(n['right']):>3} / {len(n['wrong'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
