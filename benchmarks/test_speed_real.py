"""Speed on what users feed the tool: real spun news, real clean news and a mix, read from
../shared/eval/dev (REPAIR_EVAL_DIR), one document at a time through the Python API, beside
flashtext (the shipped phrases) and a bare automaton scan in the same run. Skips when the data
is absent.

    pip install '.[bench]' && python -m pytest benchmarks/test_speed_real.py --benchmark-only

Each corpus repeats the dev documents up to about REPAIR_BENCH_REAL_MB (default 2) MB.
"""

from __future__ import annotations

import gc
import json
import os
from pathlib import Path

import pytest

from repair import Repairer, load_entries
from repair.jsonl import process

flashtext = pytest.importorskip("flashtext")
ahocorasick_rs = pytest.importorskip("ahocorasick_rs")

DATA = Path(os.environ.get("REPAIR_EVAL_DIR", Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev"))
TARGET_MB = float(os.environ.get("REPAIR_BENCH_REAL_MB", "2"))
def _collect() -> None:
    gc.collect()  # (returns nothing: pytest-benchmark would take a value for arguments)


ROUNDS = {"rounds": 5, "warmup_rounds": 1, "iterations": 1, "setup": _collect}

if not (DATA / "pairs").is_dir():
    pytest.skip(f"no evaluation data at {DATA} (set REPAIR_EVAL_DIR)", allow_module_level=True)


def _texts(kind: str) -> list[str]:
    if kind == "spun":
        found = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("pairs/*/spun.txt"))]
        return found + [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("spun_only/*.txt"))]
    if kind == "clean":
        found = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("pairs/*/original.txt"))]
        return found + [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("clean/*.txt"))]
    return [t for pair in zip(_texts("spun"), _texts("clean")) for t in pair]


def _grow(texts: list[str]) -> list[str]:
    out: list[str] = []
    while sum(map(len, out)) < TARGET_MB * 1e6:
        out.extend(texts)
    return out


@pytest.fixture(scope="module", params=["spun", "clean", "mixed"])
def corpus(request) -> list[str]:
    return _grow(_texts(request.param))


def mb(docs: list[str]) -> float:
    return sum(len(d.encode("utf-8")) for d in docs) / 1e6


def test_real_repair_fix(benchmark, corpus) -> None:
    r = Repairer.from_lexicons()
    benchmark.pedantic(lambda: [r.fix(d) for d in corpus], **ROUNDS)
    benchmark.extra_info["MB"] = mb(corpus)


def test_real_repair_edits(benchmark, corpus) -> None:
    r = Repairer.from_lexicons()
    results = benchmark.pedantic(lambda: [r.repair(d) for d in corpus], **ROUNDS)
    benchmark.extra_info["MB"] = mb(corpus)
    benchmark.extra_info["edits"] = sum(len(x.edits) for x in results)


def _jsonl(docs: list[str]) -> list[bytes]:
    return [(json.dumps({"id": i, "text": d}, ensure_ascii=False) + "\n").encode("utf-8") for i, d in enumerate(docs)]


def test_real_jsonl_fix(benchmark, corpus) -> None:
    """What `repair fix --jsonl` runs per record (parse, repair, splice, encode)."""
    r = Repairer.from_lexicons()
    lines = _jsonl(corpus)
    benchmark.pedantic(lambda: list(process(lines, r)), **ROUNDS)
    benchmark.extra_info["MB"] = sum(map(len, lines)) / 1e6


def test_real_jsonl_peer_flashtext(benchmark, corpus) -> None:
    kp = _flashtext()
    lines = _jsonl(corpus)

    def run() -> list[bytes]:
        out = []
        for line in lines:
            record = json.loads(line)
            record["text"] = kp.replace_keywords(record["text"])
            out.append((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        return out

    benchmark.pedantic(run, **ROUNDS)
    benchmark.extra_info["MB"] = sum(map(len, lines)) / 1e6


def _flashtext():
    kp = flashtext.KeywordProcessor()
    for e in load_entries():
        kp.add_keyword(e.spun, e.canonicals[0])
    return kp


def test_real_peer_flashtext(benchmark, corpus) -> None:
    kp = _flashtext()
    benchmark.pedantic(lambda: [kp.replace_keywords(d) for d in corpus], **ROUNDS)
    benchmark.extra_info["MB"] = mb(corpus)


def test_real_peer_bare_scan(benchmark, corpus) -> None:
    ac = ahocorasick_rs.AhoCorasick(sorted({e.spun.lower() for e in load_entries()}),
                                    matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    benchmark.pedantic(lambda: [ac.find_matches_as_indexes(d.lower()) for d in corpus], **ROUNDS)
    benchmark.extra_info["MB"] = mb(corpus)
