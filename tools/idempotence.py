"""Check fix(fix(x)) == fix(x) on many spun-like documents (tests/spunlike.py).

    python tools/idempotence.py [N] [SEED] [--show K]

Prints the number of documents that changed on a second run (and the first ``--show`` of
them); exits 1 when any did.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from repair import Repairer  # noqa: E402
from tests.spunlike import document  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check fix(fix(x)) == fix(x) on spun-like documents.")
    parser.add_argument("n", nargs="?", type=int, default=10_000, help="documents (default 10000)")
    parser.add_argument("seed", nargs="?", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--show", type=int, default=5, help="documents that changed to print (default 5)")
    args = parser.parse_args(argv)
    n = args.n
    rng = random.Random(args.seed)
    r = Repairer.from_lexicons()
    bad = spun = 0
    started = time.perf_counter()
    for i in range(n):
        doc = document(rng)
        first = r.repair(doc)
        spun += first.scan.spun
        twice = r.fix(first.text)
        if twice != first.text:
            bad += 1
            if bad <= args.show:
                second = r.repair(first.text)
                print(f"document {i}: second run edits {[(e.before, e.after, e.entry) for e in second.edits][:3]}")
    print(f"{n} documents ({spun} spun), {bad} changed on a second run, {time.perf_counter() - started:.0f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
