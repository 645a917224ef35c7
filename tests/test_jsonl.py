"""JSON Lines mode: one field repaired per record, order and other fields kept, bad lines by policy."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from repair import Repairer
from repair.cli import EXIT_INPUT, app
from repair.jsonl import Stats, process

runner = CliRunner()
SPUN = "The White Home and the Nationwide Guard, the New York Instances said."
FIXED = "The White House and the National Guard, the New York Times said."
LINES = [
    json.dumps({"id": 1, "text": SPUN, "meta": {"lang": "en"}}) + "\n",
    '{"id":2,   "text":"The army said."}\n',
    "not json\n",
    json.dumps({"id": 4, "body": "no text field"}) + "\n",
    json.dumps([1, 2]) + "\n",
]


def test_process_keeps_order_fields_and_counts(repairer: Repairer) -> None:
    stats = Stats()
    out = list(process(LINES, repairer, on_error="keep", stats=stats))
    assert json.loads(out[0]) == {"id": 1, "text": FIXED, "meta": {"lang": "en"}}
    assert out[1] == LINES[1]  # unchanged records pass through byte for byte
    assert out[2:] == LINES[2:]  # malformed lines kept as they were
    assert (stats.records, stats.changed, stats.kept_malformed) == (2, 1, 3)
    assert stats.problems == ["line 3: not JSON (Expecting value)", "line 4: no string field 'text'",
                              "line 5: not a JSON object"]


def test_a_repaired_text_with_a_lone_surrogate_is_written_escaped(repairer: Repairer) -> None:
    """A record whose text holds a lone surrogate (a JSON escape no UTF-8 can hold) and is
    repaired comes out as UTF-8 with the surrogate escaped again, the fix made."""
    line = json.dumps({"id": 1, "text": SPUN + " \ud800", "n": 1.50}).replace("1.5}", "1.50}") + "\n"
    out = list(process([line.encode("utf-8")], repairer))
    assert len(out) == 1 and "\\ud800" in out[0].decode("utf-8")
    assert json.loads(out[0]) == {"id": 1, "text": FIXED + " \ud800", "n": 1.5}
    assert out[0].endswith(b', "n": 1.50}\n')


def test_skip_policy_drops_and_counts(repairer: Repairer) -> None:
    stats = Stats()
    out = list(process(LINES, repairer, on_error="skip", stats=stats))
    assert len(out) == 2 and stats.skipped == 3


def test_fail_policy_names_the_line(repairer: Repairer) -> None:
    with pytest.raises(Exception, match="line 3: not JSON"):
        list(process(LINES, repairer, on_error="fail"))


def test_score_and_edits_keys(repairer: Repairer) -> None:
    (first,) = list(process(LINES[:1], repairer, score_key="spin", edits_key="fixes"))
    record = json.loads(first)
    assert record["spin"] >= 0.5
    assert [e["before"] for e in record["fixes"]] == ["White Home", "Nationwide Guard", "New York Instances"]


def test_scan_filter_by_score(repairer: Repairer) -> None:
    out = list(process(LINES[:2], repairer, scan_only=True, score_key="spin_score", min_score=0.5))
    assert len(out) == 1 and json.loads(out[0])["id"] == 1
    out = list(process(LINES[:2], repairer, scan_only=True, score_key="spin_score", max_score=0.5))
    assert [json.loads(x)["id"] for x in out] == [2]


def test_cli_gzip_in_and_out_and_jobs(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl.gz"
    with gzip.open(src, "wt", encoding="utf-8") as fh:
        fh.writelines(LINES[:2] * 50)
    dst = tmp_path / "out.jsonl.gz"
    result = runner.invoke(app, ["fix", "--jsonl", "-j", "2", str(src), "-o", str(dst)])
    assert result.exit_code == 0, result.output
    with gzip.open(dst, "rt", encoding="utf-8") as fh:
        out = fh.readlines()
    assert len(out) == 100 and json.loads(out[0])["text"] == FIXED and out[1] == LINES[1]
    assert "100 records, 50 changed" in result.stderr


def test_cli_malformed_fails_by_default(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(LINES), encoding="utf-8")
    result = runner.invoke(app, ["fix", "--jsonl", str(src)])
    assert result.exit_code == EXIT_INPUT and "line 3: not JSON" in result.stderr
    assert runner.invoke(app, ["fix", "--jsonl", "--on-error", "nope", str(src)]).exit_code == 2


def test_cli_stdin_scan(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", "--jsonl", "--min-score", "0.5"], input="".join(LINES[:2]))
    assert result.exit_code == 0
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["id"] == 1


@pytest.mark.parametrize("policy", ["keep", "skip"])
def test_workers_process_raw_lines_in_order_and_merge_counts(repairer: Repairer, monkeypatch, policy: str) -> None:
    from repair import jsonl

    monkeypatch.setattr(jsonl, "BATCH_CHARS", 200)  # many small batches
    lines = []
    for i in range(40):
        if i % 13 == 5:
            lines.append("not json\n")
        else:
            text = "The White Home mentioned it." if i % 2 else "A plain sentence."
            lines.append(json.dumps({"id": i, "text": text}) + "\n")
    one, two = Stats(), Stats()
    serial = list(process(lines, repairer, on_error=policy, stats=one, score_key="s"))
    parallel = list(process(lines, repairer, on_error=policy, stats=two, score_key="s", jobs=2))
    assert parallel == serial
    assert (one.records, one.changed, one.skipped, one.kept_malformed, one.problems) == \
        (two.records, two.changed, two.skipped, two.kept_malformed, two.problems)
    assert two.problems[0].startswith("line 6:")  # numbered across batches


def test_workers_fail_with_the_right_line_number(repairer: Repairer, monkeypatch) -> None:
    from repair import InputError, jsonl

    monkeypatch.setattr(jsonl, "BATCH_CHARS", 100)
    lines = [json.dumps({"text": "plain words here"}) + "\n"] * 30 + ["{broken\n"]
    with pytest.raises(InputError, match="line 31:"):
        list(process(lines, repairer, jobs=2))


def _tricky_lines() -> list[bytes]:
    """Records, malformed lines, a blank line, characters str.splitlines would cut at, a BOM
    first and a last line without its newline."""
    lines = []
    for i in range(60):
        if i % 17 == 9:
            lines.append(b"not json\n")
        elif i % 23 == 11:
            lines.append(b"\n")
        else:
            text = "The White Home mentioned it.\x0c\x1c\r" if i % 2 else "A plain sentence \u2028 here."
            lines.append((json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\r\n").encode())
    lines[20] = b'{"id": 20,\r"text": "The White Home said."}\n'  # JSON whitespace, not a line end
    lines[0] = b"\xef\xbb\xbf" + lines[0]
    lines[-1] = lines[-1].rstrip(b"\n")
    return lines


@pytest.mark.parametrize("source", ["file", "stdin", "gzip"])
def test_workers_read_blocks_themselves_and_match_one_process(repairer: Repairer, tmp_path: Path, monkeypatch,
                                                              source: str) -> None:
    from repair import jsonl

    monkeypatch.setattr(jsonl, "BATCH_CHARS", 150)  # many blocks
    data = b"".join(_tricky_lines())
    path = tmp_path / ("in.jsonl.gz" if source == "gzip" else "in.jsonl")
    path.write_bytes(gzip.compress(data) if source == "gzip" else data)
    if source == "stdin":
        import io
        import sys

        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    name = "-" if source == "stdin" else str(path)
    outputs, counts = [], []
    for jobs in (1, 2):
        if source == "stdin":
            sys.stdin.buffer.seek(0)
        target = tmp_path / f"out{jobs}.jsonl"
        stats, missing = jsonl.run(repairer, [name], str(target), on_error="keep", jobs=jobs)
        outputs.append(target.read_bytes())
        counts.append((stats.records, stats.changed, stats.blank, stats.kept_malformed, stats.problems, missing))
    assert outputs[0] == outputs[1] and counts[0] == counts[1]
    assert counts[1][4][0].startswith("line 10:") and counts[1][1] > 0


def test_file_workers_fail_with_the_right_line_number(repairer: Repairer, tmp_path: Path, monkeypatch) -> None:
    from repair import InputError, jsonl

    monkeypatch.setattr(jsonl, "BATCH_CHARS", 100)
    path = tmp_path / "in.jsonl"
    path.write_text((json.dumps({"text": "plain words here"}) + "\n") * 30 + "{broken\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 31:"):
        jsonl.run(repairer, [str(path)], str(tmp_path / "out.jsonl"), jobs=2)
    assert not (tmp_path / "out.jsonl").exists()


def test_cli_scan_filter_with_file_workers(tmp_path: Path) -> None:
    """scan --jsonl --min-score on a plain file: the workers read their own blocks."""
    import subprocess
    import sys

    src = tmp_path / "in.jsonl"
    src.write_text("".join(LINES[:2] * 40), encoding="utf-8")
    outs = []
    for jobs in ("1", "2"):
        done = subprocess.run([sys.executable, "-m", "repair", "scan", "--jsonl", "-j", jobs, "--min-score", "0.5",
                               str(src)], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        outs.append(done.stdout)
        assert "80 records, 0 changed, 40 filtered out" in done.stderr
    assert outs[0] == outs[1] and len(outs[1].splitlines()) == 40
    assert all(json.loads(line)["spin_score"] >= 0.5 for line in outs[1].splitlines())


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.text(max_size=5), max_size=3), st.floats(allow_nan=False), st.integers(),
                 st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2)))
def test_dumps_is_json_dumps_with_lone_surrogates_escaped(value) -> None:
    """dumps writes what json.dumps(ensure_ascii=False) writes, save that a lone surrogate
    (which UTF-8 cannot hold) is escaped, so that every output line encodes."""
    from repair.jsonl import dumps

    expected = re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m[0]):04x}", json.dumps(value, ensure_ascii=False))
    out = dumps(value)
    assert out == expected
    out.encode("utf-8")
    assert json.loads(out) == json.loads(json.dumps(value))


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.sampled_from('ab"\\/\n\u00e9\u201c'), max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.text(alphabet=st.sampled_from('k"\\\u00e9'), max_size=3), _JSON_VALUES, min_size=1,
                       max_size=4),
       st.sampled_from([(",", ":"), (", ", ": "), (" ,  ", " :\t")]), st.booleans(), _JSON_VALUES)
def test_splice_finds_every_top_level_value(record, separators, ascii_only, new) -> None:
    """Each top-level value is found where it stands (strings with escaped quotes and
    backslashes passed over without decoding), and a spliced line parses to the record with
    the update, every other character kept."""
    from repair.jsonl import _top_level, splice

    line = json.dumps(record, separators=separators, ensure_ascii=ascii_only)
    spans, close = _top_level(line)
    assert line[close] == "}"
    assert {key: json.loads(line[a:b]) for key, (a, b) in spans.items()} == record
    key = next(iter(record))
    out = splice(line, {key: new})
    assert json.loads(out) == {**record, key: new}
    a, b = spans[key]
    assert out[:a] == line[:a] and out.endswith(line[b:])


def test_blank_lines_are_ascii_whitespace_only() -> None:
    """A line of ASCII whitespace is blank (what bytes.strip removes), a line with another
    separator ("\\x1c") is malformed."""
    from repair.jsonl import _parse

    lines = [b"", b" \t\x0b\x0c\r\n", b"\x1c\n", b'{"text": "x"}\n']
    assert [(p.blank, p.record) for p in _parse(lines, "text", Stats(), "keep")] == [
        (True, None), (True, None), (False, None), (False, {"text": "x"})]


def test_orjson_writes_a_string_as_json_does_for_every_code_point() -> None:
    """splice_bytes writes a new text with orjson: its escapes must be json.dumps's
    (ensure_ascii=False) for every code point but the surrogates (which orjson refuses, and
    dumps then escapes)."""
    import orjson
    from json.encoder import encode_basestring

    step = 4096
    for lo in range(0, 0x110000, step):
        text = "".join(chr(c) + "a" for c in range(lo, lo + step) if not 0xD800 <= c <= 0xDFFF)
        assert orjson.dumps(text).decode("utf-8") == encode_basestring(text)


_LINE_PIECES = st.sampled_from([
    '{"text": "a"}', '{"text": "\\ud800"}', '{"text": "x", "n": NaN}', '{"text": "x", "n": 1e400}',
    '{"text": "x", "n": 123456789012345678901234567890}', '{"text": "x", "text": "y"}', '[1]', '"s"',
    '{"text": 1}', '{"text": "\\u0000\\n\\"\\\\"}', '{"text": "\u2028\U0001f600"}', '{"text": "a",}', '{',
    '{"a": [[[[[]]]]], "text": "b"}', ' {"text": "c"} ', '{"text": "\\ud83d\\ude00"}', '{"text":"d"}\r',
])


@settings(max_examples=300, deadline=None)
@given(_LINE_PIECES, st.booleans())
def test_records_are_parsed_as_json_parses_them(line, bom) -> None:
    """orjson parses a record where it can and json decides the rest (NaN, a lone surrogate,
    huge numbers): the record, or the problem, is json's."""
    from repair.jsonl import _parse

    raw = (("\ufeff" if bom else "") + line + "\n").encode("utf-8")
    parsed = next(_parse([raw], "text", Stats(), "keep"))
    try:
        want = json.loads(line)
    except json.JSONDecodeError as exc:
        assert parsed.record is None and parsed.problem == f"not JSON ({exc.msg})"
        return
    if isinstance(want, dict) and isinstance(want.get("text"), str):
        assert parsed.record is not None and parsed.record["text"] == want["text"]
    else:
        assert parsed.record is None
