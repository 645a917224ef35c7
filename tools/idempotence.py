"""Check fix(fix(x)) == fix(x) on many spun-like documents (tests/spunlike.py).

    python tools/idempotence.py 100000 [SEED]

Prints the number of documents that changed on a second run (and the first few of them).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from repair import Repairer  # noqa: E402
from tests.spunlike import document  # noqa: E402


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
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
            if bad <= int(__import__("os").environ.get("SHOW", "5")):
                second = r.repair(first.text)
                print(f"document {i}: second run edits {[(e.before, e.after, e.entry) for e in second.edits][:3]}")
    print(f"{n} documents ({spun} spun), {bad} changed on a second run, {time.perf_counter() - started:.0f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
