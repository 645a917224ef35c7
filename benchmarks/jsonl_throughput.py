"""JSON Lines throughput: one process, two processes (--jobs 2), and a two-worker Dask cluster.

    python benchmarks/jsonl_throughput.py [MB]        # default 20 MB of generated records

Outputs are checked to be equal before the figures are printed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import documents
from repair import Repairer
from repair.jsonl import process


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("megabytes", nargs="?", type=float, default=20.0, help="MB of records (default 20)")
    megabytes = parser.parse_args(argv).megabytes
    if megabytes <= 0:
        parser.error("MB must be positive")
    lines = [json.dumps({"id": i, "text": d}) + "\n" for i, d in enumerate(documents(megabytes))]
    size = sum(len(x) for x in lines) / 1e6
    repairer = Repairer.from_lexicons()
    repairer.repair("warm up: the White Home mentioned the Nationwide Guard and the safety scenario")
    results = {}
    for jobs in (1, 2):
        start = time.perf_counter()
        out = list(process(lines, repairer, jobs=jobs))
        results[f"jobs={jobs}"] = (time.perf_counter() - start, out)
    try:
        import dask.bag as db
        from dask.distributed import Client, LocalCluster

        from repair.integrations.dask import repair_bag

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster):
            records = [json.loads(x) for x in lines]
            repair_bag(db.from_sequence(records[:50], npartitions=2), field="text").compute()  # warm workers
            start = time.perf_counter()
            fixed = repair_bag(db.from_sequence(records, npartitions=16), field="text").compute()
            elapsed = time.perf_counter() - start
            results["dask 2 workers"] = (elapsed, [json.dumps(r, ensure_ascii=False) + "\n" for r in fixed])
    except ImportError:
        print("dask not installed: pip install 'repair[dask]'")
    reference = [json.loads(x)["text"] for x in results["jobs=1"][1]]
    for name, (_, out) in results.items():
        assert [json.loads(x)["text"] for x in out] == reference, name
    base = results["jobs=1"][0]
    print(f"{size:.1f} MB of JSON Lines, {len(lines)} records")
    for name, (elapsed, _) in results.items():
        print(f"{name:16} {elapsed:6.2f} s  {size / elapsed:6.1f} MB/s  {base / elapsed:4.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
