"""History across loads: each load's record and a dated snapshot of the per-organization rollups."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import duckdb

import queries
from etl import archive as history_archive

HISTORY_TABLES = ("loads", "history_org", "history_registration", "history_items")
# Statements written out in full: identifiers cannot be bound, and none comes from input.
CARRY = {
    "loads": "insert into loads by name select * from previous.loads",
    "history_org": "create table history_org as select * from previous.history_org",
    "history_registration":
        "create table history_registration as select * from previous.history_registration",
    "history_items": "create table history_items as select * from previous.history_items",
}
# history table -> (snapshot query, statement appending it, statement creating the table with it)
SNAPSHOTS = {
    "history_org": ("snapshot_org", "insert into history_org by name ",
                    "create table history_org as "),
    "history_registration": ("snapshot_registration", "insert into history_registration by name ",
                             "create table history_registration as "),
    "history_items": ("snapshot_items", "insert into history_items by name ",
                      "create table history_items as "),
}

_SCHEMA = """
create table if not exists loads (
    load_id integer, as_of timestamp, loaded_at timestamp, source varchar, files integer,
    files_skipped integer, rows_read bigint, rows_loaded bigint, rows_quarantined bigint,
    rows_merged bigint, seconds double
);
"""
# Made before the first snapshot_items, which reads the previous load's rows from it.
_ITEMS_SCHEMA = """
create table if not exists history_items (
    load_id integer, as_of timestamp, kind varchar, item_key varchar, org_id varchar,
    campaign varchar, name varchar, id_number varchar, position varchar, step integer,
    roster bigint, approved bigint, waiting_since timestamp, months_unpaid integer,
    amount_owed_yuan decimal(18, 2), open_since timestamp
);
"""


def carry_history(con: duckdb.DuckDBPyConnection, previous: Path | None,
                  archive: Path | None = None, *, allow_damaged: bool = False) -> list[str]:
    """Copy the history tables of the database being replaced into the new one, then add every
    load the archive holds that the previous database lacks (all of them when it is missing or
    unreadable). Returns warnings; a damaged archive file raises ArchiveDamaged naming it, unless
    allow_damaged, when that load's history is left out and named in a warning."""
    con.execute(_SCHEMA)
    notes: list[str] = []
    if previous is not None:
        notes += _carry_previous(con, previous)
    if archive is not None:
        notes += _restore_archived(con, Path(archive), allow_damaged=allow_damaged)
    return notes


def _carry_previous(con: duckdb.DuckDBPyConnection, previous: Path) -> list[str]:
    try:
        con.execute("attach ? as previous (read_only)", [str(previous)])
    except duckdb.Error as exc:
        message = f"previous database unreadable, history starts afresh: {exc}"
        warnings.warn(message)
        return [f"原数据库无法读取，历史从存档重建 / {message} (rebuilt from the archive)"]
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
    return []


def _restore_archived(con: duckdb.DuckDBPyConnection, archive: Path, *,
                      allow_damaged: bool) -> list[str]:
    have = {r[0] for r in con.execute("select load_id from loads").fetchall()}
    missing = [i for i in history_archive.archived_loads(archive) if i not in have]
    problems = [p for i in missing for p in history_archive.check_load(archive, i)]
    if problems and not allow_damaged:
        raise history_archive.ArchiveDamaged("; ".join(str(p) for p in problems))
    damaged = {p.load_id for p in problems}
    good = [i for i in missing if i not in damaged]
    for table, rows in history_archive.read_loads(archive, good).items():
        if table not in HISTORY_TABLES:
            continue  # a table this version does not keep
        exists = con.execute("select count(*) from duckdb_tables() where table_name = ? "
                             "and database_name = current_database()", [table]).fetchall()[0][0]
        con.register("archived_rows", rows)
        try:
            # table names come from HISTORY_TABLES, never from input
            con.execute(('insert into "' + table + '" by name ' if exists
                         else 'create table "' + table + '" as ') + "select * from archived_rows")
        finally:
            con.unregister("archived_rows")
    return [f"历史存档文件损坏，已跳过 / history archive file damaged, left out: {p}"
            for p in problems]


def archive_history(con: duckdb.DuckDBPyConnection, archive: Path) -> list[int]:
    """Write every load of this database's history that the archive does not hold yet (this
    load, and the loads of a database made before the archive existed); returns their ids."""
    done = set(history_archive.archived_loads(archive))
    todo = [r[0] for r in con.execute("select load_id from loads order by load_id").fetchall()
            if r[0] not in done]
    for load_id in todo:
        history_archive.write_load(con, archive, load_id, HISTORY_TABLES)
    return todo


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
    con.execute(_ITEMS_SCHEMA)
    for table, (query, append, create) in SNAPSHOTS.items():
        exists = con.execute("select count(*) from duckdb_tables() where table_name = ? "
                             "and database_name = current_database()", [table]).fetchone()[0]
        con.execute((append if exists else create) + queries.sql(query))
    build_progress(con, load_id)
    return load_id


# Built once the load is in the history: this load against the previous one, for every subtree.
# The item states are also kept for periods starting at a few loads before the previous one (a
# month of weekly loads), so that the progress page lists them without joining the history.
KEPT_PERIODS = 4
PROGRESS = {
    "progress_item_states": "create or replace table progress_item_states as ",
    "org_rollup_progress": "create or replace table org_rollup_progress as ",
    "org_rollup_progress_total": "create or replace table org_rollup_progress_total as ",
    "history_item_counts": "create or replace table history_item_counts as ",
}


def kept_starts(earlier: list[int]) -> list[int]:
    """The loads whose period to the latest is kept, from the loads before the latest (latest
    first): the previous one (the default period) and the KEPT_PERIODS - 1 before it."""
    return earlier[:KEPT_PERIODS]


def build_progress(con: duckdb.DuckDBPyConnection, load_id: int) -> None:
    """progress_item_states (this load against the previous one, then against each of a few
    loads before that) and the default period's rollups."""
    earlier = [r[0] for r in con.execute("select load_id from loads where load_id < ? "
                                         "order by load_id desc", [load_id]).fetchall()]
    starts = kept_starts(earlier) or [None]
    bounds = con.execute("select min(seq), max(seq) from org_tree").fetchall()[0]
    params = {"seq": bounds[0] or 0, "seq_last": bounds[1] or 0, "from_load": starts[0],
              "to_load": load_id, "is_default_period": True}
    for name, create in PROGRESS.items():
        text, used = queries.native(name)
        con.execute(create + text, {k: v for k, v in params.items() if k in used})
        if name == "progress_item_states":  # the earlier periods, appended in turn
            for start in starts[1:]:
                more = {**params, "from_load": start, "is_default_period": False}
                con.execute("insert into progress_item_states " + text,
                            {k: v for k, v in more.items() if k in used})
