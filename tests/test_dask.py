"""The Dask step on a real LocalCluster with two worker processes equals the in-process result."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from repair import Repairer

dask = pytest.importorskip("dask", reason="install the test extra: pip install '.[test]'")
distributed = pytest.importorskip("dask.distributed")
pd = pytest.importorskip("pandas")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.corpus import documents
from repair.integrations.dask import repair_bag, repair_dataframe


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_bag_and_dataframe_match_single_process(client, repairer: Repairer) -> None:
    import dask.bag as db
    import dask.dataframe as dd

    docs = documents(0.3)
    expected = [repairer.fix(d) for d in docs]
    records = [{"id": i, "text": d} for i, d in enumerate(docs)]
    bag = db.from_sequence(records, npartitions=6)
    out = repair_bag(bag, field="text", score_key="spin").compute()
    assert [r["text"] for r in out] == expected
    assert [r["id"] for r in out] == list(range(len(docs)))
    assert len(client.scheduler_info()["workers"]) == 2

    assert repair_bag(db.from_sequence(docs, npartitions=4)).compute() == expected

    frame = dd.from_pandas(pd.DataFrame(records), npartitions=5)
    result = repair_dataframe(frame, "text", score_column="spin").compute()
    assert list(result["text"]) == expected
    assert (result["spin"] >= 0).all()
