"""Interactive review through a real terminal (pexpect): accept, reject, undo, quit, Ctrl-C."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from repair.review import ACCEPT, REJECT, Review

pexpect = pytest.importorskip("pexpect", reason="pip install pexpect (in the test extra)")

SPUN = "The White Home said the Nationwide Guard would help.\nThe White Home agreed.\n"
PROMPT = r"Accept\? "


ROOT = str(Path(__file__).resolve().parent.parent)


def spawn(tmp_path: Path, *args: str):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")]))}
    return pexpect.spawn(sys.executable, ["-m", "repair", "review", "--color", "never", *args],
                         cwd=str(tmp_path), env=env, encoding="utf-8", timeout=20)


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    p = tmp_path / "doc.txt"
    p.write_text(SPUN, encoding="utf-8")
    return p


def test_accept_reject_undo_and_write(tmp_path: Path, doc: Path) -> None:
    child = spawn(tmp_path, str(doc))
    child.expect(r"\[1/3\].*\[-White Home-\]\{\+White House\+\}")
    child.expect(PROMPT)
    child.send("n")  # reject the first White Home
    child.expect(r"\[2/3\]")
    child.expect(PROMPT)
    child.send("u")  # undo: back to the first
    child.expect(r"\[1/3\]")
    child.expect(PROMPT)
    child.send("y")
    child.expect(r"\[2/3\].*Nationwide Guard")
    child.expect(PROMPT)
    child.send("y")
    child.expect(r"\[3/3\]")
    child.expect(PROMPT)
    child.send("n")
    child.expect("2 accepted, 1 rejected")
    child.expect(pexpect.EOF)
    assert doc.read_text(encoding="utf-8") == (
        "The White House said the National Guard would help.\nThe White Home agreed.\n"
    )
    assert "White Home -> White House @ " in (tmp_path / ".repair-ignore").read_text(encoding="utf-8")


def test_quit_leaves_the_file_untouched(tmp_path: Path, doc: Path) -> None:
    child = spawn(tmp_path, str(doc))
    child.expect(PROMPT)
    child.send("y")
    child.expect(PROMPT)
    child.send("q")
    child.expect("left unchanged")
    child.expect(pexpect.EOF)
    assert doc.read_text(encoding="utf-8") == SPUN
    assert not (tmp_path / ".repair-ignore").exists()


def test_ctrl_c_leaves_the_file_untouched(tmp_path: Path, doc: Path) -> None:
    child = spawn(tmp_path, str(doc))
    child.expect(PROMPT)
    child.send("a")
    child.expect(PROMPT)
    child.sendcontrol("c")
    child.expect("interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert doc.read_text(encoding="utf-8") == SPUN


def test_reject_all_is_remembered(tmp_path: Path, doc: Path) -> None:
    child = spawn(tmp_path, str(doc))
    child.expect(PROMPT)
    child.send("r")  # reject every White Home -> White House
    child.expect(r"Nationwide Guard")
    child.expect(PROMPT)
    child.send("y")
    child.expect(pexpect.EOF)
    assert "White Home -> White House\n" in (tmp_path / ".repair-ignore").read_text(encoding="utf-8")
    child = spawn(tmp_path, str(doc))
    child.expect("nothing to review")
    child.expect(pexpect.EOF)


def test_review_needs_a_terminal(tmp_path: Path, doc: Path) -> None:
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "repair", "review", str(doc)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "needs a terminal" in proc.stderr


def test_review_state_undo_and_accept_all() -> None:
    from repair import Repairer

    result = Repairer.from_lexicons().repair(SPUN)
    session = Review(SPUN, list(result.edits))
    session.decide(0, ACCEPT, whole_entry=True)
    assert session.current() == 1 and len(session.accepted()) == 2
    session.undo()
    assert session.current() == 0
    session.decide(0, REJECT)
    assert next(iter(session.rejected_rules.values())).startswith("White Home -> White House @ ")


def test_quit_keeps_the_rejections_already_made(tmp_path: Path, doc: Path) -> None:
    child = spawn(tmp_path, str(doc))
    child.expect(PROMPT)
    child.send("n")  # reject the first "White Home"
    child.expect(PROMPT)
    child.send("q")
    child.expect("left unchanged; 1 rejection remembered")
    child.expect(pexpect.EOF)
    assert doc.read_text(encoding="utf-8") == SPUN
    assert "White Home -> White House @ " in (tmp_path / ".repair-ignore").read_text(encoding="utf-8")


def test_the_line_shown_reads_with_the_edits_already_accepted() -> None:
    from repair import Repairer
    from repair.review import run
    from repair.render import line_col

    text = "The White Home said the Nationwide Guard would help.\n"
    result = Repairer.from_lexicons().repair(text)
    session = Review(text, list(result.edits))
    shown: list[str] = []
    keys = iter("yy")
    outcome = run("doc.txt", session, len(result.edits), lambda: next(keys), shown.append, line_col=line_col)
    lines = [s.strip() for s in shown if s.startswith("  ") and not s.startswith("  why")]
    assert lines[0].startswith("The [-White Home-]{+White House+} said")
    assert lines[1].startswith("The White House said the [-Nationwide Guard-]{+National Guard+}")
    assert len(outcome.accepted) == 2 and not outcome.quit
