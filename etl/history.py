"""History across loads: each load's record and a dated snapshot of the per-organization rollups."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import duckdb

import queries

HISTORY_TABLES = ("loads", "history_org", "history_registration")
# Statements written out in full: identifiers cannot be bound, and none comes from input.
CARRY = {
    "loads": "insert into loads by name select * from previous.loads",
    "history_org": "create table history_org as select * from previous.history_org",
    "history_registration":
        "create table history_registration as select * from previous.history_registration",
}
# history table -> (snapshot query, statement appending it, statement creating the table with it)
SNAPSHOTS = {
    "history_org": ("snapshot_org", "insert into history_org by name ",
                    "create table history_org as "),
    "history_registration": ("snapshot_registration", "insert into history_registration by name ",
                             "create table history_registration as "),
}

_SCHEMA = """
create table if not exists loads (
    load_id integer, as_of timestamp, loaded_at timestamp, source varchar, files integer,
    files_skipped integer, rows_read bigint, rows_loaded bigint, rows_quarantined bigint,
    rows_merged bigint, seconds double
);
"""


def carry_history(con: duckdb.DuckDBPyConnection, previous: Path | None) -> None:
    """Copy the history tables of the database being replaced into the new one."""
    con.execute(_SCHEMA)
    if previous is None:
        return
    try:
        con.execute("attach ? as previous (read_only)", [str(previous)])
    except duckdb.Error as exc:
        warnings.warn(f"previous database unreadable, history starts afresh: {exc}")
        return
    try:
        have = {r[0] for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'previous'").fetchall()}
        # Table names come from HISTORY_TABLES, never from input; identifiers cannot be bound.
        for table in HISTORY_TABLES:
            if table not in have:
                continue
            con.execute(CARRY[table])
    finally:
        con.execute("detach previous")


def record_load(con: duckdb.DuckDBPyConnection, *, as_of: dt.datetime, source: str,
                seconds: float) -> int:
    """Add this load to `loads`, make `current_load`, and append the snapshots; returns load_id."""
    load_id = con.execute("select coalesce(max(load_id), 0) + 1 from loads").fetchone()[0]
    con.execute(
        "insert into loads select ?, ?, ?, ?, count(*), count(*) filter (where status = 'skipped'), "
        "sum(rows_read), sum(rows_loaded), sum(rows_quarantined), sum(rows_merged), ? from load_log",
        [load_id, as_of, dt.datetime.now().replace(microsecond=0), source, round(seconds, 1)],
    )
    con.execute("create or replace table current_load as select * from loads where load_id = ?",
                [load_id])
    for table, (query, append, create) in SNAPSHOTS.items():
        exists = con.execute("select count(*) from duckdb_tables() where table_name = ? "
                             "and database_name = current_database()", [table]).fetchone()[0]
        con.execute((append if exists else create) + queries.sql(query))
    return load_id
