"""Fuzzing the CLI's input handling with hypothesis: arbitrary bytes and text never crash it.

A longer run: FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz.py   (about N/200 seconds).
The default run (and CI) uses a short pass.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from repair import Repairer
from repair.cli import EXIT_INPUT, app

runner = CliRunner()
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

SPUN_BITS = ["White Home", "U.Okay.", "Nationwide Guard", "mentioned", "army help", "\r\n", "\ufeff",
             "\x00", "İ", "ß", "\u0301", "\u202e", "😀", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace")]
texts = st.lists(st.one_of(st.sampled_from(SPUN_BITS), st.text(max_size=8)), max_size=30).map(" ".join)


def fixed(repairer: Repairer, text: str) -> str:
    """What the command line makes of ``text``: each of its documents repaired on its own, a
    line that holds a form feed ending one (the README's rule, written afresh here rather than
    taken from repair.files): a generated text may hold "\f" and a line break after it."""
    parts, part = [], ""
    for line in re.findall(r"[^\n]*\n|[^\n]+\Z", text):
        part += line
        if "\f" in line and line.endswith("\n"):
            parts.append(part)
            part = ""
    return "".join(repairer.fix(p) for p in [*parts, part])


@FUZZ
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(tmp_path: Path, repairer: Repairer, data: bytes) -> None:
    p = tmp_path / "in.txt"
    p.write_bytes(data)
    result = runner.invoke(app, ["fix", "--check", str(p)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code in (0, 1, EXIT_INPUT)
    if b"\x00" in data[:8192]:
        assert result.exit_code == EXIT_INPUT and "binary file" in result.stderr
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        assert result.exit_code == EXIT_INPUT and "invalid UTF-8 at byte" in result.stderr
        return
    assert result.exit_code in (0, 1)
    assert (result.exit_code == 1) == (fixed(repairer, text) != text)


@FUZZ
@given(text=texts)
@example(text="mentioned \f \r\n White Home")  # two documents: "mentioned" alone is no spin
def test_text_round_trips_through_write(tmp_path: Path, repairer: Repairer, text: str) -> None:
    if "\x00" in text:
        return
    p = tmp_path / "doc.txt"
    p.write_bytes(text.encode("utf-8"))
    result = runner.invoke(app, ["fix", "-w", str(p)])
    assert result.exit_code == 0, result.output
    assert p.read_bytes() == fixed(repairer, text).encode("utf-8")


@FUZZ
@given(text=texts)
def test_stdin_output_is_the_library_result(spun_repairer: Repairer, text: str) -> None:
    if "\x00" in text:
        return
    result = runner.invoke(app, ["fix", "--assume-spun"], input=text.encode("utf-8"))
    assert result.exit_code == 0
    assert result.stdout_bytes == fixed(spun_repairer, text).encode("utf-8")


def test_latin1_with_encoding_option_round_trips(tmp_path: Path) -> None:
    p = tmp_path / "latin1.txt"
    p.write_bytes("Caf\xe9: the White Home said.\n".encode("latin-1"))
    assert runner.invoke(app, ["fix", "--check", str(p)]).exit_code == EXIT_INPUT
    assert runner.invoke(app, ["fix", "-w", "--encoding", "latin-1", str(p)]).exit_code == 0
    assert p.read_bytes() == "Caf\xe9: the White House said.\n".encode("latin-1")


def test_errors_replace_is_explicit_and_lossy(tmp_path: Path) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(b"White Home \xff\n")
    result = runner.invoke(app, ["fix", "--errors", "replace", str(p)])
    assert result.exit_code == 0 and result.stdout == "White House \ufffd\n"


def test_unknown_encoding_is_a_usage_error(tmp_path: Path) -> None:
    assert runner.invoke(app, ["fix", "--encoding", "klingon", "-"], input="x").exit_code == 2
