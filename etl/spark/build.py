"""Staging, quarantine, load log and marts as Spark SQL over the raw views, each table written
as Parquet under <work>/tables/<name>/ and read back as the view the next query reads."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import duckdb

from etl import load as duck
from etl.idcheck import place_is_known, ric_combos_sql
from etl.settings import Settings, write_settings
from etl.spark.translate import spark_sql, to_spark

# Small tables the staging queries read besides the raw layer (labels, settings, the load's
# clock), made by the same Python as a DuckDB load and handed to Spark as they are.
def side_tables(as_of: dt.datetime, settings: Settings | None) -> dict:
    """{name: Arrow table} of the side tables, made in an in-memory DuckDB."""
    con = duckdb.connect()
    try:
        duck.prepare(con)
        con.execute("create table load_clock as select cast(? as timestamp) as as_of", [as_of])
        write_settings(con, settings or Settings())
        have = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        return {name: con.table(name).to_arrow_table() for name in sorted(have)}
    finally:
        con.close()


def register_side(spark, tables: dict) -> None:
    for name, data in tables.items():
        spark.createDataFrame(data).createOrReplaceTempView(name)


def ric_places(spark, work: Path) -> None:
    """ric_places from the raw views: the combinations found by Spark, checked by python-stdnum."""
    from pyspark.sql.types import BooleanType, IntegerType, StringType, StructField, StructType

    combos = spark.sql(to_spark(ric_combos_sql())).collect()
    rows = [(p, y, place_is_known(p, y)) for p, y in combos]
    schema = StructType([StructField("prefix6", StringType()), StructField("birth_year", IntegerType()),
                         StructField("is_known", BooleanType())])
    _materialize(spark, spark.createDataFrame(rows, schema), "ric_places", work)


# Tables written as one folder per value of a column (dues: the largest table, by month), so
# that a month is a folder of its own files at national scale.
PARTITIONED = {"typed_dues": "dues_month"}


def _materialize(spark, frame, name: str, work: Path) -> None:
    target = Path(work) / "tables" / name
    writer = frame.write.mode("overwrite")
    if name in PARTITIONED:
        writer = writer.partitionBy(PARTITIONED[name])
    writer.parquet(str(target))
    spark.read.parquet(str(target)).createOrReplaceTempView(name)


def run_query(spark, name: str, work: Path) -> None:
    """One query of the build lists: a view for those DuckDB keeps as views, else a table."""
    frame = spark.sql(spark_sql(name))
    if name in duck.VIEWS:
        frame.createOrReplaceTempView(name)
    else:
        _materialize(spark, frame, name, work)


def build(spark, work: Path, on_step=lambda step: None) -> list[tuple[str, float]]:
    """Every staging, bookkeeping and mart table; returns each step's seconds."""
    shutil.rmtree(Path(work) / "tables", ignore_errors=True)
    timings = []

    def timed(step, fn):
        started = time.perf_counter()
        fn()
        timings.append((step, round(time.perf_counter() - started, 3)))
        on_step(step)

    timed("ric_places", lambda: ric_places(spark, work))
    for name in duck.STAGING + duck.BOOKKEEPING + duck.MARTS:
        timed(name, lambda name=name: run_query(spark, name, work))
    return timings
