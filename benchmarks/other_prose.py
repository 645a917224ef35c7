"""Clean English that is not news: is any of it taken for spun, or changed?

The dev set's clean texts are news. A data engineer's corpus also holds manuals, licences and
reference prose, whose vocabulary ("associated", "permit", "modifications") is what the spinner
writes in news. This reads the Python documentation's topic texts that every CPython ships
(``pydoc_data.topics``) and the plain-text files of any ``--dir`` given (default: Debian's
licence texts and package copyright files, where present), and reports the documents found
spun, the documents changed, the highest spin score, and the edits the text would get were it
taken for spun (a stress test of the context rules, as in ``quality.py``).

    python benchmarks/other_prose.py [--dir DIR ...] [--json]

Exits 1 when a document is changed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from repair import Repairer  # noqa: E402

DEFAULT_DIRS = ("/usr/share/common-licenses", "/usr/share/doc")
MAX_FILE_BYTES = 2_000_000


def python_topics() -> list[tuple[str, str]]:
    """The Python documentation's topic texts (``pydoc_data.topics``), as (name, text)."""
    try:
        from pydoc_data import topics
    except ImportError:  # a Python built without its documentation data
        return []
    return [(f"pydoc:{name}", text) for name, text in sorted(topics.topics.items())]


def files(dirs: Iterable[str]) -> list[tuple[str, str]]:
    """UTF-8 text files under ``dirs``: licence texts, and of /usr/share/doc only the package
    ``copyright`` files (its changelogs are lists of code changes, not prose)."""
    out = []
    for root in map(Path, dirs):
        if not root.is_dir():
            continue
        paths = root.glob("*/copyright") if root == Path("/usr/share/doc") else root.rglob("*")
        for path in sorted(paths):
            if not path.is_file() or path.is_symlink() or path.stat().st_size > MAX_FILE_BYTES:
                continue
            try:
                out.append((str(path), path.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError):
                continue
    return out


def measure(texts: Sequence[tuple[str, str]], repairer: Repairer | None = None) -> dict[str, object]:
    """The report over ``texts`` (name, text) with ``repairer`` (default: the shipped lexicons)."""
    repairer = repairer or Repairer.from_lexicons()
    forced = Repairer(repairer.entries, replace(repairer.config, assume_spun=True))
    spun, changed, scores, words, forced_edits = [], [], [], 0, Counter()
    for name, text in texts:
        result = repairer.repair(text)
        scores.append(result.scan.spin_score)
        if result.scan.spun:
            spun.append(name)
        if result.edits:
            changed.append(name)
        words += len(text.split())
        for e in forced.repair(text).edits:
            forced_edits[f"{e.before} -> {e.after} [{e.entry}]"] += 1
    n = sum(forced_edits.values())
    return {
        "docs": len(texts), "megabytes": round(sum(len(t.encode("utf-8")) for _, t in texts) / 1e6, 2),
        "words": words, "spun_docs": spun, "changed_docs": changed,
        "max_spin_score": max(scores, default=0.0),
        "edits_per_1000_words_if_taken_for_spun": round(1000 * n / words, 2) if words else 0.0,
        "most_common_if_taken_for_spun": forced_edits.most_common(10),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", action="append", default=None,
                        help=f"a directory of text files (repeatable; default {', '.join(DEFAULT_DIRS)})")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    texts = python_topics() + files(args.dir if args.dir is not None else DEFAULT_DIRS)
    if not texts:
        print("other-prose benchmark skipped: no texts found")
        return 0
    report = measure(texts)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{report['docs']} documents, {report['megabytes']} MB, {report['words']} words: "
              f"{len(report['spun_docs'])} found spun, {len(report['changed_docs'])} changed, "
              f"highest spin score {report['max_spin_score']}")
        print(f"edits per 1,000 words were they taken for spun: {report['edits_per_1000_words_if_taken_for_spun']}")
        for what, count in report["most_common_if_taken_for_spun"]:
            print(f"  {count:6d}  {what}")
        for name in report["changed_docs"]:
            print(f"changed: {name}")
    return 1 if report["changed_docs"] else 0


if __name__ == "__main__":
    sys.exit(main())
