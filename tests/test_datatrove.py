"""datatrove blocks, run by datatrove's LocalPipelineExecutor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repair import Repairer

pytest.importorskip("datatrove", reason="pip install datatrove (optional integration)")

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from repair.integrations.datatrove import RepairFormatter, SpinFilter

DOCS = [
    {"id": "spun", "text": "The White Home said the Nationwide Guard, the New York Instances reported."},
    {"id": "clean", "text": "The army said the Home Secretary agreed."},
]


def _run(tmp_path: Path, steps: list) -> list[dict]:
    """Run reader + ``steps`` + writer over DOCS with datatrove's local executor."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "docs.jsonl").write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    out = tmp_path / "out"
    LocalPipelineExecutor(
        pipeline=[JsonlReader(str(src)), *steps, JsonlWriter(str(out), compression=None)],
        tasks=1, workers=1, logging_dir=str(tmp_path / "logs"),
    ).run()
    return [json.loads(line) for f in sorted(out.glob("*.jsonl")) for line in f.read_text().splitlines()]


def test_local_executor_repairs_and_filters(tmp_path: Path, repairer: Repairer) -> None:
    rows = _run(tmp_path, [SpinFilter(min_score=0.5), RepairFormatter()])
    assert [r["id"] for r in rows] == ["spun"]
    assert rows[0]["text"] == repairer.fix(DOCS[0]["text"])
    assert rows[0]["metadata"]["spin_score"] >= 0.5
    assert [e["before"] for e in rows[0]["metadata"]["repair_edits"]] == ["White Home", "Nationwide Guard", "New York Instances"]


def test_the_readme_pipeline_cleans_a_corpus(tmp_path: Path, repairer: Repairer) -> None:
    """`[reader, RepairFormatter(), writer]` keeps every document and repairs the spun ones."""
    rows = _run(tmp_path, [RepairFormatter()])
    assert [r["id"] for r in rows] == ["spun", "clean"]
    assert rows[0]["text"] == repairer.fix(DOCS[0]["text"]) and rows[1]["text"] == DOCS[1]["text"]
