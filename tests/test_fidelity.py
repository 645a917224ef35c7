"""Round 2 of the reliability work: encodings, separators, lost updates, ownership, odd files.

Each test pins one reproducer from an adversarial run; the README's reliability table names
them. Conventions followed: ``sed -i`` and ruff (a rewrite keeps owner and mode, refuses what it
cannot keep), ripgrep (a UTF-16 byte order mark chooses UTF-16), GNU tools (exit status, one
message per bad input, the other inputs still processed).
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from repair import Repairer
from repair import files as files_mod
from repair.casing import keep_separators
from repair.cli import EXIT_INPUT, app
from repair.errors import InputError
from repair.files import AtomicWriter, atomic_write, read_documents

runner = CliRunner()
SPUN = "The White Home and the Nationwide Guard met in Japanese Europe.\n"
FIXED = "The White House and the National Guard met in Eastern Europe.\n"


def _cli(*args: str, input: bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "repair", *args], input=input,
                          capture_output=True, timeout=timeout)


# -- encodings: what was read is what is written -------------------------------------------


def test_utf8_sig_adds_no_bom_and_keeps_an_existing_one(tmp_path: Path) -> None:
    plain, marked = tmp_path / "plain.txt", tmp_path / "marked.txt"
    plain.write_bytes(SPUN.encode())
    marked.write_bytes(b"\xef\xbb\xbf" + SPUN.encode())
    assert runner.invoke(app, ["fix", "-q", "--encoding", "utf-8-sig", "-w", str(plain), str(marked)]).exit_code == 0
    assert plain.read_bytes() == FIXED.encode()
    assert marked.read_bytes() == b"\xef\xbb\xbf" + FIXED.encode()


def test_utf8_sig_streamed_parts_write_one_bom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files_mod, "STREAM_THRESHOLD", 200)
    monkeypatch.setattr(files_mod, "CHUNK", 100)
    path = tmp_path / "long.txt"
    path.write_bytes(b"\xef\xbb\xbf" + (SPUN + "\n") .encode() * 20)
    assert runner.invoke(app, ["fix", "-q", "--encoding", "utf-8-sig", "-w", str(path)]).exit_code == 0
    data = path.read_bytes()
    assert data.count(b"\xef\xbb\xbf") == 1 and data == b"\xef\xbb\xbf" + (FIXED + "\n").encode() * 20


@pytest.mark.parametrize("codec,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                       ("utf-32-le", b"\xff\xfe\x00\x00")])
def test_utf16_and_utf32_files_with_a_bom_are_repaired_in_their_encoding(tmp_path: Path, codec: str, bom: bytes) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(bom + SPUN.encode(codec))
    result = runner.invoke(app, ["fix", "-w", str(path)])
    assert result.exit_code == 0, result.stderr
    assert path.read_bytes() == bom + FIXED.encode(codec)


def test_latin1_stdout_stays_latin1() -> None:
    data = "Caf\u00e9 news: ".encode("latin-1") + SPUN.encode("latin-1")
    out = _cli("fix", "--encoding", "latin-1", "-", input=data)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "Caf\u00e9 news: ".encode("latin-1") + FIXED.encode("latin-1")


def test_unencodable_replacement_is_held_back_not_a_traceback(tmp_path: Path) -> None:
    lexicon = tmp_path / "mine.tsv"
    lexicon.write_text("Cafe Home\tCaf\u00e9 House\tcertain\t0.99\tuser\n", encoding="utf-8")
    doc = tmp_path / "doc.txt"
    doc.write_bytes(b"We met at the Cafe Home. " + SPUN.encode())
    out = _cli("fix", "--encoding", "ascii", "-l", str(lexicon), "-w", str(doc))
    assert out.returncode == 0 and b"Traceback" not in out.stderr, out.stderr
    assert doc.read_bytes() == b"We met at the Cafe Home. " + FIXED.encode()
    shown = _cli("fix", "--encoding", "ascii", "-l", str(lexicon), "--diff", str(doc))
    assert b"not applied: ascii cannot write the replacement" in shown.stdout


# -- separators inside an edit's span -------------------------------------------------------


@pytest.mark.parametrize("source,replacement,expected", [
    ("Japanese\r\nEurope", "Eastern Europe", "Eastern\r\nEurope"),
    ("White\u00a0Home", "White House", "White\u00a0House"),
    ("a b\nc", "x y", "x\ny"),
    ("imaginative and\nprescient", "vision", "imaginative and\nprescient"),  # cannot keep: no edit
    ("U.Okay.", "U.K.", "U.K."),
])
def test_keep_separators(source: str, replacement: str, expected: str) -> None:
    assert keep_separators(source, replacement) == expected


def test_no_edit_swallows_a_line_break(spun_repairer: Repairer) -> None:
    text = "They rose in Japanese\r\nEurope with the imaginative and\nprescient plan.\r\n"
    out = spun_repairer.fix(text)
    assert out.count("\n") == text.count("\n") and out.count("\r\n") == text.count("\r\n")
    assert "Eastern\r\nEurope" in out


# -- rewrites: no lost update, owner and mode kept, any name, no temporary left -----------------


def test_a_change_made_during_the_repair_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(SPUN, encoding="utf-8")
    (doc,) = read_documents(str(path))
    path.write_text(SPUN + "An editor's new line.\n", encoding="utf-8")  # someone saves meanwhile
    with pytest.raises(InputError, match="changed while being repaired"):
        atomic_write(path, FIXED, doc.encoding, doc.stamp)
    assert path.read_text(encoding="utf-8").endswith("An editor's new line.\n")
    assert [p.name for p in tmp_path.iterdir()] == ["doc.txt"]


def test_write_through_the_cli_reports_a_concurrent_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(SPUN, encoding="utf-8")
    real = Repairer.repair

    def repair_while_someone_edits(self: Repairer, text: str):
        path.write_text("Rewritten by hand meanwhile.\n", encoding="utf-8")
        return real(self, text)

    monkeypatch.setattr(Repairer, "repair", repair_while_someone_edits)
    result = runner.invoke(app, ["fix", "-w", str(path)])
    assert result.exit_code == EXIT_INPUT and "changed while being repaired" in result.stderr
    assert path.read_text(encoding="utf-8") == "Rewritten by hand meanwhile.\n"


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner needs root")
def test_owner_group_and_setuid_mode_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "tool.txt"
    path.write_text(SPUN, encoding="utf-8")
    os.chown(path, 65534, 65534)
    os.chmod(path, 0o4751)
    assert runner.invoke(app, ["fix", "-w", str(path)]).exit_code == 0
    st = path.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (65534, 65534, 0o4751)
    assert path.read_text(encoding="utf-8") == FIXED


def test_owner_that_cannot_be_kept_refuses_the_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "theirs.txt"
    path.write_text(SPUN, encoding="utf-8")

    def no_chown(*args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", no_chown)
    writer = AtomicWriter(path)
    writer.st = os.stat_result((writer.st.st_mode, writer.st.st_ino, writer.st.st_dev, 1, 4242, 4242,
                                writer.st.st_size, 0, 0, 0))
    writer.write(FIXED)
    with pytest.raises(InputError, match="could not keep its owner"):
        writer.commit()
    assert path.read_text(encoding="utf-8") == SPUN and len(list(tmp_path.iterdir())) == 1


def test_a_long_file_name_can_be_rewritten(tmp_path: Path) -> None:
    path = tmp_path / ("n" * 250 + ".txt")
    path.write_text(SPUN, encoding="utf-8")
    result = runner.invoke(app, ["fix", "-w", str(path)])
    assert result.exit_code == 0, result.stderr
    assert path.read_text(encoding="utf-8") == FIXED


def test_temporaries_of_killed_runs_are_swept_and_a_full_disk_leaves_none(tmp_path: Path) -> None:
    stale = tmp_path / ".repair-999999999-abc123.tmp"  # no such process
    stale.write_bytes(b"half")
    files_mod._swept.discard(os.path.abspath(tmp_path))
    path = tmp_path / "doc.txt"
    path.write_text(SPUN, encoding="utf-8")
    assert runner.invoke(app, ["fix", "-w", str(path)]).exit_code == 0
    assert not stale.exists()

    class FullDisk:
        def write(self, data: bytes) -> None:
            raise OSError(28, "No space left on device")

        def close(self) -> None:
            raise OSError(28, "No space left on device")

    writer = AtomicWriter(path)
    writer.fh.close()
    writer.fh = FullDisk()  # type: ignore[assignment]
    with pytest.raises(OSError):
        writer.write("x")
    writer.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.txt"]


# -- odd files in a walk --------------------------------------------------------------------


def test_a_fifo_in_a_walked_folder_is_skipped(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "doc.txt").write_text(SPUN, encoding="utf-8")
    out = _cli("fix", "--check", str(tmp_path), timeout=30)
    assert out.returncode == 1 and b"doc.txt" in out.stderr and b"pipe" not in out.stderr


def test_a_very_deep_tree_is_walked_without_recursion(tmp_path: Path) -> None:
    deep = str(tmp_path)
    for _ in range(1100):  # mkdir(parents=True) would itself recurse too deep
        deep += "/d"
        os.mkdir(deep)
    Path(deep, "doc.txt").write_text(SPUN, encoding="utf-8")
    out = _cli("fix", "--check", str(tmp_path))
    os.remove(Path(deep, "doc.txt"))
    while deep != str(tmp_path):  # pytest's own clean-up would recurse too deep
        os.rmdir(deep)
        deep = os.path.dirname(deep)
    assert out.returncode == 1 and b"Traceback" not in out.stderr and b"doc.txt" in out.stderr


# -- JSON Lines: every byte but the repaired value kept, no lost output, no traceback -----------

JSPUN = "The White Home and the Nationwide Guard met."
JFIXED = "The White House and the National Guard met."


def test_jsonl_output_onto_its_input_is_written_through_a_temporary(tmp_path: Path) -> None:
    import gzip

    for name in ("d.jsonl", "d.jsonl.gz"):
        path = tmp_path / name
        data = (json.dumps({"text": JSPUN}) + "\n").encode() * 3
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
        result = runner.invoke(app, ["fix", "--jsonl", str(path), "-o", str(path)])
        assert result.exit_code == 0, result.stderr
        raw = path.read_bytes()
        out = gzip.decompress(raw) if name.endswith(".gz") else raw
        assert out == (json.dumps({"text": JFIXED}) + "\n").encode() * 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.jsonl", "d.jsonl.gz"]


def test_a_failed_jsonl_run_leaves_no_output(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"text": "fine"}\n{broken\n')
    dst = tmp_path / "out.jsonl.gz"
    result = runner.invoke(app, ["fix", "--jsonl", str(src), "-o", str(dst)])
    assert result.exit_code == EXIT_INPUT and "line 2: not JSON" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_jsonl_changes_only_the_repaired_value() -> None:
    line = ('{"id": 1.0000000000000001, "big": 123456789012345678901234567890, "text": "old",'
            ' "text":  "' + JSPUN + '" , "x":[1 ,2]}\r\n')
    out = _cli("fix", "--jsonl", "-", input=line.encode())
    assert out.returncode == 0, out.stderr
    assert out.stdout == line.replace(JSPUN, JFIXED).encode()
    scored = _cli("fix", "--jsonl", "--add-score", "spin", "-", input=line.encode())
    record = scored.stdout.decode()
    assert record.startswith(line.replace(JSPUN, JFIXED)[:-4]) and re.search(r', "spin": [0-9.]+\}\r\n$', record)


def test_jsonl_blank_lines_bom_and_counts() -> None:
    data = b"\xef\xbb\xbf" + json.dumps({"text": JSPUN}).encode() + b"\n\n   \n" + b'{"text": "plain"}\n'
    keep = _cli("fix", "--jsonl", "--on-error", "keep", "-", input=data)
    assert keep.returncode == 0, keep.stderr
    assert keep.stdout == data.replace(JSPUN.encode(), JFIXED.encode())
    assert b"2 records, 1 changed" in keep.stderr and b"2 blank lines kept" in keep.stderr
    skip = _cli("fix", "--jsonl", "--on-error", "skip", "-", input=data)
    assert skip.stdout.count(b"\n") == 2 and b"2 blank lines dropped" in skip.stderr


def test_jsonl_lone_surrogate_and_invalid_utf8_are_lines_not_tracebacks() -> None:
    data = (b'{"text": "The White Home \\ud800 said."}\n'
            b'{"text": "caf\xe9 White Home"}\n'
            b'{"text": "' + JSPUN.encode() + b'"}\n')
    for policy in ("skip", "keep"):
        out = _cli("fix", "--jsonl", "--on-error", policy, "-", input=data)
        assert out.returncode == 0 and b"Traceback" not in out.stderr, out.stderr
        assert b"line 2: invalid UTF-8 at byte 14 of the line" in out.stderr
        lines = out.stdout.splitlines(keepends=True)
        assert lines[0] == b'{"text": "The White House \\ud800 said."}\n'
        assert lines[-1] == (json.dumps({"text": JFIXED}) + "\n").encode()
        assert (len(lines) == 3 and lines[1] == data.splitlines(keepends=True)[1]) if policy == "keep" else len(lines) == 2
    failed = _cli("fix", "--jsonl", "-", input=data)
    assert failed.returncode == EXIT_INPUT and b"line 2: invalid UTF-8" in failed.stderr


def test_jsonl_check_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": JSPUN}) + "\n", encoding="utf-8")
    out = _cli("fix", "--jsonl", "--check", str(src))
    assert out.returncode == 1 and out.stdout == b""
    src.write_text(json.dumps({"text": "plain words"}) + "\n", encoding="utf-8")
    assert _cli("fix", "--jsonl", "--check", str(src)).returncode == 0


def test_jsonl_missing_input_is_reported_and_the_rest_processed(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": JSPUN}) + "\n", encoding="utf-8")
    out = _cli("fix", "--jsonl", str(tmp_path / "missing.jsonl"), str(src))
    assert out.returncode == EXIT_INPUT and b"Traceback" not in out.stderr
    assert b"missing.jsonl: cannot read" in out.stderr and JFIXED.encode() in out.stdout


def test_jsonl_output_that_cannot_be_opened_is_a_message(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": JSPUN}) + "\n", encoding="utf-8")
    out = _cli("fix", "--jsonl", str(src), "-o", str(tmp_path / "no" / "such" / "out.jsonl"))
    assert out.returncode == EXIT_INPUT and b"Traceback" not in out.stderr and b"cannot write" in out.stderr
    try:
        import zstandard  # noqa: F401
    except ImportError:
        out = _cli("fix", "--jsonl", str(src), "-o", str(tmp_path / "out.jsonl.zst"))
        assert out.returncode == EXIT_INPUT and b"writing .zst needs the zstandard package" in out.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_output_without_jsonl_and_write_with_jsonl_are_usage_errors(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": JSPUN}) + "\n", encoding="utf-8")
    assert _cli("fix", str(src), "-o", str(tmp_path / "o")).returncode == 2
    assert _cli("fix", "--jsonl", "-w", str(src)).returncode == 2
    assert src.read_text(encoding="utf-8") == json.dumps({"text": JSPUN}) + "\n"


def test_a_reader_that_goes_away_ends_the_run_quietly(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text((json.dumps({"text": JSPUN * 50}) + "\n") * 300, encoding="utf-8")
    plain = tmp_path / "in.txt"
    plain.write_bytes(src.read_bytes())
    for args in (["fix", "--jsonl", str(src)], ["fix", "--diff", str(plain)], ["scan", str(plain)]):
        proc = subprocess.run(f"{sys.executable} -m repair {' '.join(args)} | head -c 10 > /dev/null; "
                              "echo ${PIPESTATUS[0]}", shell=True, executable="/bin/bash",
                              capture_output=True, timeout=120)
        assert proc.stderr == b"" and proc.stdout.strip() in (b"0", b"141"), (args, proc)


# -- reports: no injection, encoded URIs, streamed and linear --------------------------------


def test_github_annotation_cannot_be_injected_through_a_file_name(tmp_path: Path) -> None:
    from repair.render import github_annotations
    from repair.repairer import Repairer as R  # noqa: F401

    name = "evil,line=99\n::error file=x::owned.txt"
    edit = Repairer.from_lexicons().repair(SPUN).edits[0]
    out = github_annotations(name, SPUN, [edit])
    assert out.count("\n") == 1 and out.startswith("::warning file=evil%2Cline=99%0A%3A%3Aerror file=x%3A%3Aowned.txt,line=1,")
    assert ",endLine=1,endColumn=15," in out


def test_sarif_uri_is_percent_encoded() -> None:
    from repair.render import sarif_uri

    assert sarif_uri("dir/a b#1%.txt") == "dir/a%20b%231%25.txt"
    assert sarif_uri("/abs/caf\u00e9.txt") == "file:///abs/caf%C3%A9.txt"


def test_json_and_sarif_are_streamed_and_valid(tmp_path: Path) -> None:
    paths = []
    for i in range(3):
        p = tmp_path / f"d{i}.txt"
        p.write_text(SPUN * (i + 1), encoding="utf-8")
        paths.append(str(p))
    data = json.loads(runner.invoke(app, ["fix", "--format", "json", *paths]).stdout)
    assert [len(d["edits"]) for d in data["documents"]] == [3, 6, 9]
    log = json.loads(runner.invoke(app, ["fix", "--format", "sarif", *paths]).stdout)
    assert len(log["runs"][0]["results"]) == 18
    assert json.loads(runner.invoke(app, ["fix", "--format", "sarif", os.devnull]).stdout)["runs"][0]["results"] == []


def test_line_numbers_are_found_once_per_part() -> None:
    from repair.render import Lines, line_col

    text = "a\nbb\n\nccc\n" * 50
    where = Lines(text)
    assert all(where(i) == line_col(text, i) for i in range(len(text) + 1))


# -- data: lexicon format, ignore file, cache ----------------------------------------------------


def test_lexicon_fmt_keeps_every_digit_of_a_confidence() -> None:
    from repair.lexicon import format_lexicon, parse_lexicon

    text = "Whte Home\tWhite House\tcertain\t0.499\tuser\nGren Home\tGreen House\tcertain\t0.5\tuser\n"
    formatted = format_lexicon(text)
    assert "\t0.499\t" in formatted and "\t0.50\t" in formatted
    entries, _ = parse_lexicon(formatted, category="user", name="x")
    assert sorted(e.confidence for e in entries) == [0.499, 0.5]


def test_a_lexicon_with_a_bom_matches_its_first_entry(tmp_path: Path) -> None:
    lexicon = tmp_path / "mine.tsv"
    lexicon.write_bytes(b"\xef\xbb\xbfZorblat Home\tZorblat House\tcertain\t0.99\tuser\n")
    result = runner.invoke(app, ["fix", "--no-bundled", "-l", str(lexicon), "-"], input="The Zorblat Home.")
    assert result.stdout == "The Zorblat House."


def test_a_bad_ignore_file_is_a_message_with_exit_3(tmp_path: Path) -> None:
    bad = tmp_path / ".repair-ignore"
    bad.write_bytes(b"White Home -> White House\n\xff\xfe\n")
    out = _cli("fix", "--ignore-file", str(bad), "-", input=SPUN.encode())
    assert out.returncode == 3 and b"Traceback" not in out.stderr and b"cannot read the ignore file" in out.stderr


def test_cache_bit_flips_are_misses_never_crashes_or_other_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    from repair import cache

    monkeypatch.setenv("REPAIR_CACHE_DIR", str(tmp_path))
    obj = {"entries": list(range(500)), "names": ["White House"] * 50}
    cache.store("thing-1.pickle", obj)
    good = (tmp_path / "thing-1.pickle").read_bytes()
    rng = random.Random(7)
    for _ in range(60):
        flipped = bytearray(good)
        bit = rng.randrange(len(flipped) * 8)
        flipped[bit // 8] ^= 1 << (bit % 8)
        (tmp_path / "thing-1.pickle").write_bytes(bytes(flipped))
        assert cache.load("thing-1.pickle") is None
    (tmp_path / "thing-1.pickle").write_bytes(good)
    assert cache.load("thing-1.pickle") == obj


@pytest.mark.parametrize("text", [
    SPUN, "a\n" + SPUN + "b", "x\n" * 10 + SPUN + "y\n" * 7 + "Nationwide Guard\n" + "z\n" * 3,
    "The White Home\r\nNationwide Guard\r\n", "line\n\nThe White Home", SPUN * 40,
    "Intro\x0cpage\rThe White Home and the Nationwide Guard.\nx\u2028y\nNew York Instances said.\n",
])
def test_diff_from_edits_equals_difflib(repairer: Repairer, text: str) -> None:
    """--diff is built from the edits (linear: difflib took 84 s on an 8 MB dense part, 2.3 s
    now); it must print what difflib printed."""
    from repair.render import edit_diff, unified_diff

    result = repairer.repair(text)
    for line in (0, 40):
        assert edit_diff("n", text, result.edits, line=line) == unified_diff("n", text, result.text, line=line)


def test_json_record_pieces_join_to_the_record(repairer: Repairer) -> None:
    from repair.render import dumps, result_record, result_record_chunks

    text = SPUN * 800
    result = repairer.repair(text)
    pieces = list(result_record_chunks("x", text, result))
    assert len(pieces) > 1 and "".join(pieces) == dumps(result_record("x", text, result))
