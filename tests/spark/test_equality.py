"""`zhtj etl --engine spark` publishes, table for table, the database a DuckDB load publishes:
the same generated province (per-branch and bulk layouts, dirty rows included) loaded by both
engines, every table compared row by row after sorting (floats to 9 places), the column types,
the views, and `zhtj metrics` for every organization. Locally (Spark's local[2]) and on a
standalone cluster of a master and two workers on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.generate import generate
from etl.load import LoadSettings, load
from etl.metrics import compute, connect
from etl.spark.session import java_missing
from tests.etl.test_incremental import tables

MISSING = java_missing()
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("spark"),
              pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]

AS_OF = dt.datetime(2024, 10, 8, 12)
MEMBERS = 1500


def _province(root: Path, layout: str) -> Path:
    src = root / layout
    summary = generate(src, members=MEMBERS, seed=5, layout=layout, as_of=AS_OF.date())
    assert sum(summary["dirty_rows"].values()) > 0  # quirks and bad rows to quarantine
    return src


# Settings the marts read: a wider entry scope (rule C6), a seat quota of an organization the
# load lacks (a warning), a dues standard that makes bills mismatch.
SETTINGS = """
[cadre_scope]
branch_extra_positions = ["副书记"]
[seats]
"r-not-in-the-tree==" = 3
[[dues_standard]]
from = "2024-01"
student = 0.50
"""


def _duckdb_load(src: Path, db: Path, settings: Path | None = None):
    return load(LoadSettings(source=src, db=db, as_of=AS_OF, quiet=True, allow_skipped=True,
                             settings_file=settings))


def _spark_load(src: Path, db: Path, settings: Path | None = None, **options):
    from etl.spark.load import SparkOptions
    from etl.spark.load import load as spark_load

    return spark_load(LoadSettings(source=src, db=db, as_of=AS_OF, quiet=True,
                                   allow_skipped=True, settings_file=settings),
                      SparkOptions(**options))


def _columns(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select table_name, column_name, data_type from duckdb_columns() "
            "where database_name = current_database() order by table_name, column_index"
        ).fetchall() + con.execute(
            "select view_name, sql from duckdb_views() where not internal order by 1").fetchall()
    finally:
        con.close()


def _metrics_of_every_org(db: Path) -> dict[str, dict]:
    with connect(db) as conn:
        orgs = [r[0] for r in conn.exec_driver_sql("select org_id from org_tree").fetchall()]
        return {org: compute(conn, org) for org in orgs}


def assert_same_database(expected: Path, got: Path) -> None:
    want, have = tables(expected), tables(got)
    assert sorted(have) == sorted(want)
    differing = [name for name in want if want[name] != have[name]]
    assert not differing, {name: (len(want[name]), len(have[name]),
                                  sorted(set(want[name]) ^ set(have[name]), key=repr)[:3])
                           for name in differing}
    assert _columns(got) == _columns(expected)
    assert len(want["quarantine"]) > 0 and len(want["org_tree"]) > 100
    metrics = _metrics_of_every_org(expected)
    assert _metrics_of_every_org(got) == metrics


@pytest.mark.parametrize("layout", ["branch", "bulk"])
def test_spark_local_publishes_the_database_duckdb_publishes(tmp_path, layout):
    src = _province(tmp_path, layout)
    settings = None
    if layout == "bulk":
        settings = tmp_path / "settings.toml"
        settings.write_text(SETTINGS, encoding="utf-8")
    duck = _duckdb_load(src, tmp_path / "duckdb.duckdb", settings)
    # bulk: CSVs over 2 KB go through DuckDB's CSV reader inside the Spark task, which a DuckDB
    # load of files this small does not use: the two readers must agree as well
    spark = _spark_load(src, tmp_path / "spark.duckdb", settings, master="local[2]",
                        bulk_bytes=2000 if layout == "bulk" else None)
    assert spark.warnings == duck.warnings
    if settings:
        assert any("r-not-in-the-tree==" in w for w in spark.warnings)
    assert (spark.rows_read, spark.rows_loaded, spark.rows_quarantined, spark.rows_merged) == (
        duck.rows_read, duck.rows_loaded, duck.rows_quarantined, duck.rows_merged)
    assert spark.rows_read == spark.rows_loaded + spark.rows_quarantined + spark.rows_merged
    assert_same_database(tmp_path / "duckdb.duckdb", tmp_path / "spark.duckdb")


def test_spark_standalone_cluster_of_two_workers_from_the_command_line(tmp_path):
    from etl.spark.cluster import Cluster

    src = _province(tmp_path, "branch")
    _duckdb_load(src, tmp_path / "duckdb.duckdb")
    with Cluster(workers=2, cores=1, memory="1g", log_dir=tmp_path / "logs") as cluster:
        assert cluster.url.startswith("spark://127.0.0.1:")
        assert cluster.alive_workers() == 2
        done = subprocess.run(
            [sys.executable, "-m", "etl.cli", "etl", str(src), "--db", str(tmp_path / "s.duckdb"),
             "--engine", "spark", "--master", cluster.url, "--work", str(tmp_path / "work"),
             "--as-of", AS_OF.isoformat(), "--allow-skipped", "--quiet"],
            capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr[-3000:]
    assert_same_database(tmp_path / "duckdb.duckdb", tmp_path / "s.duckdb")
    # --work keeps the Parquet: the raw layer by slice, and every table
    assert (tmp_path / "work" / "tables" / "org_rollup").is_dir()
    assert list((tmp_path / "work" / "raw" / "raw_members").glob("part=*/data.parquet"))
    assert not (tmp_path / "work" / "spark-tmp").exists()


def test_a_failed_spark_load_leaves_the_published_database_as_it_was(tmp_path):
    src = _province(tmp_path, "branch")
    db = tmp_path / "p.duckdb"
    _duckdb_load(src, db)
    before = tables(db)
    done = subprocess.run(
        [sys.executable, "-m", "etl.cli", "etl", str(src), "--db", str(db), "--engine", "spark",
         "--master", "spark://127.0.0.1:9", "--as-of", AS_OF.isoformat(), "--quiet"],
        capture_output=True, text=True, timeout=600)
    assert done.returncode != 0
    assert tables(db) == before
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name or ".spark-" in p.name]
