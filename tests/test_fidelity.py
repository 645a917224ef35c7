"""Round 2 of the reliability work: encodings, separators, lost updates, ownership, odd files.

Each test pins one reproducer from an adversarial run; the README's reliability table names
them. Conventions followed: ``sed -i`` and ruff (a rewrite keeps owner and mode, refuses what it
cannot keep), ripgrep (a UTF-16 byte order mark chooses UTF-16), GNU tools (exit status, one
message per bad input, the other inputs still processed).
"""

from __future__ import annotations

import os
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
    assert out.returncode == 1 and b"Traceback" not in out.stderr and b"doc.txt" in out.stderr
