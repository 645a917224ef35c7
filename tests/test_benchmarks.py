"""Smoke tests for the benchmark scripts on tiny data written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import quality
from repair import Repairer

SPUN = ("The White Home mentioned on Monday that the Nationwide Guard would help. "
        "Officers examined constructive, the New York Instances reported.")
ORIGINAL = ("The White House said on Monday that the National Guard would help. "
            "Officers tested positive, the New York Times reported.")
CLEAN = "The army said on Sunday that the exercise near the border had ended as planned."


def _dataset(root: Path) -> Path:
    pair = root / "pairs" / "01"
    pair.mkdir(parents=True)
    (pair / "spun.txt").write_text(SPUN, encoding="utf-8")
    (pair / "original.txt").write_text(ORIGINAL, encoding="utf-8")
    (pair / "meta.json").write_text(json.dumps({"family": "A"}), encoding="utf-8")
    (root / "clean").mkdir()
    (root / "clean" / "01.txt").write_text(CLEAN, encoding="utf-8")
    (root / "spun_only").mkdir()
    (root / "spun_only" / "01.txt").write_text(SPUN, encoding="utf-8")
    (root / "spun_only" / "01.json").write_text(json.dumps({"family": "A"}), encoding="utf-8")
    return root


def test_quality_report_on_a_tiny_dataset(tmp_path: Path) -> None:
    report = quality.evaluate(_dataset(tmp_path), Repairer.from_lexicons())
    a = report["families"]["A"]
    assert a["precision"] == 1.0 and a["recall"] == 1.0 and a["harmful"] == 0
    assert report["clean"]["changed_docs"] == 0 and report["clean"]["docs"] == 2  # clean/ + original
    assert report["detection"]["auroc"] == 1.0
    assert "fuzzy_names" in report and "edits_per_1000_words_if_taken_for_spun" in report["clean"]
    assert "family" in quality.render(report)


def test_quality_skips_cleanly_without_data(tmp_path: Path, capsys) -> None:
    assert quality.main(["--data", str(tmp_path / "absent")]) == 0
    assert "skipped" in capsys.readouterr().out


def test_excerpt_pair_cuts_the_original_where_the_excerpt_ends() -> None:
    assert quality.excerpt_pair(SPUN, ORIGINAL, 5) == ("The White Home mentioned on", "The White House said on")
    assert quality.excerpt_pair(SPUN, ORIGINAL, 3) == ("The White Home", "The White House said")
    short, original = quality.excerpt_pair(SPUN, ORIGINAL, 100)
    assert short == SPUN and quality.tokens(original) == quality.tokens(ORIGINAL)


def test_tokens_keep_abbreviations_whole() -> None:
    assert quality.tokens("The U.S. said (again).") == ["The", "U.S.", "said", "(", "again", ")", "."]


def test_quality_ablations_run(tmp_path: Path, capsys) -> None:
    data = _dataset(tmp_path)
    for flags in (["--no-fuzzy"], ["--no-gazetteer"], ["--without-dev-entries"], ["--leave-one-out"], ["--cv", "2"]):
        assert quality.main(["--data", str(data), *flags, "--json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["clean"]["changed_docs"] == 0


def test_ceiling_strips_weak_clauses_and_applies_low_confidence_rows(tmp_path: Path, capsys) -> None:
    """--ceiling: a context row fires without its word clause, a 0.45 row is written; a certain
    row keeps its clauses."""
    from repair.lexicon import parse_line

    rows = ["viewers\taudience\tcontext\t0.8\tdev:A\tafter=attendance case=lower",
            "it's\tit is\tlikely\t0.45\thabit:A",
            "White Home\tWhite House\tcertain\t0.9\tdev:A\tbefore=the"]
    entries = [parse_line(r, category="word", origin=f"t:{i}") for i, r in enumerate(rows)]
    loose = quality.loosened(lambda _item: Repairer(entries))("pairs/01")
    by_origin = {e.origin: e for e in loose.entries}
    assert by_origin["t:0"].context.source == "case=lower"
    assert by_origin["t:2"].context.source == "before=the"
    assert loose.config.min_confidence == 0.4
    assert quality.main(["--data", str(_dataset(tmp_path)), "--cv", "2", "--ceiling", "--json"]) == 0
    assert "families" in json.loads(capsys.readouterr().out)


def test_leave_one_out_drops_only_entries_no_other_document_shows(tmp_path: Path) -> None:
    from repair.lexicon import parse_line

    data = _dataset(tmp_path)
    (data / "spun_only" / "01.txt").write_text("The Nationwide Guard mentioned it.", encoding="utf-8")
    entries = [parse_line(f"{s}\t{c}\tcertain\t0.9\tdev:A", category="name", origin="t")
               for s, c in (("White Home", "White House"), ("Nationwide Guard", "National Guard"))]
    kept = quality.leave_one_out(data, Repairer(entries))("pairs/01").entries
    assert [e.spun for e in kept] == ["Nationwide Guard"]  # "White Home" is only in pair 01


def test_a_context_row_goes_with_the_only_item_that_uses_it(tmp_path: Path) -> None:
    """A dev row whose phrase occurs everywhere is still withheld with the one item whose repair
    uses it; a row used elsewhere too stays."""
    from repair.lexicon import parse_line

    data = _dataset(tmp_path)
    (data / "pairs" / "01" / "spun.txt").write_text(
        "The White Home mentioned that the viewers attendance was suspended.", encoding="utf-8")
    (data / "spun_only" / "01.txt").write_text(
        "The White Home mentioned that the viewers watched.", encoding="utf-8")
    rows = ["White Home\tWhite House\tcertain\t0.9\tdev:A",
            "mentioned\tsaid\tcertain\t0.9\tdev:A",
            "viewers\taudience\tcontext\t0.8\tdev:A\tafter=attendance"]
    entries = [parse_line(r, category="word", origin=f"t:{i}") for i, r in enumerate(rows)]
    dev = quality.DevEntries(data, Repairer(entries))
    assert dev.used(["pairs/01"]) == {"t:0", "t:1", "t:2"} and dev.used(["spun_only/01"]) == {"t:0", "t:1"}
    kept = quality.leave_one_out(data, Repairer(entries))("pairs/01").entries
    assert [e.origin for e in kept] == ["t:0", "t:1"]


def test_instruction_count_passes_run_without_valgrind() -> None:
    """The part of benchmarks/instructions.py that callgrind measures runs on its own."""
    from benchmarks import instructions

    instructions._passes("repair", 0.005, 1)
    instructions._passes("repair", 0.005, 1, "news-spun", fresh=True)
    if (Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "pairs").is_dir():
        instructions._passes("repair", 0.005, 1, "real-spun", unseen=True)


def test_grouped_folds_hold_a_story_out_together(tmp_path: Path) -> None:
    """Items that share text are one story; a fold's items meet the lexicon without the dev
    entries only that fold's stories show."""
    from repair.lexicon import parse_line

    data = _dataset(tmp_path)
    (data / "pairs" / "01" / "meta.json").write_text(json.dumps({"family": "A", "original_url": "u1"}), encoding="utf-8")
    second = data / "pairs" / "02"
    second.mkdir()
    for name in ("spun.txt", "original.txt"):
        (second / name).write_text((data / "pairs" / "01" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (second / "meta.json").write_text(json.dumps({"family": "A", "original_url": "u1"}), encoding="utf-8")
    (data / "spun_only" / "01.txt").write_text("The army said so.", encoding="utf-8")
    groups = quality.story_groups(data)
    assert groups["pairs/01"] == groups["pairs/02"] != groups["spun_only/01"]
    entries = [parse_line("White Home\tWhite House\tcertain\t0.9\tdev:A", category="name", origin="t")]
    per_item, folds = quality.grouped_folds(data, Repairer(entries), 2)
    assert sorted(len(f) for f in folds) == [1, 2]
    assert per_item("pairs/01").entries == () and per_item("pairs/02").entries == ()
    assert len(per_item("clean/01").entries) == 1 or len(per_item("spun_only/01").entries) == 1


def test_calibration_labels_each_edit_by_its_effect(tmp_path: Path, capsys) -> None:
    from benchmarks import calibration

    data = _dataset(tmp_path)
    rows = calibration.outcomes(data, folds=2)
    assert rows and all(r["kind"] == "edit" and r["outcome"] == "right" for r in rows)
    assert {"National Guard", "tested positive"} <= {r["after"] for r in rows}
    assert calibration.main(["--data", str(data), "--folds", "2"]) == 0
    assert "observed" in capsys.readouterr().out
    assert calibration.main(["--data", str(tmp_path / "absent")]) == 0


def test_calibration_relaxed_labels_what_context_clauses_keep_out(tmp_path: Path, capsys) -> None:
    from benchmarks import calibration

    data = _dataset(tmp_path)
    pair = data / "pairs" / "02"
    pair.mkdir()
    # "additionally" -> "also" is not made before punctuation: dropping that clause is right here
    (pair / "spun.txt").write_text("The White Home mentioned it would help additionally.", encoding="utf-8")
    (pair / "original.txt").write_text("The White House said it would help also.", encoding="utf-8")
    (pair / "meta.json").write_text(json.dumps({"family": "A"}), encoding="utf-8")
    rows = calibration.relaxed_outcomes(data, folds=2)
    assert [(r["before"], r["after"], r["outcome"]) for r in rows] == [("additionally", "also", "right")]
    assert calibration.main(["--data", str(data), "--folds", "2", "--relaxed"]) == 0
    assert "every candidate" in capsys.readouterr().out


def test_other_prose_reports_changes_and_exits_1(tmp_path: Path, capsys) -> None:
    """benchmarks/other_prose.py over a directory: a clean file passes, a spun one is reported
    changed (exit 1); the Python topics are read as well."""
    from benchmarks import other_prose

    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "binary.bin").write_bytes(b"\xff\xfe\x00")  # not UTF-8: skipped
    assert other_prose.main(["--dir", str(tmp_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["changed_docs"] == [] and report["docs"] >= 1
    (tmp_path / "spun.txt").write_text(SPUN, encoding="utf-8")
    texts = other_prose.files([str(tmp_path)])
    assert [Path(name).name for name, _ in texts] == ["clean.txt", "spun.txt"]
    report = other_prose.measure(texts)
    assert report["changed_docs"] == [str(tmp_path / "spun.txt")] and report["spun_docs"]
    assert other_prose.main(["--dir", str(tmp_path)]) == 1
    assert "changed: " in capsys.readouterr().out


def test_parallel_scaling_names_bad_arguments(capsys) -> None:
    """benchmarks/parallel_scaling.py refuses a size it cannot make, with usage and exit 2."""
    import pytest

    from benchmarks import parallel_scaling

    for bad in (["0"], ["40", "0"], ["forty"]):
        with pytest.raises(SystemExit) as exit_info:
            parallel_scaling.main(bad)
        assert exit_info.value.code == 2
        assert "usage:" in capsys.readouterr().err


def test_every_script_answers_help_and_names_a_bad_argument() -> None:
    """Benchmarks and tools take their arguments with argparse: --help prints usage (exit 0),
    a value that is not a number is refused with usage (exit 2), never a traceback."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    scripts = ["benchmarks/corpus.py", "benchmarks/jsonl_throughput.py", "benchmarks/parallel_scaling.py",
               "benchmarks/other_prose.py", "benchmarks/stages.py", "tools/idempotence.py"]
    for script in scripts:
        done = subprocess.run([sys.executable, script, "--help"], cwd=root, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0 and "usage:" in done.stdout, script
    for script in ("benchmarks/corpus.py", "benchmarks/jsonl_throughput.py", "benchmarks/parallel_scaling.py",
                   "tools/idempotence.py"):
        done = subprocess.run([sys.executable, script, "many"], cwd=root, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 2 and "usage:" in done.stderr and "Traceback" not in done.stderr, script


def test_stage_table_on_a_tiny_dataset(tmp_path: Path, capsys) -> None:
    """benchmarks/stages.py times the shipped repairer's own run (its texts checked equal to
    fix()'s) and prints each pass's stages, the one-pass rows and the core's own steps alone."""
    import pytest

    from benchmarks import stages

    if Repairer.from_lexicons().backend != "native":
        pytest.skip("stage timing needs the native core")
    assert stages.main(["--data", str(_dataset(tmp_path)), "--mb", "0.001", "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert "| first pass | scan (document) |" in out and "one pass without fuzzy names" in out
    assert "the core's scan, decisions, edit loop and applying edits alone" in out
    assert stages.main(["--data", str(tmp_path / "absent")]) == 0
    assert "skipped" in capsys.readouterr().out
