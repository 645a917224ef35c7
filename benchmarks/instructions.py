"""Instructions per pass, counted by valgrind's callgrind: a steadier yardstick than wall time on
a noisy machine, for comparing two versions of the code.

    python benchmarks/instructions.py [MB] [repair|flashtext ...]     # default 0.3 MB, both

Each tool runs under callgrind twice, once with one pass over the corpus and once with three;
half the difference is one steady-state pass (start-up, lexicon loading and the first pass's
lazy loads cancel out). Needs valgrind on PATH; about a minute per tool for 0.3 MB.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _passes(tool: str, mb: float, passes: int) -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.corpus import documents
    from repair import Repairer, load_entries

    docs = documents(mb)
    if tool == "repair":
        r = Repairer.from_lexicons()
        run = r.repair
    else:
        import flashtext

        kp = flashtext.KeywordProcessor()
        for e in load_entries():
            kp.add_keyword(e.spun, e.canonical)
        run = kp.replace_keywords
    for _ in range(passes):
        for d in docs:
            run(d)


def _count(tool: str, mb: float, passes: int) -> int:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
         "--passes", tool, str(mb), str(passes)],
        capture_output=True, text=True, check=True,
    ).stderr
    return int(re.search(r"Collected : (\d+)", out).group(1))


def main(argv: list[str]) -> None:
    if argv[:1] == ["--passes"]:
        _passes(argv[1], float(argv[2]), int(argv[3]))
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed")
    mb = float(argv[0]) if argv else 0.3
    sys.path.insert(0, str(ROOT))
    from repair import Repairer

    Repairer.from_lexicons().repair("the White Home mentioned it")  # fill the on-disk caches first
    for tool in argv[1:] or ["repair", "flashtext"]:
        per_pass = (_count(tool, mb, 3) - _count(tool, mb, 1)) / 2
        print(f"{tool:10} {per_pass / 1e6:8.0f} M instructions per pass over {mb:g} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
