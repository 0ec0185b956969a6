"""Extraction on Spark: the file list cut into contiguous slices, each slice read in a Spark task
by the same readers as a DuckDB load (etl/extract.py: xlsx, GBK CSV, title rows, and large CSVs
by DuckDB's own CSV reader inside the task), written as Parquet under <work>/raw/<table>/part=N/.

A slice numbers its `files` rows from 1; the load adds the rows of the slices before it
(`offsets`), so that file_id is what a DuckDB load of the same files gives: path order, a
workbook's sheets in turn.
"""

from __future__ import annotations

import os
from pathlib import Path

from etl import labels

RAW_TABLES = ("files",) + tuple(f"raw_{k}" for k in labels.HEADERS)


def read_slice(index: int, items, out: str, bulk_bytes: int | None = None):
    """Spark task: read the slice's files into an in-memory DuckDB and write its tables."""
    import duckdb

    from etl.extract import extract

    paths = [Path(p) for _, p in items]
    con = duckdb.connect()
    try:
        con.execute("set threads = 1")
        kw = {"bulk_bytes": bulk_bytes} if bulk_bytes is not None else {}
        results = extract(paths, con, workers=1, **kw) if paths else []
        if not paths:
            from etl.readers.store import create_tables
            create_tables(con)
        for table in RAW_TABLES:
            folder = os.path.join(out, table, f"part={index}")
            os.makedirs(folder, exist_ok=True)
            # table names come from RAW_TABLES, a fixed list; the path goes through the API
            con.table(table).write_parquet(os.path.join(folder, "data.parquet"))
        yield index, len(results), len(paths)
    finally:
        con.close()


def extract(spark, paths: list[Path], work: Path, *, slices: int | None = None,
            bulk_bytes: int | None = None, on_slice=None) -> dict[int, int]:
    """Read every file in Spark tasks; returns {slice: file_id offset}. CSVs of bulk_bytes or
    more are read by DuckDB's CSV reader inside the task (etl/readers/bulkload.py)."""
    out = Path(work) / "raw"
    out.mkdir(parents=True, exist_ok=True)
    items = [(i, str(p)) for i, p in enumerate(paths)]
    sc = spark.sparkContext
    n = max(1, min(len(items), slices or sc.defaultParallelism * 4))
    rdd = sc.parallelize(items, n)
    target = str(out)
    done = rdd.mapPartitionsWithIndex(lambda i, it: read_slice(i, it, target, bulk_bytes)).collect()
    offsets, running = {}, 0
    for index, files_rows, files_read in sorted(done):
        offsets[index] = running
        running += files_rows
        if on_slice:
            on_slice(files_read)
    return offsets


def register(spark, work: Path, offsets: dict[int, int]) -> None:
    """The raw tables as Spark views, file_id numbered across the slices."""
    from pyspark.sql import functions as F

    shift = spark.createDataFrame(sorted(offsets.items()), "part int, offset int")
    for table in RAW_TABLES:
        frame = spark.read.parquet(str(Path(work) / "raw" / table))
        cols = [c for c in frame.columns if c != "part"]
        shifted = (frame.join(F.broadcast(shift), "part")
                   .withColumn("file_id", (F.col("file_id") + F.col("offset")).cast("int"))
                   .select(*cols))
        shifted.createOrReplaceTempView(table)
