"""What a corpus asks of the matcher, per MB: the figures a synthetic speed corpus must match to
stand in for real news (issue 16).

    python benchmarks/densities.py [--data DIR]

Rows: the dev set's real spun news and real clean news (skipped when ``../shared`` is absent)
beside the synthetic corpora of benchmarks/corpus.py. Columns per MB of UTF-8: documents,
candidates (pattern matches before any rule), edits, suggestions, fuzzy name edits, non-ASCII
characters, runs of two or more capitalised words; and the share of documents with quotation
marks and the share found spun.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import regex

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import documents, news_documents  # noqa: E402
from repair import Repairer  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("REPAIR_EVAL_DIR", Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev"))
CAP_RUN = regex.compile(r"\b\p{Lu}[\p{L}'’.-]*(?:[ \t]+\p{Lu}[\p{L}'’.-]*)+")
QUOTE = regex.compile(r"[\"“”]")


def real(data: Path, kind: str) -> list[str]:
    """The dev set's spun texts (pairs and spun-only) or clean texts (originals and clean)."""
    if kind == "spun":
        paths = sorted(data.glob("pairs/*/spun.txt")) + sorted(data.glob("spun_only/*.txt"))
    else:
        paths = sorted(data.glob("pairs/*/original.txt")) + sorted(data.glob("clean/*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def profile(docs: list[str], repairer: Repairer) -> dict[str, float]:
    """Per-MB densities of ``docs`` (see the module doc)."""
    size = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    matcher = repairer._matcher
    totals = dict.fromkeys(("docs", "candidates", "edits", "suggestions", "fuzzy", "non_ascii", "cap_runs"), 0.0)
    quoted = spun = 0
    for d in docs:
        result = repairer.repair(d)
        totals["docs"] += 1
        totals["candidates"] += len(matcher.candidates(d))
        totals["edits"] += len(result.edits)
        totals["suggestions"] += len(result.suggestions)
        totals["fuzzy"] += sum(e.tier == "fuzzy" for e in result.edits)
        totals["non_ascii"] += sum(not c.isascii() for c in d)
        totals["cap_runs"] += len(CAP_RUN.findall(d))
        quoted += bool(QUOTE.search(d))
        spun += result.scan.spun
    row = {k: round(v / size, 1) for k, v in totals.items()}
    row["quoted_docs"] = round(quoted / len(docs), 2)
    row["spun_docs"] = round(spun / len(docs), 2)
    row["MB"] = round(size, 3)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    r = Repairer.from_lexicons()
    rows: dict[str, list[str]] = {}
    if (args.data / "pairs").is_dir():
        rows["real spun"] = real(args.data, "spun")
        rows["real clean"] = real(args.data, "clean")
    else:
        print(f"(no evaluation data at {args.data}: real rows skipped)")
    rows["synthetic corpus.py"] = documents(1.0)
    rows["news-like spun"] = news_documents(0.5, spun=1.0)
    rows["news-like clean"] = news_documents(0.5, spun=0.0)
    cols = ("docs", "candidates", "edits", "suggestions", "fuzzy", "non_ascii", "cap_runs", "quoted_docs", "spun_docs")
    print(f"{'per MB':22}" + "".join(f"{c:>12}" for c in cols))
    for name, docs in rows.items():
        row = profile(docs, r)
        print(f"{name:22}" + "".join(f"{row[c]:>12}" for c in cols))
    return 0


if __name__ == "__main__":
    sys.exit(main())
