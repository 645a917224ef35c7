"""Instructions per pass, counted by valgrind's callgrind: a steadier yardstick than wall time on
a noisy machine, for comparing two versions of the code.

    python benchmarks/instructions.py [MB] [repair|flashtext ...]     # default 0.3 MB, both
    python benchmarks/instructions.py --corpus real-spun repair       # the dev set's spun news
    python benchmarks/instructions.py --corpus real-spun --fresh repair
    python benchmarks/instructions.py --corpus real-spun --unseen repair

Each tool runs under callgrind twice, once with one pass over the corpus and once with three;
half the difference is one steady-state pass (start-up, lexicon loading and the first pass's
lazy loads cancel out). A steady pass meets texts seen before, as the speed benchmarks do (they
repeat their documents): per-text memos (fuzzy name windows, replacements, reasons, junction
checks) are warm. ``--fresh`` counts the first pass instead: after warming up on other text
(0.2 MB of news-like documents), no pass against one pass: every per-text memo cold.
``--unseen`` (real-spun only) sits between the two, as a long stream of new documents does:
after a pass over the even-numbered spun texts, the first pass over the odd-numbered ones (other
articles by the same spinners; a few dev items share text, see the dataset's README).
``--corpus``: ``synthetic``
(corpus.documents, MB of it), ``news-spun`` (corpus.news_documents, all spun, MB of it) or
``real-spun`` (the spun texts of ../shared/eval/dev or REPAIR_EVAL_DIR, once; MB is ignored).
Needs valgrind on PATH; about a minute per tool for 0.3 MB.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ("synthetic", "news-spun", "real-spun")


def _corpus(name: str, mb: float) -> list[str]:
    from benchmarks.corpus import documents, news_documents

    if name == "synthetic":
        return documents(mb)
    if name == "news-spun":
        return news_documents(mb, spun=1.0)
    data = Path(os.environ.get("REPAIR_EVAL_DIR", ROOT.parent / "shared" / "eval" / "dev"))
    texts = [p.read_text(encoding="utf-8") for p in sorted(data.glob("pairs/*/spun.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(data.glob("spun_only/*.txt"))]
    if not texts:
        sys.exit(f"no spun texts under {data} (set REPAIR_EVAL_DIR)")
    return texts


def _passes(tool: str, mb: float, passes: int, corpus: str = "synthetic", fresh: bool = False,
            unseen: bool = False) -> None:
    sys.path.insert(0, str(ROOT))
    from repair import Repairer, load_entries

    docs = _corpus(corpus, mb)
    warm: list[str] = []
    if unseen:
        warm, docs = docs[0::2], docs[1::2]
    if tool == "repair":
        r = Repairer.from_lexicons()
        run = r.repair
    else:
        import flashtext

        kp = flashtext.KeywordProcessor()
        for e in load_entries():
            kp.add_keyword(e.spun, e.canonical)
        run = kp.replace_keywords
    if fresh:
        from benchmarks.corpus import news_documents

        for d in news_documents(0.2, seed=9):  # other text: imports, tables, the core's first use
            run(d)
    for d in warm:
        run(d)
    for _ in range(passes):
        for d in docs:
            run(d)


def _count(tool: str, mb: float, passes: int, corpus: str, fresh: bool, unseen: bool = False) -> int:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
         "--passes", tool, str(mb), str(passes), corpus, "1" if fresh else "0", "1" if unseen else "0"],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"},
    ).stderr
    return int(re.search(r"Collected : (\d+)", out).group(1))


def main(argv: list[str]) -> None:
    if argv[:1] == ["--passes"]:
        _passes(argv[1], float(argv[2]), int(argv[3]), argv[4], argv[5] == "1", argv[6] == "1")
        return
    parser = argparse.ArgumentParser(description="Instructions per pass under callgrind.")
    parser.add_argument("words", nargs="*", metavar="[MB] TOOL", help="MB (default 0.3), then repair and/or flashtext")
    parser.add_argument("--corpus", choices=CORPORA, default="synthetic")
    parser.add_argument("--fresh", action="store_true", help="count the first pass over the corpus")
    parser.add_argument("--unseen", action="store_true",
                        help="real-spun: count the first pass over the odd texts after the even ones")
    args = parser.parse_args(argv)
    args.mb = 0.3
    if args.words and re.fullmatch(r"[0-9.]+", args.words[0]):
        args.mb = float(args.words.pop(0))
    args.tools = args.words
    unknown = [t for t in args.tools if t not in ("repair", "flashtext")]
    if unknown:
        parser.error(f"unknown tool {unknown[0]!r} (repair or flashtext)")
    if args.unseen and (args.fresh or args.corpus != "real-spun"):
        parser.error("--unseen goes with --corpus real-spun alone")
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed")
    sys.path.insert(0, str(ROOT))
    from repair import Repairer

    Repairer.from_lexicons().repair("the White Home mentioned it")  # fill the on-disk caches first
    for tool in args.tools or ["repair", "flashtext"]:
        if args.fresh or args.unseen:
            per_pass = (_count(tool, args.mb, 1, args.corpus, args.fresh, args.unseen)
                        - _count(tool, args.mb, 0, args.corpus, args.fresh, args.unseen))
        else:
            per_pass = (_count(tool, args.mb, 3, args.corpus, False) - _count(tool, args.mb, 1, args.corpus, False)) / 2
        what = ("the odd-numbered real spun dev texts, after the even ones" if args.unseen
                else "real spun dev texts" if args.corpus == "real-spun" else f"{args.mb:g} MB of {args.corpus}")
        print(f"{tool:10} {per_pass / 1e6:8.1f} M instructions per {'first ' if args.fresh or args.unseen else ''}pass over {what}")


if __name__ == "__main__":
    main(sys.argv[1:])
