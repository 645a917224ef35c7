"""The README's Spark recipe (a pandas UDF) in local mode, when pyspark and Java are present."""


import os
import shutil
import sys

import pytest

from repair import Repairer

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install pyspark pyarrow)")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java on PATH", allow_module_level=True)


def test_pandas_udf_matches_the_library(repairer: Repairer) -> None:
    import pandas as pd
    from pyspark.sql import SparkSession
    from pyspark.sql.functions import pandas_udf

    texts = ["The White Home and the Nationwide Guard.", "The army said.", "U.Okay. officers mentioned it."]
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers use this interpreter
    spark = SparkSession.builder.master("local[2]").appName("repair-test").getOrCreate()

    @pandas_udf("string")  # defined once a session exists, as recent PySpark requires
    def repair_text(texts: pd.Series) -> pd.Series:
        from repair import default_repairer

        r = default_repairer()
        return texts.map(r.fix)

    try:
        df = spark.createDataFrame([(t,) for t in texts], ["text"])
        out = [row.text for row in df.withColumn("text", repair_text("text")).collect()]
    finally:
        spark.stop()
    assert out == [repairer.fix(t) for t in texts]
