"""`--jobs 2` against one process, beside what this machine's cores allow at all.

    python benchmarks/parallel_scaling.py [MB] [FILES]     # default 40 MB in 80 files

Times `repair fix --check -q -j 1` and `-j 2` over generated files (best of three each), and the
same two-process speedup for a pure-Python loop with no I/O and nothing shared: that ceiling is
what the hardware gives any Python program (on a virtual machine two "cores" may share more than
they seem to), so the useful figure is the repair speedup next to it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import documents

LOOP = 5_000_000


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def ceiling(rounds: int = 3) -> float:
    """Best two-process speedup of a CPU-bound loop over running it twice in one process."""
    serial = parallel = float("inf")
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_spin, [1, 1]))
        for _ in range(rounds):
            start = time.perf_counter()
            _spin(LOOP)
            _spin(LOOP)
            serial = min(serial, time.perf_counter() - start)
            start = time.perf_counter()
            list(pool.map(_spin, [LOOP, LOOP]))
            parallel = min(parallel, time.perf_counter() - start)
    return serial / parallel


def repair_run(folder: Path, jobs: int, rounds: int = 3) -> float:
    """Best wall time of `repair fix --check` over the folder with ``jobs`` processes."""
    best = float("inf")
    cmd = [sys.executable, "-m", "repair", "fix", "--check", "-q", "-j", str(jobs), str(folder)]
    for _ in range(rounds):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        best = min(best, time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"repair failed ({proc.returncode}): {proc.stderr}")
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("megabytes", nargs="?", type=float, default=40.0, help="MB of documents (default 40)")
    parser.add_argument("files", nargs="?", type=int, default=80, help="files they are cut into (default 80)")
    args = parser.parse_args(argv)
    if args.megabytes <= 0 or args.files < 1:
        parser.error("MB must be positive and FILES at least 1")
    megabytes, files = args.megabytes, args.files
    docs = documents(megabytes)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        per_file = max(1, len(docs) // files)
        for n in range(files):
            chunk = docs[n * per_file:(n + 1) * per_file] if n < files - 1 else docs[n * per_file:]
            (folder / f"doc{n:05d}.txt").write_text("\n".join(chunk), encoding="utf-8")
        one = repair_run(folder, 1)
        two = repair_run(folder, 2)
    limit = ceiling()
    print(f"{megabytes:g} MB in {files} files: -j 1 {one:.2f} s, -j 2 {two:.2f} s, speedup {one / two:.2f}x")
    print(f"machine ceiling (pure-Python loop, 2 processes): {limit:.2f}x; "
          f"repair reaches {one / two / limit:.0%} of it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
