"""A reload where only dues files changed in place (a month re-exported, a late payment added).

The new load starts from an OS copy of the published database, reads the changed files alone
(into a side database beside it) and puts their rows in place of the old ones, in `files`, in
raw_dues and in typed_dues. Dues lines are the last input staging reads: no other staging table
depends on them, so every other staging table is the published one. What looks across dues
files is built again: duplicates (dues_duplicates), the quarantine and load log rows of dues
files, and the marts. The figures are those of a full load (tests compare every table).

Taken only when every file is where it was (the same paths: every file keeps its file_id), each
changed file was and still is read as dues, with as many `files` rows as before, and the
published staging was built by this version from its raw layer (reuse.published_state).
Otherwise the load reads as any reload does.
"""

from __future__ import annotations

import pathlib
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

import queries
from etl import labels, reuse
from etl.readers.store import FILES_COLUMNS, run

SIDE = "dues_side"
# The tables replaced in part: they must be in the published database.
TABLES = ("typed_dues", "dues_duplicates", "quarantine", "load_log")


def _dues_dispositions() -> str:
    """row_dispositions.sql's line for dues, as a temp view of that name. The other kinds'
    checked_ tables are not kept in a published database, and their rows do not change here."""
    line = next(line for line in queries.sql("row_dispositions").splitlines()
                if line.rstrip().endswith(" from checked_dues"))
    return ("create or replace temp view row_dispositions "
            "(kind, file_id, row_no, disposition, problem) as " + line)


@dataclass
class Changed:
    """The changed dues files of a reload and their file_ids in the published load."""

    paths: list[str]  # in path order
    ids: dict[str, list[int]]  # path -> its file_ids, in order
    reused: dict[str, list[tuple]]  # every unchanged path -> its `files` rows


def changed_dues(con: duckdb.DuckDBPyConnection, previous: pathlib.Path,
                 paths: list[pathlib.Path], prints: dict[str, reuse.Fingerprint],
                 sql_texts: Iterable[str], tables: Iterable[str]) -> Changed | None:
    """The changed files, when they are all dues files of the published load at the same paths
    as every other file; else None. `con` holds this version's label_codes."""
    if len(prints) != len({str(p) for p in paths}):
        return None  # a file could not be fingerprinted
    try:
        state = reuse.published_state(con, previous, sql_texts, tuple(tables) + TABLES)
        if state is None or set(state[0]) != set(prints):
            return None
        changed = sorted(p for p in prints if state[0][p] != prints[p])
        if not changed:
            return None
        names = ", ".join(name for name, _ in FILES_COLUMNS)
        rows: dict[str, list[tuple]] = {}
        for row in run(con, f"select {names} from {reuse.ALIAS}.files order by file_id"):
            rows.setdefault(row[1], []).append(row)
        kind = [n for n, _ in FILES_COLUMNS].index("kind")
        if any(r[kind] != "dues" for p in changed for r in rows[p]):
            return None
        return Changed(changed, {p: [r[0] for r in rows[p]] for p in changed},
                       {p: r for p, r in rows.items() if p not in changed})
    finally:
        reuse.detach(con)


def id_mapping(side: duckdb.DuckDBPyConnection, changed: Changed) -> list[tuple[int, int]] | None:
    """(side file_id, published file_id) for every `files` row the side read gave, when each
    changed file gave as many rows as before, all of dues; else None."""
    got: dict[str, list[tuple[int, str | None]]] = {}
    for file_id, path, kind in run(side, "select file_id, path, kind from files "
                                         "order by file_id"):
        got.setdefault(path, []).append((file_id, kind))
    if set(got) != set(changed.paths):
        return None
    mapping = []
    for path in changed.paths:
        new, old = got[path], changed.ids[path]
        if len(new) != len(old) or any(kind != "dues" for _, kind in new):
            return None
        mapping += [(n, o) for (n, _), o in zip(new, old, strict=True)]
    return mapping


def put_in_place(con: duckdb.DuckDBPyConnection, side_path: pathlib.Path,
                 mapping: list[tuple[int, int]]) -> None:
    """Replace the changed files' `files` and raw_dues rows with the side read's, under their
    published file_ids; the ids are kept in the temp table dues_changed (see replace_typed)."""
    run(con, "create or replace temp table dues_changed (side_id integer, file_id integer)")
    con.executemany("insert into dues_changed values (?, ?)", mapping)
    run(con, f"attach ? as {SIDE} (read_only)", [str(side_path)])
    try:
        names = [name for name, _ in FILES_COLUMNS]
        picked = ", ".join(["c.file_id"] + [f"f.{n}" for n in names[1:]])
        columns = ["row_no", *labels.HEADERS["dues"], "extra"]
        raw = ", ".join(f"r.{c}" for c in columns)
        for table in ("files", "raw_dues"):  # fixed names: identifiers cannot be bound
            run(con, f"delete from {table} where file_id in "
                     "(select file_id from dues_changed)")
        run(con, f"insert into files ({', '.join(names)}) select {picked} "
                 f"from {SIDE}.files f join dues_changed c on c.side_id = f.file_id")
        run(con, f"insert into raw_dues (file_id, {', '.join(columns)}) select c.file_id, {raw} "
                 f"from {SIDE}.raw_dues r join dues_changed c on c.side_id = r.file_id")
    finally:
        run(con, f"detach {SIDE}")


def replace_typed(con: duckdb.DuckDBPyConnection) -> None:
    """typed_dues rows of the changed files: the old ones go, typed_dues.sql gives the new ones.

    The query is row by row (each line typed with its own file, member and branches), so it is
    run as it is, on a temp view that stands for raw_dues and holds the changed files' rows.
    """
    run(con, "delete from typed_dues where file_id in (select file_id from dues_changed)")
    here = _quoted(run(con, "select current_database()")[0][0])
    run(con, "create or replace temp view raw_dues as select r.* from " + here
        + ".main.raw_dues r where r.file_id in (select file_id from dues_changed)")
    try:
        run(con, "insert into typed_dues by name select * from (" + queries.sql("typed_dues")
            + "\n)")
    finally:
        run(con, "drop view if exists temp.main.raw_dues")


def replace_bookkeeping(con: duckdb.DuckDBPyConnection) -> None:
    """The quarantine and load log rows of dues files, from checked_dues as now built: a change
    in one file can change which line of another is kept as a duplicate."""
    run(con, _dues_dispositions())
    try:
        run(con, "delete from quarantine where kind = 'dues'")
        run(con, "insert into quarantine by name select * from (" + queries.sql("quarantine")
            + "\n)")
        run(con, "delete from load_log where kind = 'dues'")
        run(con, "insert into load_log by name select * from (" + queries.sql("load_log")
            + "\n) where kind = 'dues'")
    finally:
        run(con, "drop view if exists temp.main.row_dispositions")


def clean_up(con: duckdb.DuckDBPyConnection) -> None:
    run(con, "drop table if exists temp.main.dues_changed")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def plan_of(changed: Changed, prints: dict[str, reuse.Fingerprint]) -> reuse.Plan:
    """The reload's plan: the unchanged files reused, the changed ones read."""
    return reuse.Plan(hashed=prints, reuse=changed.reused)

