"""Teaching a new spinner (issue 18): word alignment, `repair learn`, `repair pair`,
`repair fix --reference`; on sentences written for these tests and, when ../shared is there,
on the dev set's pairs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from repair import Repairer
from repair.align import similarity, substitutions
from repair.learn import learn, render
from repair.lexicon import parse_lexicon
from repair.reference import reference_edits, repair_with_reference

ROOT = Path(__file__).resolve().parent.parent
TEACH = ROOT / "examples" / "teach"
DEV = Path(os.environ.get("REPAIR_EVAL_DIR", ROOT.parent / "shared" / "eval" / "dev"))


def repair(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "repair", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=120)


def test_alignment_finds_swaps_and_multi_word_expansions() -> None:
    original = "Their vision for the park was clear, and the U.K. team said so on Monday."
    spun = "Their imaginative and prescient for the park was clear, and the U.Okay. group stated so on Monday."
    found = [(s.spun, s.original) for s in substitutions(spun, original)]
    assert found == [("imaginative and prescient", "vision"), ("U.Okay. group stated", "U.K. team said")]
    assert similarity(spun, original) > 0.6
    assert similarity(spun, "Prices of natural gas rose again in Europe this winter.") < 0.3


def test_learn_proposes_rows_the_lexicon_accepts() -> None:
    pairs = [(p.name, (p / "spun.txt").read_text(encoding="utf-8"), (p / "original.txt").read_text(encoding="utf-8"))
             for p in sorted(TEACH.glob("pair*"))]
    proposals = learn(pairs, "example", known={"stated", "subsequent", "metropolis", "choice"})
    rows = {(p.spun, p.canonical): p for p in proposals}
    assert ("embraced", "welcomed") in rows and ("assessment", "review") in rows
    assert all(p.provenance == "learned:example" and len(p.pairs) == 2 for p in rows.values())
    entries, problems = parse_lexicon(render(proposals, "example"), category="user", name="learned")
    assert problems == [] and len(entries) == len(proposals)
    # a form met in clean text is normal English: a context row at most
    clean = ["The panel embraced the idea and finished its assessment early."]
    weak = {(p.spun, p.canonical): p.tier for p in learn(pairs, "example", clean=clean)}
    assert weak.get(("embraced", "welcomed")) in (None, "context")


def test_learn_wants_a_swap_in_two_pairs() -> None:
    original = "The mayor said the plan was ready. The mayor said the plan was ready."
    spun = "The mayor stated the plan was prepared. The mayor stated the plan was prepared."
    one = learn([("story1", spun, original)], "example")
    assert one == []  # seen twice, but in one article: its wording, not yet the spinner's habit
    rows = {(p.spun, p.canonical) for p in learn([("story1", spun, original)], "example", min_pairs=1)}
    assert ("stated", "said") in rows
    two = {(p.spun, p.canonical) for p in learn([("story1", spun, original), ("story2", spun, original)], "example")}
    assert ("stated", "said") in two


def test_reference_restores_the_original_and_only_from_the_same_article() -> None:
    spun = (TEACH / "pair1" / "spun.txt").read_text(encoding="utf-8")
    original = (TEACH / "pair1" / "original.txt").read_text(encoding="utf-8")
    other = (TEACH / "pair2" / "original.txt").read_text(encoding="utf-8")
    edits = reference_edits(spun, original, "pair1")
    assert {(e.before, e.after) for e in edits} >= {("embraced", "welcomed"), ("assessment", "review")}
    assert all(e.entry == "reference:pair1" and "same article" in e.reason for e in edits)
    assert reference_edits(spun, other, "pair2") == []
    r = Repairer.from_lexicons()
    assert repair_with_reference(r, spun, other, "pair2").text == r.fix(spun)
    assert "welcomed the\ndecision" in repair_with_reference(r, spun, original, "pair1").text


def test_cli_learn_pair_and_reference(tmp_path: Path) -> None:
    pytest.importorskip("datasketch", reason="pip install 'repair[pair]'")
    proc = repair("pair", str(TEACH), "-o", str(tmp_path / "pairs.jsonl"))
    assert proc.returncode == 0, proc.stderr
    pairs = [json.loads(line) for line in (tmp_path / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {(Path(p["spun"]).parent.name, Path(p["spun"]).name, Path(p["original"]).name) for p in pairs} == {
        ("pair1", "spun.txt", "original.txt"), ("pair2", "spun.txt", "original.txt")}
    proc = repair("learn", str(tmp_path / "pairs.jsonl"), "--name", "example", "-o", str(tmp_path / "rows.tsv"))
    assert proc.returncode == 0 and "2 pairs, 2 proposed rows" in proc.stderr, proc.stderr
    assert repair("lexicon", "validate", str(tmp_path / "rows.tsv")).returncode == 0
    fixed = repair("fix", "-l", str(tmp_path / "rows.tsv"), "--assume-spun", str(TEACH / "pair2" / "spun.txt")).stdout
    assert "Staff welcomed the" in fixed and "the review\nof" in fixed
    restored = repair("fix", "--reference", str(TEACH / "pair1" / "original.txt"), str(TEACH / "pair1" / "spun.txt"))
    # "brand new" for "new" is an insertion, not a swap: the bundled lexicon's entry restores it
    assert restored.stdout == (TEACH / "pair1" / "original.txt").read_text(encoding="utf-8")
    assert repair("learn").returncode == 2
    copy = tmp_path / "copy.txt"
    copy.write_text((TEACH / "pair1" / "spun.txt").read_text(encoding="utf-8"), encoding="utf-8")
    proc = repair("fix", "-w", "--reference", str(TEACH / "pair1" / "original.txt"), str(copy))
    assert proc.returncode == 0 and copy.read_text(encoding="utf-8") == restored.stdout, proc.stderr


@pytest.mark.skipif(not (DEV / "pairs").is_dir(), reason="no ../shared/eval/dev")
def test_reference_on_dev_pairs_restores_nine_in_ten_swaps_precisely() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import quality
    from repair.edits import apply_edits

    tally = quality.Tally()
    for pair in sorted((DEV / "pairs").glob("*")):
        spun = (pair / "spun.txt").read_text(encoding="utf-8")
        original = (pair / "original.txt").read_text(encoding="utf-8")
        quality._score_text(spun, original, apply_edits(spun, reference_edits(spun, original, pair.name)), tally)
    row = tally.row()
    assert row["precision"] >= 0.99 and row["recall"] >= 0.9, row


@pytest.mark.skipif(not (DEV / "pairs").is_dir(), reason="no ../shared/eval/dev")
def test_pair_finds_the_dev_originals_without_false_pairs() -> None:
    pytest.importorskip("datasketch", reason="pip install 'repair[pair]'")
    from repair.pairing import find_pairs

    docs = {}
    for pair in sorted((DEV / "pairs").glob("*")):
        docs[f"{pair.name}/spun"] = (pair / "spun.txt").read_text(encoding="utf-8")
        docs[f"{pair.name}/original"] = (pair / "original.txt").read_text(encoding="utf-8")
    for path in sorted((DEV / "clean").glob("*.txt")):
        docs[f"clean/{path.stem}"] = path.read_text(encoding="utf-8")
    r = Repairer.from_lexicons()
    found = {p.spun: p.original for p in find_pairs(docs, lambda t: (r.scan(t).spin_score,
                                                                      sum(e.count for e in r.scan(t).evidence)))}
    for spun, original in found.items():  # every pair found is right (an identical original counts)
        assert spun.endswith("/spun") and docs[original] == docs[spun.replace("/spun", "/original")], (spun, original)
    assert {f"{p.name}/spun" for p in (DEV / "pairs").glob("*")} == set(found)  # every copy finds its original
