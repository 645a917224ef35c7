"""Streaming: long inputs are processed in parts at safe boundaries, in bounded memory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from repair import Config, Repairer
from repair import files as files_mod
from repair.cli import EXIT_INPUT, app
from repair.files import read_documents, safe_cut

runner = CliRunner()
PARA = "The White Home said the Nationwide Guard would help. Officials instructed reporters the safety scenario was calm.\n\n"


@pytest.mark.parametrize(
    ("text", "size", "cut"),
    [
        ("ab\n\ncd\nef gh", 12, 4),  # blank line preferred
        ("ab cd\nef gh", 10, 6),  # else a line break
        ("Ab cd. Ef gh ij", 13, 7),  # else a sentence end
        ("ab cd ef", 7, 6),  # else a space
        ("abcdefgh", 5, 5),  # else hard
    ],
)
def test_safe_cut(text: str, size: int, cut: int) -> None:
    assert safe_cut(text, size) == cut


def test_parts_reassemble_exactly(tmp_path: Path) -> None:
    text = PARA * 300 + "tail without newline"
    p = tmp_path / "big.txt"
    p.write_bytes(text.encode("utf-8"))
    parts = list(read_documents(str(p), threshold=5000, chunk=2000))
    assert len(parts) > 5 and parts[0].first and parts[-1].last
    assert "".join(d.text for d in parts) == text
    for d in parts:
        assert text[d.offset : d.offset + len(d.text)] == d.text
        assert d.line == text.count("\n", 0, d.offset)
        assert d.text.endswith("\n\n") or d.last


def test_small_input_is_one_document(tmp_path: Path) -> None:
    p = tmp_path / "small.txt"
    p.write_text(PARA, encoding="utf-8")
    (doc,) = read_documents(str(p))
    assert doc.first and doc.last and doc.text == PARA


def test_bad_utf8_offset_in_a_later_part(tmp_path: Path) -> None:
    good = (PARA * 50).encode("utf-8")
    p = tmp_path / "bad.bin.txt"
    p.write_bytes(good + b"caf\xe9")
    with pytest.raises(Exception) as info:
        list(read_documents(str(p), threshold=1000, chunk=500))
    assert f"invalid UTF-8 at byte {len(good) + 3}" in str(info.value)


def test_streamed_write_equals_whole_repair(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(files_mod, "STREAM_THRESHOLD", 4000)
    monkeypatch.setattr(files_mod, "CHUNK", 1500)
    text = PARA * 200
    p = tmp_path / "big.txt"
    p.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["fix", "-w", "--assume-spun", str(p)])
    assert result.exit_code == 0, result.output
    expected = Repairer.from_lexicons(config=Config(assume_spun=True)).fix(text)
    assert p.read_text(encoding="utf-8") == expected
    assert [q.name for q in tmp_path.iterdir()] == ["big.txt"]


def test_streamed_jsonl_offsets_are_global(tmp_path: Path, monkeypatch) -> None:
    import json

    monkeypatch.setattr(files_mod, "STREAM_THRESHOLD", 4000)
    monkeypatch.setattr(files_mod, "CHUNK", 1500)
    text = PARA * 100
    p = tmp_path / "big.txt"
    p.write_text(text, encoding="utf-8")
    out = runner.invoke(app, ["fix", "--format", "jsonl", str(p)]).stdout.splitlines()
    records = [json.loads(line) for line in out]
    assert len(records) > 100
    for r in records:
        assert text[r["start"] : r["end"]] == r["before"]
        assert r["line"] == text.count("\n", 0, r["start"]) + 1


def test_bad_part_leaves_file_untouched(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(files_mod, "STREAM_THRESHOLD", 4000)
    monkeypatch.setattr(files_mod, "CHUNK", 1500)
    data = (PARA * 100).encode("utf-8") + b"\xff"
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    result = runner.invoke(app, ["fix", "-w", str(p)])
    assert result.exit_code == EXIT_INPUT and "invalid UTF-8" in result.stderr
    assert p.read_bytes() == data
    assert [q.name for q in tmp_path.iterdir()] == ["bad.txt"]


@pytest.mark.slow
def test_large_stream_in_bounded_memory(tmp_path: Path) -> None:
    """REPAIR_LOAD_MB (default 1024) of text through `repair fix` on stdin: peak memory stays
    under 300 MB and the output equals the per-part result."""
    megabytes = int(os.environ.get("REPAIR_LOAD_MB", "1024"))
    block = (PARA * 40).encode("utf-8")
    n = megabytes * 1_000_000 // len(block)
    src = tmp_path / "big.txt"
    with open(src, "wb") as fh:
        fh.writelines(block for _ in range(n))
    out = tmp_path / "out.txt"
    with open(src, "rb") as fin, open(out, "wb") as fout:
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "repair", "fix", "-"],
            stdin=fin, stdout=fout, stderr=subprocess.PIPE, check=True, text=True,
        )
    peak_kb = int(proc.stderr.strip().splitlines()[-1])
    assert peak_kb < 300_000, f"peak {peak_kb} KB"
    assert out.stat().st_size > src.stat().st_size * 0.9
    expected = Repairer.from_lexicons().fix((PARA * 40) * 10)
    with open(out, encoding="utf-8") as fh:
        assert fh.read(len(expected)) == expected


def test_a_line_longer_than_a_part_is_cut_at_spaces(tmp_path: Path, monkeypatch) -> None:
    """A line with no break longer than a part: cut after a sentence or a space, never inside
    a word; the output still equals the input outside the edits."""
    line = ("The White Home and the Nationwide Guard agreed. " * 400).rstrip()
    p = tmp_path / "oneline.txt"
    p.write_text(line, encoding="utf-8")
    parts = list(read_documents(str(p), threshold=3000, chunk=1000))
    assert len(parts) > 10 and "".join(d.text for d in parts) == line
    assert all(d.text.endswith(" ") for d in parts[:-1])
    monkeypatch.setattr(files_mod, "STREAM_THRESHOLD", 3000)
    monkeypatch.setattr(files_mod, "CHUNK", 1000)
    out = runner.invoke(app, ["fix", "--assume-spun", str(p)]).stdout
    assert out == line.replace("White Home", "White House").replace("Nationwide Guard", "National Guard")


def test_no_separator_at_all_is_cut_hard(tmp_path: Path) -> None:
    p = tmp_path / "blob.txt"
    p.write_text("x" * 5000, encoding="utf-8")
    parts = list(read_documents(str(p), threshold=2000, chunk=1000))
    assert "".join(d.text for d in parts) == "x" * 5000
    assert max(len(d.text) for d in parts) == 1000


@pytest.mark.slow
def test_large_jsonl_stream_in_bounded_memory(tmp_path: Path) -> None:
    """REPAIR_LOAD_MB (default 1024) of JSON Lines through `repair fix --jsonl`: bounded memory,
    every record repaired as the library would."""
    import json

    megabytes = int(os.environ.get("REPAIR_LOAD_MB", "1024"))
    record = json.dumps({"text": PARA * 4}) + "\n"
    n = megabytes * 1_000_000 // len(record)
    src = tmp_path / "big.jsonl"
    with open(src, "w", encoding="utf-8") as fh:
        fh.writelines(record for _ in range(n))
    out = tmp_path / "out.jsonl"
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "repair", "fix", "--jsonl", str(src), "-o", str(out)],
        stderr=subprocess.PIPE, check=True, text=True,
    )
    peak_kb = int(proc.stderr.strip().splitlines()[-1])
    assert peak_kb < 300_000, f"peak {peak_kb} KB"
    expected = Repairer.from_lexicons().fix(PARA * 4)
    with open(out, encoding="utf-8") as fh:
        lines = sum(1 for line in fh if json.loads(line)["text"] == expected)
    assert lines == n


def test_documents_separated_by_form_feeds_are_repaired_one_by_one(tmp_path) -> None:
    """A stream of documents with a form-feed line between them gives what the documents give
    one by one: each is scored on its own, so a clean one beside a spun one stays clean."""
    from repair import Repairer
    from repair.files import read_documents

    spun = ("The White Home mentioned on Tuesday that the Nationwide Guard would assist native "
            "officers, the New York Instances reported, and the U.Okay. agreed.\n")
    clean = "The principle cause of the delay was the weather, the minister said.\n"
    r = Repairer.from_lexicons()
    alone = [r.fix(spun), r.fix(clean)]
    assert alone[1] == clean
    path = tmp_path / "stream.txt"
    path.write_text(spun + "\f\n" + clean, encoding="utf-8")
    parts = list(read_documents(str(path)))
    assert [p.text for p in parts] == [spun + "\f\n", clean]
    assert [(p.first, p.last, p.line) for p in parts] == [(True, False, 0), (False, True, 2)]
    assert "".join(r.fix(p.text) for p in parts) == alone[0] + "\f\n" + alone[1]
    assert r.fix(spun + "\f\n" + clean) != alone[0] + "\f\n" + alone[1]  # read as one, the clean text changes
