"""CLI tests: in-process through typer's runner, and through a real subprocess."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from repair.cli import EXIT_DATA, EXIT_FOUND, EXIT_INPUT, app

runner = CliRunner()
SPUN = "The White Home said the Nationwide Guard would help, the New York Instances reported.\n"
FIXED = "The White House said the National Guard would help, the New York Times reported.\n"
CLEAN = "The army said the Home Secretary and safety regulators met on Tuesday.\r\n"


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


@pytest.fixture
def spun_file(tmp_path: Path) -> Path:
    p = tmp_path / "spun.txt"
    p.write_text(SPUN, encoding="utf-8")
    return p


def test_fix_stdin_to_stdout() -> None:
    result = run("fix", input=SPUN)
    assert result.exit_code == 0 and result.stdout == FIXED


def test_fix_clean_is_byte_identical(tmp_path: Path) -> None:
    p = tmp_path / "clean.txt"
    p.write_bytes(CLEAN.encode())
    result = run("fix", str(p), "--check")
    assert result.exit_code == 0
    assert run("fix", str(p)).stdout_bytes == CLEAN.encode()


def test_check_exits_one_and_writes_nothing(spun_file: Path) -> None:
    result = run("fix", "--check", str(spun_file))
    assert result.exit_code == EXIT_FOUND and "would repair" in result.stderr
    assert spun_file.read_text(encoding="utf-8") == SPUN


def test_diff_shows_each_edit(spun_file: Path) -> None:
    out = run("fix", "--diff", str(spun_file)).stdout
    assert "-The White Home" in out and "+The White House" in out
    assert out.count("# ") >= 3 and "names.tsv:" in out


def test_write_in_place_keeps_permissions(spun_file: Path) -> None:
    os.chmod(spun_file, 0o640)
    result = run("fix", "-w", str(spun_file))
    assert result.exit_code == 0
    assert spun_file.read_text(encoding="utf-8") == FIXED
    assert stat.S_IMODE(spun_file.stat().st_mode) == 0o640
    assert [p.name for p in spun_file.parent.iterdir()] == ["spun.txt"]  # no temp files left


def test_write_refuses_stdin() -> None:
    assert run("fix", "-w", input=SPUN).exit_code == 2


def test_directory_recursion_and_bad_files(tmp_path: Path, spun_file: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "more.txt").write_text(SPUN, encoding="utf-8")
    (sub / "image.txt").write_bytes(b"\x89PNG\x00\x00")
    (sub / "latin1.txt").write_bytes("caf\xe9 White Home".encode("latin-1"))
    result = run("fix", "--check", str(tmp_path), str(tmp_path / "missing.txt"))
    assert result.exit_code == EXIT_INPUT
    assert "image.txt: binary file" in result.stderr  # a note: a binary file met in a walk is no error
    assert "latin1.txt: invalid UTF-8 at byte 3" in result.stderr
    assert "missing.txt: no such file" in result.stderr
    assert result.stderr.count("would repair") == 2  # the good files were still processed


def test_json_and_jsonl_formats(spun_file: Path) -> None:
    doc = json.loads(run("fix", "--format", "json", str(spun_file)).stdout)
    assert doc["version"] == 1
    (record,) = doc["documents"]
    assert record["spun"] and {e["before"] for e in record["edits"]} >= {"White Home", "Nationwide Guard"}
    lines = run("fix", "--format", "jsonl", str(spun_file)).stdout.splitlines()
    first = json.loads(lines[0])
    assert first["line"] == 1 and first["column"] == 5 and first["applied"] is True


def test_scan_text_and_json(spun_file: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    out = run("scan", str(spun_file), str(clean)).stdout.splitlines()
    assert out[0].split("\t")[2] == "spun" and out[1].split("\t")[2] == "clean"
    records = [json.loads(line) for line in run("scan", "--format", "json", str(spun_file), str(clean)).stdout.splitlines()]
    assert [r["spun"] for r in records] == [True, False]
    assert set(records[0]) >= {"path", "spin_score", "spun", "evidence"}
    assert 0 <= records[1]["spin_score"] < records[0]["spin_score"] <= 1


def test_bad_user_lexicon_exits_with_data_error(tmp_path: Path, spun_file: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("pure gasoline\tnatural gas\tmaybe\t0.9\tuser:me\n", encoding="utf-8")
    result = run("fix", "--lexicon", str(bad), str(spun_file))
    assert result.exit_code == EXIT_DATA
    assert f"{bad}:1: unknown tier 'maybe'" in result.stderr
    assert "Traceback" not in result.output


def test_user_lexicon_adds_entries(tmp_path: Path) -> None:
    mine = tmp_path / "mine.tsv"
    mine.write_text("blue moon pie\tmoon pie\tcertain\t0.9\tuser:me\n", encoding="utf-8")
    assert run("fix", "-l", str(mine), input="a blue moon pie").stdout == "a moon pie"


def test_lexicon_lookup_explains(tmp_path: Path) -> None:
    out = run("lexicon", "lookup", "White Home", "--text", SPUN).stdout
    assert "'White Home' -> 'White House': certain" in out and "text:1:5:" in out
    assert run("lexicon", "lookup", "blue sky").exit_code == EXIT_FOUND


def test_lexicon_validate_and_fmt(tmp_path: Path) -> None:
    assert run("lexicon", "validate").exit_code == 0
    assert run("lexicon", "fmt", "--check").exit_code == 0
    messy = tmp_path / "messy.tsv"
    messy.write_text("zeta\tz\tcertain\t0.9\tuser:x\nalpha\ta\tcertain\t1\tuser:x\n", encoding="utf-8")
    assert run("lexicon", "fmt", "--check", str(messy)).exit_code == EXIT_FOUND
    assert run("lexicon", "fmt", str(messy)).exit_code == 0
    assert messy.read_text(encoding="utf-8").splitlines()[0] == "alpha\ta\tcertain\t1.00\tuser:x"
    assert run("lexicon", "validate", str(messy)).exit_code == 0
    # the name tables beside the entry lexicons are skipped by name, not reported as malformed
    from repair.lexicon import bundled_dir

    every = sorted(str(p) for p in bundled_dir().glob("*.tsv"))
    result = run("lexicon", "fmt", "--check", *every)
    assert result.exit_code == 0 and "skipped" in result.stderr and "gazetteer" in result.stderr


def test_lexicon_list_and_files() -> None:
    assert "names.tsv" in run("lexicon", "files").stdout
    rows = run("lexicon", "list", "--tier", "certain", "--category", "abbreviation").stdout.splitlines()
    assert rows and all("\tcertain\t" in r for r in rows)


@pytest.mark.parametrize("command", ["fix", "scan", "lexicon list", "lexicon lookup", "lexicon validate",
                                     "lexicon fmt", "lexicon files"])
def test_every_command_has_help(command: str) -> None:
    result = run(*command.split(), "--help")
    assert result.exit_code == 0 and len(result.stdout) > 100


def test_real_subprocess_entry_point(spun_file: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "repair", "fix", "--check", str(spun_file)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode == EXIT_FOUND and "would repair" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "repair", "fix", "-"], input=SPUN,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stdout == FIXED
    proc = subprocess.run([sys.executable, "-m", "repair", "--version"], capture_output=True, text=True, check=False)
    assert proc.stdout.startswith("repair ")


def test_jobs_keep_order_and_output(tmp_path: Path) -> None:
    files = []
    for i in range(12):
        p = tmp_path / f"doc{i:02d}.txt"
        p.write_text(SPUN if i % 2 else CLEAN, encoding="utf-8")
        files.append(str(p))
    one = run("fix", "--format", "json", *files)
    two = run("fix", "--format", "json", "--jobs", "2", *files)
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    scans = run("scan", "-j", "2", *files).stdout.splitlines()
    assert [line.split("\t")[0] for line in scans] == files
    # plain text to stdout: the workers send back the repaired text alone
    plain_one, plain_two = run("fix", *files), run("fix", "-j", "2", *files)
    assert plain_one.exit_code == plain_two.exit_code == 0
    assert plain_one.stdout == plain_two.stdout and "White House" in plain_two.stdout
    # -j 0: one worker per CPU
    assert run("fix", "-j", "0", *files).stdout == plain_one.stdout
    assert run("fix", "-j", "-1", *files).exit_code == 2


def test_jobs_zero_means_one_per_cpu(monkeypatch) -> None:
    import os

    from repair.cli_options import _jobs

    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)
    assert (_jobs(0), _jobs(1), _jobs(5)) == (3, 1, 5)


def test_word_diff_plain_and_coloured(spun_file: Path, monkeypatch) -> None:
    plain = run("fix", "--word-diff", str(spun_file)).stdout
    assert "[-White Home-]{+White House+}" in plain and "\x1b[" not in plain
    coloured = run("fix", "--word-diff", "--color", "always", str(spun_file)).stdout
    assert "\x1b[31mWhite Home\x1b[0m\x1b[32mWhite House\x1b[0m" in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run("fix", "--word-diff", "--color", "auto", str(spun_file)).stdout


def test_github_and_sarif_formats(spun_file: Path) -> None:
    out = run("fix", "--check", "--format", "github", str(spun_file))
    assert out.exit_code == EXIT_FOUND
    assert out.stdout.startswith(f"::warning file={spun_file},line=1,col=5,endLine=1,endColumn=15,title=repair::")
    log = json.loads(run("fix", "--format", "sarif", str(spun_file)).stdout)
    assert log["version"] == "2.1.0"
    results = log["runs"][0]["results"]
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1, "startColumn": 5, "endLine": 1, "endColumn": 15}
    assert results[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "White House"


def test_fix_honours_the_ignore_file(tmp_path: Path, spun_file: Path) -> None:
    ignore = tmp_path / ".repair-ignore"
    ignore.write_text("# mine\nWhite Home -> White House\n", encoding="utf-8")
    out = run("fix", "--ignore-file", str(ignore), str(spun_file)).stdout
    assert "White Home" in out and "National Guard" in out


def test_progress_only_on_a_terminal() -> None:
    import io

    from repair.progress import Progress

    quiet = io.StringIO()
    p = Progress(stream=quiet)  # a StringIO is not a terminal
    p.update(2_000_000)
    p.close()
    assert quiet.getvalue() == ""
    shown = io.StringIO()
    p = Progress(enabled=True, stream=shown)
    p.update(2_000_000)
    p.close()
    # drawn, then erased: no progress line stays behind on the terminal
    assert "1 documents  2.0 MB" in shown.getvalue() and shown.getvalue().endswith("\r\x1b[K")


def test_quiet_silences_notes_not_errors(tmp_path: Path, spun_file: Path) -> None:
    result = run("fix", "--check", "-q", str(spun_file), str(tmp_path / "missing.txt"))
    assert result.exit_code == EXIT_INPUT
    assert "would repair" not in result.stderr and "missing.txt" in result.stderr


def test_jobs_write_and_check_through_workers(tmp_path: Path) -> None:
    files = []
    for i in range(10):
        p = tmp_path / f"d{i}.txt"
        p.write_text(SPUN if i % 3 else CLEAN, encoding="utf-8")
        files.append(p)
    (tmp_path / "bad.txt").write_bytes(b"ok \xff broken")  # not a byte order mark: invalid UTF-8
    check = run("fix", "--check", "-j", "2", str(tmp_path))
    assert check.exit_code == EXIT_INPUT  # the undecodable file is reported...
    assert check.stderr.count("would repair") == 6 and "bad.txt: invalid UTF-8" in check.stderr
    result = run("fix", "-w", "-j", "2", *map(str, files))  # ...and the good ones still processed
    assert result.exit_code == 0 and result.stderr.count("repaired") == 6
    assert all(p.read_bytes() == (FIXED if i % 3 else CLEAN).encode() for i, p in enumerate(files))
    assert run("fix", "--check", "-j", "2", *map(str, files)).exit_code == 0


def test_file_batches_close_by_size_and_keep_order(tmp_path: Path, monkeypatch) -> None:
    """Batches for --check/-w workers close at BATCH_BYTES as well as at a file count, so a
    few large files are shared between the workers; outcomes still come back in input order."""
    from repair import Repairer, batch

    monkeypatch.setattr(batch, "BATCH_BYTES", 50)
    names = []
    for i in range(6):
        f = tmp_path / f"f{i}.txt"
        f.write_text(("The White Home mentioned it. " if i % 2 else "Plain text here. ") * 5, encoding="utf-8")
        names.append(str(f))
    outcomes = list(batch.fix_files(Repairer.from_lexicons(), names, jobs=2, write=False))
    assert [o.name for o in outcomes] == names
    assert [o.changed for o in outcomes] == [False, True] * 3


_LONG_PLAIN = (
    "Officials met with union leaders for three hours. The two sides disagreed about pay, "
    "pensions and the length of the working week, and neither wanted to be seen giving ground "
    "before the holidays. Several delegates left the room to call their members. One of them "
    "described the mood as tense but polite. Reporters waited outside in the cold until dusk, "
    "when a spokesman came out and read a short note. It gave no dates. It named no figures. It"
    " thanked everyone for their patience and asked the public for calm while the process "
    "continued. Shops in the town stayed open late, trains ran on time and schools kept their "
    "normal hours. Local radio carried the news every hour. A farmer who drove in to sell eggs "
    "said he had heard it all before and would believe a deal when he saw one. His neighbour "
    "agreed and bought a coffee."
)
"""150 plain words (no lexicon hits): one certain spin in a text this long does not make it spun."""


@pytest.mark.parametrize(
    ("phrase", "text", "expected"),
    [
        ("mentioned", "The White Home mentioned the plan. " + _LONG_PLAIN,
         "tier likely applies only in a spun document; spin score 0.45 < threshold 0.50"),
        ("mentioned", "The White Home mentioned it. The Nationwide Guard stated nothing. Fb Dwell viewers.",
         "after!= failed: the next word is 'it'"),
        ("Home", "The Home Secretary spoke.", "an overlapping match takes precedence: 'Home Secretary'"),
        ("stated", "Nothing here.", "'stated' does not occur in the text as a whole word"),
    ],
)
def test_lexicon_lookup_says_why_not(phrase: str, text: str, expected: str) -> None:
    out = run("lexicon", "lookup", phrase, "--text", text).stdout
    assert expected in out


def test_lexicon_lookup_names_the_plausibility_test() -> None:
    out = run("lexicon", "lookup", "foundation", "--assume-spun", "--text", "The charity foundation said so.").stdout
    assert "bigram plausibility: no candidate fits its neighbours 3x better than 'foundation'" in out
