"""The serving DuckDB file made from a Spark load's Parquet: every table with the column types
DuckDB's own build gives it (its query described over the tables imported before it), the
views DuckDB keeps as views, and the index the dashboard reads by."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl import load as duck
from etl.spark.build import PARTITIONED
from etl.spark.extract import RAW_TABLES

# What a Spark load imports: the staging tables a DuckDB load keeps, and the marts.
KEPT = ("ric_places",) + duck.KEPT_STAGING + duck.MARTS
KEPT_VIEWS = tuple(n for n in duck.VIEWS if n not in duck.INTERMEDIATE)


def _files(folder: Path) -> list[str]:
    return sorted(str(p) for p in Path(folder).rglob("*.parquet"))


def import_raw(con: duckdb.DuckDBPyConnection, work: Path, offsets: dict[int, int]) -> None:
    """`files` and `raw_<kind>` (made empty by etl/readers/store.py's create_tables) filled from
    the slices' Parquet, file_id shifted by each slice's offset."""
    from etl.readers.store import create_tables

    create_tables(con)
    con.execute("create or replace temp table slice_offsets (part integer, shift integer)")
    con.executemany("insert into slice_offsets values (?, ?)", sorted(offsets.items()))
    for table in RAW_TABLES:  # fixed names
        files = _files(Path(work) / "raw" / table)
        if not files:
            continue
        cols = [r[0] for r in con.execute(
            "select column_name from duckdb_columns() where table_name = ? "
            "and database_name = current_database() order by column_index", [table]).fetchall()]
        picked = ", ".join("r.file_id + o.shift" if c == "file_id" else f'r."{c}"' for c in cols)
        con.execute('insert into "' + table + '" select ' + picked + " from read_parquet(?, "
                    "hive_partitioning = true) r join slice_offsets o on o.part = r.part "
                    "order by r.file_id + o.shift, " + ("r.row_no" if table != "files" else "1"),
                    [files])


def reference_types(settings=None) -> dict[str, list[tuple[str, str]]]:
    """{table: [(column, DuckDB type)]} of every kept table, from DuckDB's own build run over
    empty raw tables (a second or two): the types a DuckDB load would publish."""
    from etl.readers.store import create_tables

    con = duckdb.connect()
    try:
        duck.prepare(con)
        create_tables(con)
        duck.build(con, settings=settings)
        return {name: [(r[0], r[1]) for r in con.execute(
                    "select column_name, data_type from duckdb_columns() where table_name = ? "
                    "order by column_index", [name]).fetchall()]
                for name in KEPT}
    finally:
        con.close()


def import_table(con: duckdb.DuckDBPyConnection, name: str, work: Path,
                 columns: list[tuple[str, str]]) -> None:
    """One table of the build lists from Spark's Parquet, typed as DuckDB's build types it."""
    if name not in KEPT:
        raise ValueError(f"not a table of the build: {name!r}")
    con.execute('create or replace table "' + name + '" ('
                + ", ".join('"' + c + '" ' + t for c, t in columns) + ")")
    files = _files(Path(work) / "tables" / name)
    if files:
        # Spark wrote the rows in the query's order, file by file: kept so
        con.execute("set preserve_insertion_order = true")
        names = ", ".join(f'"{c}"' for c, _ in columns)  # by name: a partition column is last
        hive = "true" if name in PARTITIONED else "false"
        try:
            con.execute('insert into "' + name + '" (' + names + ") select " + names
                        + " from read_parquet(?, hive_partitioning = " + hive + ")", [files])
        finally:
            con.execute("set preserve_insertion_order = false")
    if name in duck.INDEXES:
        con.execute(duck.INDEXES[name])


def import_views(con: duckdb.DuckDBPyConnection) -> None:
    for name in KEPT_VIEWS:
        duck.build_table(con, name)
