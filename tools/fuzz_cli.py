#!/usr/bin/env python3
"""Fuzz the CLI's input handling for N minutes: rounds of the hypothesis fuzz tests
(tests/test_fuzz.py), each with a new seed, until the time is up. Stops at the first failure.

    python tools/fuzz_cli.py --minutes 10
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--examples", type=int, default=500, help="examples per test per round")
    args = parser.parse_args()
    end = time.monotonic() + args.minutes * 60
    seed = 0
    while time.monotonic() < end:
        seed += 1
        env = dict(os.environ, FUZZ_EXAMPLES=str(args.examples))
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--hypothesis-seed={seed}",
             str(ROOT / "tests" / "test_fuzz.py")], cwd=ROOT, env=env, check=False)
        if proc.returncode != 0:
            print(f"fuzz round {seed} failed; rerun with --hypothesis-seed={seed}", file=sys.stderr)
            return 1
    print(f"{seed} rounds passed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
