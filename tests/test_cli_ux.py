"""The command line as a new user meets it (issue 17): flag combinations and their exit codes,
configuration files, file selection, output formats. Through a real subprocess unless noted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SPUN = "The White Home said the Nationwide Guard would help, the New York Instances reported.\n"
FIXED = "The White House said the National Guard would help, the New York Times reported.\n"
CLEAN = "The army said the Home Secretary and safety regulators met on Tuesday.\n"
ROOT = Path(__file__).resolve().parent.parent


def repair(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "repair", *args], cwd=cwd, input=stdin, capture_output=True,
                          text=True, env=env, timeout=120)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of mixed files: prose, a JSON metadata file, a JSON Lines file, a binary .txt,
    a node_modules/ and a build/ folder, all holding spun text."""
    (tmp_path / "spun.txt").write_text(SPUN, encoding="utf-8")
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "meta.json").write_text(json.dumps({"title": SPUN}), encoding="utf-8")
    (tmp_path / "records.jsonl").write_text(json.dumps({"text": SPUN}) + "\n", encoding="utf-8")
    (tmp_path / "picture.txt").write_bytes(b"\x89PNG\x00\x00 White Home")
    for sub in ("node_modules", "build"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "copy.txt").write_text(SPUN, encoding="utf-8")
    return tmp_path


# flag combinations -> exit code (0 nothing to fix or fixed, 1 found under --check, 2 usage,
# 3 configuration, 4 input); "{spun}" and "{clean}" are files of the fixture folder
EXIT_CODES = [
    (["fix", "{clean}"], 0),
    (["fix", "{spun}"], 0),
    (["fix", "--check", "{clean}"], 0),
    (["fix", "--check", "{spun}"], 1),
    (["fix", "--check", "."], 1),  # a binary .txt in the walk is a note, not exit 4
    (["fix", "--check", "--diff", "{spun}"], 1),
    (["fix", "--check", "--format", "sarif", "{spun}"], 1),
    (["fix", "--check", "-w", "{spun}"], 2),
    (["fix", "--diff", "--word-diff", "{spun}"], 2),
    (["fix", "--format", "jsonl", "--diff", "{spun}"], 2),
    (["fix", "-w", "--diff", "{spun}"], 2),
    (["fix", "-w", "--format", "json", "{spun}"], 2),
    (["fix", "--jsonl", "-w", "records.jsonl"], 2),
    (["fix", "--jsonl", "--format", "sarif", "records.jsonl"], 2),
    (["fix", "-o", "out.jsonl", "{spun}"], 2),
    (["fix", "--field", "body", "{spun}"], 2),
    (["fix", "--add-edits", "e", "{spun}"], 2),
    (["fix", "records.jsonl"], 2),  # JSON Lines named without --jsonl
    (["fix", "--jsonl", "--check", "records.jsonl"], 1),
    (["fix", "--jsonl", "--on-error", "ignore", "records.jsonl"], 2),
    (["fix", "--min-tier", "sometimes", "{spun}"], 2),
    (["fix", "-w", "-"], 2),
    (["fix", "missing.txt"], 4),
    (["fix", "--check", "missing.txt", "{spun}"], 4),
    (["fix", "--check", "picture.txt"], 4),  # a binary file named by the user is an error
    (["fix", "--lexicon", "bad.tsv", "{spun}"], 3),
    (["fix", "--no-bundled", "{spun}"], 0),  # an empty lexicon is no crash
    (["scan", "{clean}"], 0),
    (["scan", "--check", "{clean}"], 0),
    (["scan", "--check", "{spun}"], 1),
    (["scan", "--check", "--jsonl", "records.jsonl"], 2),
    (["config"], 0),
    (["-V"], 0),
    (["fix", "-h"], 0),
]


@pytest.mark.parametrize(("args", "code"), EXIT_CODES, ids=lambda v: " ".join(v) if isinstance(v, list) else str(v))
def test_exit_codes(folder: Path, args: list[str], code: int) -> None:
    (folder / "bad.tsv").write_text("only one column\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    args = [a.format(spun="spun.txt", clean="clean.md") for a in args]
    proc = repair(*args, cwd=folder)
    assert proc.returncode == code, (args, proc.stderr)
    assert "Traceback" not in proc.stderr
    if code == 2:  # a usage error changes nothing
        assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_check_with_write_is_refused_and_writes_nothing(folder: Path) -> None:
    proc = repair("fix", "--check", "-w", "spun.txt", cwd=folder)
    assert proc.returncode == 2 and "--check and --write cannot be used together" in proc.stderr
    assert (folder / "spun.txt").read_text(encoding="utf-8") == SPUN


def test_write_on_a_folder_touches_only_prose_files(folder: Path) -> None:
    proc = repair("fix", "-w", ".", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    assert (folder / "spun.txt").read_text(encoding="utf-8") == FIXED
    assert json.loads((folder / "meta.json").read_text(encoding="utf-8")) == {"title": SPUN}
    assert (folder / "records.jsonl").read_text(encoding="utf-8") == json.dumps({"text": SPUN}) + "\n"
    for sub in ("node_modules", "build"):
        assert (folder / sub / "copy.txt").read_text(encoding="utf-8") == SPUN
    assert "picture.txt: binary file, skipped" in proc.stderr
    assert "repair: 3 files, 1 changed, 3 edits" in proc.stderr  # the summary line


def test_include_exclude_and_gitignore(folder: Path) -> None:
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    (folder / ".gitignore").write_text("spun.txt\n", encoding="utf-8")
    proc = repair("fix", "--check", "-q", ".", cwd=folder)
    assert proc.returncode == 0  # spun.txt is ignored by git
    proc = repair("fix", "--check", "--no-gitignore", "--exclude", "clean.md", "--include", "*.json", ".", cwd=folder)
    assert proc.returncode == 1 and "would repair ./meta.json" in proc.stderr and "spun.txt" not in proc.stderr
    # a file named on the command line is taken, unless --force-exclude
    assert repair("fix", "--check", "spun.txt", cwd=folder).returncode == 1
    assert repair("fix", "--check", "--exclude", "spun.txt", "--force-exclude", "spun.txt", cwd=folder).returncode == 0


def test_configuration_file_is_found_upward_and_flags_override(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "docs" / "deep").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.repair]\nmin-tier = "certain"\n'
                                            'exclude = ["drafts/"]\nlexicons = ["mine.tsv"]\n', encoding="utf-8")
    (project / "mine.tsv").write_text("blue moon\tgreen sun\tcertain\t0.9\tuser:test\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "outer"\n', encoding="utf-8")
    deep = project / "docs" / "deep"
    shown = json.loads(repair("config", "--json", cwd=deep).stdout)
    assert shown["config_file"].endswith("project/pyproject.toml")
    assert shown["settings"]["min-tier"] == {"value": "certain", "source": shown["config_file"]}
    assert shown["settings"]["threshold"]["source"] == "default"
    assert shown["settings"]["lexicons"]["value"] == [os.path.relpath(project / "mine.tsv", deep)]
    # the user lexicon of the config applies from a subfolder; the flag overrides min-tier
    assert repair("fix", cwd=deep, stdin="a blue moon rose\n").stdout == "a green sun rose\n"
    text = "The principle cause was rain.\n"  # a likely entry
    assert "main cause" not in repair("fix", "--assume-spun", cwd=deep, stdin=text).stdout
    assert "main cause" in repair("fix", "--assume-spun", "--min-tier", "likely", cwd=deep, stdin=text).stdout
    assert repair("fix", "--isolated", cwd=deep, stdin="a blue moon\n").stdout == "a blue moon\n"


def test_a_dot_repair_toml_and_its_errors(tmp_path: Path) -> None:
    (tmp_path / ".repair.toml").write_text("threshold = 0.9\n", encoding="utf-8")
    proc = repair("config", cwd=tmp_path)
    assert "threshold = 0.9  # " in proc.stdout and ".repair.toml" in proc.stdout
    (tmp_path / ".repair.toml").write_text("treshold = 0.9\n", encoding="utf-8")
    proc = repair("fix", cwd=tmp_path, stdin=SPUN)
    assert proc.returncode == 3 and "unknown key 'treshold'" in proc.stderr
    (tmp_path / ".repair.toml").write_text("threshold = 'high'\n", encoding="utf-8")
    assert repair("fix", cwd=tmp_path, stdin=SPUN).returncode == 3
    (tmp_path / ".repair.toml").write_text("threshold = [\n", encoding="utf-8")
    proc = repair("config", cwd=tmp_path)
    assert proc.returncode == 3 and "not valid TOML" in proc.stderr


def test_ignore_file_is_found_upward(tmp_path: Path) -> None:
    (tmp_path / ".repair-ignore").write_text("White Home -> White House\n", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    assert "White Home" in repair("fix", cwd=sub, stdin=SPUN).stdout


def test_sarif_rules_and_stable_rule_ids(folder: Path) -> None:
    log = json.loads(repair("fix", "--format", "sarif", "spun.txt", cwd=folder).stdout)
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert all(r["name"] and r["shortDescription"]["text"] and r["help"]["text"] for r in rules.values())
    for result in run["results"]:
        assert result["ruleId"] in rules and result["ruleId"].startswith("spun-")
        assert ".tsv:" not in result["ruleId"] and ".tsv:" in result["properties"]["entry"]


def test_github_annotations_have_end_columns_and_suggestions(folder: Path) -> None:
    (folder / "s.txt").write_text("The principle cause was rain. The White Home said so.\n", encoding="utf-8")
    lines = repair("fix", "--format", "github", "--assume-spun", "--min-tier", "certain", "s.txt", cwd=folder).stdout.splitlines()
    assert any(line.startswith("::warning ") and "endColumn=" in line for line in lines)
    assert any(line.startswith("::notice ") and "suggestion:" in line for line in lines)


def test_stdin_filename_colour_and_help(folder: Path) -> None:
    proc = repair("fix", "--diff", "--stdin-filename", "article.txt", cwd=folder, stdin=SPUN)
    assert "--- a/article.txt" in proc.stdout
    proc = repair("fix", "--diff", "--color", "always", "spun.txt", cwd=folder)
    assert "\x1b[31m-The White Home" in proc.stdout and "\x1b[32m+The White House" in proc.stdout
    assert "Usage" in repair("-h", cwd=folder).stdout
    assert repair("--version", cwd=folder).stdout.startswith("repair ")
    assert "--install-completion" in repair("--help", cwd=folder).stdout
    assert "add the score" in repair("scan", "--help", cwd=folder).stdout


def test_one_edit_layout_for_jsonl_reports_and_added_edits(folder: Path) -> None:
    reported = json.loads(repair("fix", "--format", "jsonl", "spun.txt", cwd=folder).stdout.splitlines()[0])
    record = json.loads(repair("fix", "--jsonl", "--add-edits", "edits", "records.jsonl", cwd=folder).stdout)
    added = record["edits"][0]
    assert set(reported) - set(added) == {"version", "path"} and set(added) <= set(reported)
    assert {k: reported[k] for k in added} == added


def test_pre_commit_hooks_are_declared() -> None:
    import yaml  # pre-commit's own format; PyYAML comes with the test tools

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert hooks["repair-check"]["entry"].startswith("repair fix --check")
    assert hooks["repair-fix"]["entry"].startswith("repair fix -w")
    assert all(h["language"] == "python" and "--force-exclude" in h["entry"] for h in hooks.values())


def test_json_outputs_follow_the_published_schema(folder: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "docs" / "edit-record.schema.json").read_text(encoding="utf-8"))
    (folder / "ex.txt").write_text("The principle cause was rain. The White Home said so.\n", encoding="utf-8")
    flags = ["--assume-spun", "--min-tier", "certain"]
    records = [json.loads(line) for line in repair("fix", "--format", "jsonl", *flags, "ex.txt", cwd=folder).stdout.splitlines()]
    doc = json.loads(repair("fix", "--format", "json", *flags, "ex.txt", cwd=folder).stdout)["documents"][0]
    added = json.loads(repair("fix", "--jsonl", "--add-edits", "e", "records.jsonl", cwd=folder).stdout)["e"]
    items = records + doc["edits"] + doc["suggestions"] + added
    assert {r["applied"] for r in records} == {True, False} and added
    for item in items:
        jsonschema.validate(item, schema)


@pytest.mark.slow
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    """pre-commit installs this repository into its own environment and runs the check hook
    on a scratch git repository (about 30 s: a pip install from the package index)."""
    import shutil

    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pip install pre-commit")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "a.txt").write_text(SPUN, encoding="utf-8")
    (scratch / "b.md").write_text(CLEAN, encoding="utf-8")
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=scratch, check=True)
    subprocess.run([*git, "add", "."], cwd=scratch, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=scratch, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run([pre_commit, "try-repo", str(ROOT), "repair-check", "--all-files"], cwd=scratch,
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 1 and "would repair a.txt (3 edits)" in proc.stdout, proc.stdout + proc.stderr
    proc = subprocess.run([pre_commit, "try-repo", str(ROOT), "repair-fix", "--all-files"], cwd=scratch,
                          capture_output=True, text=True, env=env, timeout=600)
    assert (scratch / "a.txt").read_text(encoding="utf-8") == FIXED
    assert (scratch / "b.md").read_text(encoding="utf-8") == CLEAN
