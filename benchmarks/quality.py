"""Quality benchmark: how much of the spinner's damage `repair` undoes, and what it breaks.

Reads an evaluation directory laid out like ../shared/eval/dev (pairs/NN/{spun,original}.txt with
meta.json, spun_only/NN.{txt,json}, clean/NN.txt) and reports, per spinner family: precision and
recall of token edits against the original, harmful edits (tokens the spinner never touched),
error reduction, changes on clean text, and the spin score's detection AUROC.

    python benchmarks/quality.py [--data DIR] [--json] [--lm-gate] [--cv K | --leave-one-out | --without-dev-entries] [--ceiling]

DIR defaults to $REPAIR_EVAL_DIR or ../shared/eval/dev beside the repository; when it is absent
the benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from repair import Repairer
from repair.context import Context
from repair.edits import apply_edits
from repair.matcher import Matcher

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "dev"
NORM = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": " -- ",
                      "\u2013": "-"})
LEAD, TRAIL = "\"'([«", "\"'),;:!?»]"
SPINNER_FAMILIES = ("A", "B", "C", "D", "E", "F")


def tokens(text: str) -> list[str]:
    """Whitespace tokens with surrounding punctuation split off (``U.S.`` stays whole)."""
    out: list[str] = []
    for raw in text.translate(NORM).split():
        lead, core, trail = [], raw, []
        while core and core[0] in LEAD:
            lead.append(core[0])
            core = core[1:]
        while core and (core[-1] in TRAIL or (core[-1] == "." and "." not in core[:-1])):
            trail.insert(0, core[-1])
            core = core[:-1]
        out.extend(lead + ([core] if core else []) + trail)
    return out


def family_group(family: str) -> str:
    """Report families: A (with its variants), B, C, other spinners, and non-spinner rewrites."""
    if family.startswith("OTHER"):
        return "OTHER"
    if family in ("A", "A-quotes-kept", "SEO-A"):
        return "A"
    return family if family in ("B", "C") else "D/E/F"


def touched(a: Sequence[str], b: Sequence[str]) -> tuple[set[int], list[tuple[str, int, int, int, int]]]:
    """Indices of ``a`` that differ from ``b``, and the opcodes."""
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    changed: set[int] = set()
    for tag, i1, i2, _, _ in ops:
        if tag in ("replace", "delete"):
            changed.update(range(i1, i2))
    return changed, ops


@dataclass
class Tally:
    """Counts for one family, summed over its documents."""

    docs: int = 0
    spin_tokens: int = 0  # spun tokens the spinner changed
    repair_tokens: int = 0  # spun tokens our repair changed
    correct: int = 0  # repair-changed tokens whose region now equals the original
    harmful: int = 0  # repair-changed tokens the spinner never touched
    dist_before: int = 0
    dist_after: int = 0
    name_tokens: int = 0  # spinner-changed tokens that are capitalised mid-sentence (names)
    name_fixed: int = 0
    scores: list[float] = field(default_factory=list)

    def row(self) -> dict[str, float | int]:
        p = self.correct / self.repair_tokens if self.repair_tokens else 1.0
        r = self.correct / self.spin_tokens if self.spin_tokens else 0.0
        return {
            "docs": self.docs, "precision": round(p, 3), "recall": round(r, 3),
            "edited_tokens": self.repair_tokens, "harmful": self.harmful,
            "harmful_pct": round(100 * self.harmful / self.repair_tokens, 2) if self.repair_tokens else 0.0,
            "error_reduction": round(1 - self.dist_after / self.dist_before, 3) if self.dist_before else 0.0,
            "min_score": round(min(self.scores), 3) if self.scores else 0.0,
            "name_recall": round(self.name_fixed / self.name_tokens, 3) if self.name_tokens else 0.0,
        }


def score_pair(repairer: Repairer, spun: str, original: str, tally: Tally, fuzzy: Tally | None = None) -> None:
    """Add one aligned pair's counts to ``tally`` (and those of its fuzzy name edits alone,
    replayed on their own, to ``fuzzy``)."""
    result = repairer.repair(spun)
    if fuzzy is not None:
        alone = apply_edits(spun, [e for e in result.edits if e.tier == "fuzzy"])
        _score_text(spun, original, alone, fuzzy)
    _score_text(spun, original, result.text, tally)
    tally.scores.append(result.scan.spin_score)


def _score_text(spun: str, original: str, repaired: str, tally: Tally) -> None:
    s, o = tokens(spun), tokens(original)
    r = tokens(repaired)
    spin_changed, _ = touched(s, o)
    repair_changed, s_to_r = touched(s, r)
    # repaired tokens that agree with the original
    good_r: set[int] = set()
    for tag, k1, k2, _, _ in difflib.SequenceMatcher(None, r, o, autojunk=False).get_opcodes():
        if tag == "equal":
            good_r.update(range(k1, k2))
    names = {i for i in spin_changed if s[i][:1].isupper() and i > 0 and s[i - 1] not in ".!?\"'“"}
    tally.name_tokens += len(names)
    for tag, i1, i2, j1, j2 in s_to_r:
        if tag not in ("replace", "delete"):
            continue
        block_ok = all(j in good_r for j in range(j1, j2))
        for i in range(i1, i2):
            if i in spin_changed:
                tally.correct += block_ok
                tally.name_fixed += block_ok and i in names
            else:
                tally.harmful += 1
    tally.docs += 1
    tally.spin_tokens += len(spin_changed)
    tally.repair_tokens += len(repair_changed)
    tally.dist_before += Levenshtein.distance(s, o)
    tally.dist_after += Levenshtein.distance(r, o)


def auroc(pos: Sequence[float], neg: Sequence[float]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def evaluate(
    data: Path, repairer: Repairer, per_item: Callable[[str], Repairer] | None = None
) -> dict[str, object]:
    """Run every measurement over ``data`` and return a JSON-ready report. ``per_item`` gives the
    repairer for one item ("pairs/NN", "spun_only/NN", "clean/NN"; see :func:`leave_one_out`
    and :func:`grouped_folds`); without it every item meets ``repairer``."""
    pick = per_item or (lambda _item: repairer)
    tallies: dict[str, Tally] = defaultdict(Tally)
    fuzzy_tallies: dict[str, Tally] = defaultdict(Tally)
    excerpt_tallies: dict[int, Tally] = defaultdict(Tally)
    pos_scores: list[float] = []
    neg_scores: list[float] = []
    other_scores: list[float] = []
    below: list[str] = []
    clean_docs = clean_changed = clean_words = clean_tokens = forced_edits = 0
    changed_names: list[str] = []
    # the same lexicon with detection switched off: what clean text would suffer if it were
    # ever taken for spun (a stress test of the context rules, not a figure users see)
    forced = Repairer(repairer.entries, replace(repairer.config, assume_spun=True))

    forced_for: dict[int, Repairer] = {id(repairer): forced}

    def clean_doc(name: str, text: str, item: str) -> None:
        nonlocal clean_docs, clean_changed, clean_words, clean_tokens, forced_edits
        mine = pick(item)
        result = mine.repair(text)
        if id(mine) not in forced_for:
            forced_for[id(mine)] = Repairer(mine.entries, replace(mine.config, assume_spun=True))
        forced_run = forced_for[id(mine)]
        neg_scores.append(result.scan.spin_score)
        clean_docs += 1
        clean_words += len(text.split())
        forced_edits += len(forced_run.repair(text).edits)
        if result.edits:
            clean_changed += 1
            clean_tokens += len(touched(tokens(text), tokens(result.text))[0])
            changed_names.append(name)

    threshold = repairer.config.threshold

    excerpt_texts: list[tuple[str, str, bool]] = []  # (item, text, spun) for the excerpt figures

    def spun_doc(name: str, family: str, score: float) -> None:
        if family_group(family) == "OTHER":
            other_scores.append(score)
            return
        pos_scores.append(score)
        if score < threshold:
            below.append(f"{name} ({family}, {score:.2f})")

    for pair in sorted((data / "pairs").glob("*")):
        meta = json.loads((pair / "meta.json").read_text(encoding="utf-8"))
        group = family_group(meta["family"])
        spun = (pair / "spun.txt").read_text(encoding="utf-8")
        original = (pair / "original.txt").read_text(encoding="utf-8")
        item = f"pairs/{pair.name}"
        score_pair(pick(item), spun, original, tallies[group], fuzzy_tallies[group])
        if group != "OTHER":
            for n in EXCERPT_WORDS:
                short, short_original = excerpt_pair(spun, original, n)
                _score_text(short, short_original, pick(item).fix(short), excerpt_tallies[n])
            excerpt_texts.append((item, spun, True))
        excerpt_texts.append((item, original, False))
        clean_doc(f"pairs/{pair.name}/original.txt", original, item)
        spun_doc(f"pairs/{pair.name}", meta["family"], tallies[group].scores[-1])
    for meta_path in sorted((data / "spun_only").glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        text = meta_path.with_suffix(".txt").read_text(encoding="utf-8")
        item = f"spun_only/{meta_path.stem}"
        spun_doc(item, meta.get("family", "A"), pick(item).scan(text).spin_score)
        if family_group(meta.get("family", "A")) != "OTHER":
            excerpt_texts.append((item, text, True))
    for path in sorted((data / "clean").glob("*.txt")):
        clean_doc(f"clean/{path.name}", path.read_text(encoding="utf-8"), f"clean/{path.stem}")
        excerpt_texts.append((f"clean/{path.stem}", path.read_text(encoding="utf-8"), False))

    return {
        "data": str(data),
        "threshold": threshold,
        "families": {k: tallies[k].row() for k in sorted(tallies)},
        "fuzzy_names": {k: _fuzzy_row(fuzzy_tallies[k]) for k in sorted(fuzzy_tallies)},
        "clean": {
            "docs": clean_docs, "changed_docs": clean_changed,
            "changed_tokens_per_1000_words": round(1000 * clean_tokens / clean_words, 3) if clean_words else 0.0,
            "edits_per_1000_words_if_taken_for_spun": round(1000 * forced_edits / clean_words, 2) if clean_words else 0.0,
            "changed": changed_names,
        },
        "detection": {
            "auroc": round(auroc(pos_scores, neg_scores), 4),
            "spun_docs": len(pos_scores), "clean_docs": len(neg_scores),
            "spun_below_threshold": below,
            "max_clean_score": round(max(neg_scores), 3) if neg_scores else 0.0,
            "non_spinner_rewrites_flagged": sum(s >= threshold for s in other_scores),
        },
        "excerpts": {str(n): {**excerpt_detection(excerpt_texts, pick, n, threshold),
                              **_excerpt_row(excerpt_tallies[n])} for n in EXCERPT_WORDS},
    }


EXCERPT_WORDS = (30, 60, 100)
"""Detection is also measured on the first N words of every document: a short spun excerpt and
a short clean brief must be told apart (issue 15)."""


def excerpt_pair(spun: str, original: str, words: int) -> tuple[str, str]:
    """The first ``words`` words of a spun text and the stretch of its original they align
    with (tokens joined by spaces: what :func:`tokens` reads back unchanged); a rewritten
    stretch that the excerpt's end cuts is taken whole from the original."""
    short = " ".join(spun.split()[:words])
    s, o = tokens(spun), tokens(original)
    k = len(tokens(short))
    end = len(o)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, s, o, autojunk=False).get_opcodes():
        if i1 <= k < i2 or (k == i2 and tag == "equal"):
            end = j1 + (k - i1) if tag == "equal" else (j2 if k > i1 else j1)
            break
    return short, " ".join(o[:end])


def _excerpt_row(t: Tally) -> dict[str, float | int]:
    """Repair of the spun pairs' excerpts, all spinner families together."""
    row = t.row()
    return {"precision": row["precision"], "recall": row["recall"], "edited_tokens": row["edited_tokens"]}


def excerpt_detection(texts: Sequence[tuple[str, str, bool]], pick: Callable[[str], Repairer], words: int,
                      threshold: float) -> dict:
    """Spin scores of the first ``words`` words of each (item, text, spun) document."""
    pos: list[float] = []
    neg: list[float] = []
    for item, text, spun in texts:
        scan = pick(item).scan(" ".join(text.split()[:words]))
        (pos if spun else neg).append(scan.spin_score)
    return {"auroc": round(auroc(pos, neg), 4), "spun_found": sum(p >= threshold for p in pos), "spun_docs": len(pos),
            "clean_flagged": sum(n >= threshold for n in neg), "clean_docs": len(neg)}


_STEP_ENTRY = re.compile(r"\[([\w.-]+\.tsv:\d+)\]")
"""A composed edit's reason names each step's entry in brackets (repair.settle)."""


class DevEntries:
    """Which dev-curated entries (provenance ``dev:``) the spun texts of a set of items show:
    the entries to withhold when those items are held out are the ones no other item shows
    (leave-one-out, grouped folds, benchmarks/learning.py). Items are "pairs/NN" and
    "spun_only/NN"; clean articles show none.

    An entry is shown by an item where its phrase occurs in the item's spun text, and, row by
    row, where the whole lexicon's repair of that text uses it (an edit or a suggestion): a
    context row written for one story ("viewers" before "attendance") is withheld with that
    story although its phrase occurs in every fold."""

    def __init__(self, data: Path, repairer: Repairer) -> None:
        self.repairer = repairer
        dev_rows = {e.origin for e in repairer.entries if e.provenance.startswith("dev:")}
        patterns = sorted({e.spun.lower() for e in repairer.entries if e.provenance.startswith("dev:")})
        matcher = Matcher(patterns)
        self.items: dict[str, set[str]] = {}
        self.rows: dict[str, set[str]] = {}
        for path in sorted((data / "pairs").glob("*/spun.txt")):
            self.items[f"pairs/{path.parent.name}"] = set()
        for path in sorted((data / "spun_only").glob("*.txt")):
            self.items[f"spun_only/{path.stem}"] = set()
        for item in self.items:
            kind, name = item.split("/", 1)
            path = data / "pairs" / name / "spun.txt" if kind == "pairs" else data / kind / f"{name}.txt"
            text = path.read_text(encoding="utf-8")
            self.items[item] = {patterns[p] for _, _, p in matcher.candidates(text)}
            result = repairer.repair(text)
            used = {e.entry for e in (*result.edits, *result.suggestions)}
            used.update(m for e in result.edits for m in _STEP_ENTRY.findall(e.reason))
            self.rows[item] = used & dev_rows

    def seen(self, items: Iterable[str]) -> set[str]:
        return set().union(*(self.items.get(i, set()) for i in items))

    def used(self, items: Iterable[str]) -> set[str]:
        return set().union(*(self.rows.get(i, set()) for i in items))

    def without(self, held: Iterable[str]) -> Repairer:
        """The repairer less the dev entries that only the ``held`` items show."""
        held = set(held)
        others = [i for i in self.items if i not in held]
        only_here = self.seen(held) - self.seen(others)
        rows_here = self.used(held) - self.used(others)
        kept = [e for e in self.repairer.entries
                if not (e.provenance.startswith("dev:") and (e.spun.lower() in only_here or e.origin in rows_here))]
        return Repairer(kept, self.repairer.config, fuzzy_names=self.repairer.config.fuzzy)


def loosened(pick: Callable[[str], Repairer]) -> Callable[[str], Repairer]:
    """Each item's repairer with every weak entry (``likely``, ``context``) stripped to its case
    clause and suggestions from confidence 0.4 applied (contractions included): what the
    lexicon's entries could repair were every decision between them made right, and what that
    costs precision (``--ceiling``)."""
    built: dict[int, Repairer] = {}

    def for_item(item: str) -> Repairer:
        mine = pick(item)
        if id(mine) not in built:
            entries = []
            for e in mine.entries:
                kept = " ".join(c for c in e.context.source.split() if c.startswith("case="))
                if e.tier in ("likely", "context") and e.context.source != kept:
                    e = replace(e, context=Context.parse(kept))
                entries.append(e)
            built[id(mine)] = Repairer(entries, replace(mine.config, min_confidence=0.4),
                                       fuzzy_names=mine.config.fuzzy)
        return built[id(mine)]

    return for_item


def leave_one_out(data: Path, repairer: Repairer) -> Callable[[str], Repairer]:
    """Per pair, ``repairer`` without the dev-curated entries (provenance ``dev:``) that no other
    document of ``data`` shows: an estimate of how the lexicon does on articles it was not built
    from, less harsh than dropping every dev entry (a swap the spinner repeats across articles
    keeps its entry). Spins of one source article count as one document."""
    dev = DevEntries(data, repairer)
    source: dict[str, str] = {}  # pair -> source article (several spins of one text are one)
    for pair in sorted((data / "pairs").glob("*")):
        meta = json.loads((pair / "meta.json").read_text(encoding="utf-8"))
        source[f"pairs/{pair.name}"] = meta.get("original_url") or pair.name

    def for_pair(item: str) -> Repairer:
        if not item.startswith("pairs/"):
            return repairer  # leave-one-out holds out pairs only
        return dev.without(i for i, src in source.items() if src == source[item])

    return for_pair


SHARED_TEXT = (
    ("pairs/105", "pairs/106"),
    ("pairs/115", "spun_only/111"),
    ("spun_only/102", "clean/101", "clean/102"),
    ("spun_only/103", "clean/105", "clean/106"),
)
"""Items of ../shared/eval/dev that share text (its README): one source story each."""


def story_groups(data: Path) -> dict[str, str]:
    """Each item's source story: pairs spun from one original URL, and the items the dataset's
    README lists as sharing text, are one story (held out together)."""
    items: dict[str, str] = {}
    for pair in sorted((data / "pairs").glob("*")):
        meta = json.loads((pair / "meta.json").read_text(encoding="utf-8"))
        items[f"pairs/{pair.name}"] = meta.get("original_url") or f"pairs/{pair.name}"
    for kind in ("spun_only", "clean"):
        for path in sorted((data / kind).glob("*.txt")):
            items[f"{kind}/{path.stem}"] = f"{kind}/{path.stem}"
    parent = {item: item for item in items}

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    by_url: dict[str, str] = {}
    for item, url in items.items():
        if url in by_url:
            parent[root(item)] = root(by_url[url])
        else:
            by_url[url] = item
    for group in SHARED_TEXT:
        present = [g for g in group if g in parent]
        for other in present[1:]:
            parent[root(other)] = root(present[0])
    return {item: root(item) for item in items}


def grouped_folds(data: Path, repairer: Repairer, k: int = 5) -> tuple[Callable[[str], Repairer], list[list[str]]]:
    """Grouped k-fold cross-validation by source story: stories are dealt into ``k`` folds
    (largest first, each to the lightest fold), and every item of a fold meets the lexicon less
    the dev-curated entries (provenance ``dev:``) whose phrase occurs in that fold's spun texts
    and in no other fold's: what the lexicon would know had those stories never been seen.
    Returns the per-item repairer and the folds (lists of story ids)."""
    groups = story_groups(data)
    members: dict[str, list[str]] = defaultdict(list)
    for item, g in groups.items():
        members[g].append(item)
    folds: list[list[str]] = [[] for _ in range(k)]
    weight = [0] * k
    for g in sorted(members, key=lambda g: (-len(members[g]), g)):
        i = weight.index(min(weight))
        folds[i].append(g)
        weight[i] += len(members[g])
    fold_of = {g: i for i, f in enumerate(folds) for g in f}
    dev = DevEntries(data, repairer)
    built: dict[int, Repairer] = {}

    def for_item(item: str) -> Repairer:
        f = fold_of[groups[item]]
        if f not in built:
            built[f] = dev.without(i for i, g in groups.items() if fold_of[g] == f)
        return built[f]

    return for_item, folds


def _fuzzy_row(t: Tally) -> dict[str, float | int]:
    """What the fuzzy name matcher's edits do on their own."""
    row = t.row()
    return {"edited_tokens": row["edited_tokens"], "precision": row["precision"],
            "name_recall": row["name_recall"], "harmful": row["harmful"]}


def render(report: dict) -> str:
    """Human-readable table."""
    lines = [f"data: {report['data']}  (threshold {report['threshold']})"]
    cv = report.get("cross_validation")
    if cv:
        lines.append(f"grouped {cv['folds']}-fold cross-validation by source story: {cv['stories']} stories, "
                     f"{cv['stories_per_fold']} per fold; dev-curated phrases and rows seen only in a fold's stories withheld there")
    lines.append("")
    head = (f"{'family':8} {'docs':>4} {'prec':>6} {'recall':>6} {'edited':>6} {'harmful':>7} "
            f"{'err.red':>7} {'min score':>9} {'names':>6}")
    lines += [head, "-" * len(head)]
    for fam, row in report["families"].items():
        lines.append(f"{fam:8} {row['docs']:>4} {row['precision']:>6.3f} {row['recall']:>6.3f} "
                     f"{row['edited_tokens']:>6} {row['harmful']:>4} ({row['harmful_pct']:.1f}%) "
                     f"{row['error_reduction']:>7.3f} {row['min_score']:>9.2f} {row['name_recall']:>6.3f}")
    fz = report["fuzzy_names"]
    lines += ["", "fuzzy name edits alone: " + "; ".join(
        f"{k} {r['edited_tokens']} tokens, precision {r['precision']:.3f}, name recall {r['name_recall']:.3f}"
        for k, r in fz.items() if k != "OTHER")]
    c, d = report["clean"], report["detection"]
    lines += ["", (f"clean text: {c['changed_docs']} of {c['docs']} documents changed, "
              f"{c['changed_tokens_per_1000_words']} changed tokens per 1,000 words "
              f"({c['edits_per_1000_words_if_taken_for_spun']} edits per 1,000 words if it were taken for spun)"),
              *(f"  changed: {n}" for n in c["changed"]),
              (f"detection: AUROC {d['auroc']} over {d['spun_docs']} spun vs {d['clean_docs']} clean documents; "
              f"highest clean score {d['max_clean_score']}; "
              f"{len(d['spun_below_threshold'])} spun below threshold; "
              f"{d['non_spinner_rewrites_flagged']} paraphrase/MT rewrites flagged"),
              *(f"  below threshold: {n}" for n in d["spun_below_threshold"])]
    lines.append("excerpts (first N words): " + "; ".join(
        f"{n} words AUROC {e['auroc']}, spun found {e['spun_found']}/{e['spun_docs']}, clean flagged "
        f"{e['clean_flagged']}/{e['clean_docs']}" for n, e in report.get("excerpts", {}).items()))
    lines.append("excerpts of the spun pairs repaired (first N words, families A-F): " + "; ".join(
        f"{n} words precision {e['precision']:.3f}, recall {e['recall']:.3f} ({e['edited_tokens']} tokens edited)"
        for n, e in report.get("excerpts", {}).items()))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("REPAIR_EVAL_DIR", DEFAULT_DATA)))
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--no-fuzzy", action="store_true", help="turn fuzzy name matching off")
    parser.add_argument("--no-gazetteer", action="store_true",
                        help="drop the name variants generated from the gazetteer (and fuzzy matching)")
    parser.add_argument("--without-dev-entries", action="store_true",
                        help="drop every entry curated from this dev set (provenance dev:): a harsh "
                             "stand-in for articles the lexicon has never seen")
    parser.add_argument("--lm-gate", action="store_true",
                        help="gate likely/context edits with the trigram model (repair[lm])")
    parser.add_argument("--cv", type=int, default=0, metavar="K",
                        help="grouped K-fold cross-validation by source story (see grouped_folds)")
    parser.add_argument("--leave-one-out", action="store_true",
                        help="score each pair without the dev-curated entries that only it shows "
                             "(clean text still meets the whole lexicon)")
    parser.add_argument("--ceiling", action="store_true",
                        help="every weak entry without its word, document and plausibility clauses, "
                             "suggestions from confidence 0.4 applied: the most that any rule "
                             "deciding between the lexicon's own entries can reach (not a product setting)")
    args = parser.parse_args(argv)
    if not (args.data / "pairs").is_dir():
        print(f"quality benchmark skipped: no evaluation data at {args.data} (set --data or REPAIR_EVAL_DIR)")
        return 0
    from repair import Config

    config = Config(threshold=args.threshold, fuzzy=not (args.no_fuzzy or args.no_gazetteer),
                    language_model=args.lm_gate)
    repairer = Repairer.from_lexicons(config=config)
    if args.no_gazetteer or args.without_dev_entries:
        kept = [e for e in repairer.entries
                if not (args.no_gazetteer and e.origin.startswith("gazetteer.tsv:"))
                and not (args.without_dev_entries and e.provenance.startswith("dev:"))]
        repairer = Repairer(kept, config, fuzzy_names=config.fuzzy)
    per_item = None
    if args.leave_one_out:
        per_item = leave_one_out(args.data, repairer)
    elif args.cv:
        per_item, folds = grouped_folds(args.data, repairer, args.cv)
    if args.ceiling:
        per_item = loosened(per_item or (lambda _item: repairer))
    report = evaluate(args.data, repairer, per_item)
    if args.cv:
        report["cross_validation"] = {"folds": args.cv, "stories": sum(len(f) for f in folds),
                                      "stories_per_fold": [len(f) for f in folds]}
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
