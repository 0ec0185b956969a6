"""A reload where only files of leaf kinds changed in place: dues (a month re-exported, a late
payment added), cadres, transfers, registration campaigns or rosters.

The new load starts from an OS copy of the published database, reads the changed files alone
(into a side database beside it) and puts their rows in place of the old ones, in `files` and
in the raw layer. No other staging table reads these kinds (the roster reads the campaigns, and
is rebuilt with them), so members, organizations and the rest of staging are the published
ones. What reads the changed kinds is built again: for dues, the changed files' typed rows
(typed_dues is row by row) and the duplicates across files; for the others, their checked and
staging tables and `ric_places` (built from every ID column); then the quarantine and load log
rows of the changed kinds, and the marts. The figures are those of a full load (tests compare
every table).

Taken only when every file is where it was (the same paths: every file keeps its file_id), each
changed file was and still is read as these kinds, with as many `files` rows as before, and the
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

SIDE = "changed_side"
# What each kind's change builds again of staging, besides the quarantine and the load log.
# typed_dues is replaced for the changed files only (replace_typed).
REBUILT = {
    "dues": ("typed_dues", "dues_duplicates"),
    "cadres": ("ric_places", "checked_cadres", "stg_cadres"),
    "transfers": ("ric_places", "checked_transfers", "stg_transfers"),
    "roster": ("ric_places", "checked_roster", "stg_roster"),
    "campaigns": ("checked_campaigns", "stg_campaigns", "checked_roster", "stg_roster"),
}
# The tables replaced in part: they must be in the published database.
TABLES = ("typed_dues", "dues_duplicates", "quarantine", "load_log")
_KIND = [name for name, _ in FILES_COLUMNS].index("kind")


@dataclass
class Changed:
    """The changed files of a reload, their file_ids in the published load and their kinds."""

    paths: list[str]  # in path order
    ids: dict[str, list[int]]  # path -> its file_ids, in order
    kinds: set[str]  # of the changed files, in the published load
    reused: dict[str, list[tuple]]  # every unchanged path -> its `files` rows


def rebuilt(kinds: Iterable[str]) -> set[str]:
    """The staging tables built again when files of these kinds changed."""
    return {name for kind in kinds for name in REBUILT[kind]}


def bookkept(kinds: Iterable[str]) -> set[str]:
    """The kinds whose quarantine and load log rows are built again (the roster with the
    campaigns it reads)."""
    kinds = set(kinds)
    return kinds | ({"roster"} if "campaigns" in kinds else set())


def changed_files(con: duckdb.DuckDBPyConnection, previous: pathlib.Path,
                  paths: list[pathlib.Path], prints: dict[str, reuse.Fingerprint],
                  sql_texts: Iterable[str], tables: Iterable[str]) -> Changed | None:
    """The changed files, when they are all files of leaf kinds (REBUILT) in the published load,
    at the same paths as every other file; else None. `con` holds this version's label_codes."""
    if len(prints) != len({str(p) for p in paths}):
        return None  # a file could not be fingerprinted
    try:
        state = reuse.published_state(con, previous, sql_texts, tuple(tables) + TABLES)
        if state is None or set(state[0]) != set(prints):
            return None
        changed = sorted(p for p in prints if state[0][p] != prints[p])
        if not changed:
            return None
        rows = reuse.files_by_path(con, published=True)
        kinds = {r[_KIND] for p in changed for r in rows[p]}
        if not kinds <= set(REBUILT):
            return None
        return Changed(changed, {p: [r[0] for r in rows[p]] for p in changed}, kinds,
                       {p: r for p, r in rows.items() if p not in changed})
    finally:
        reuse.detach(con)


def id_mapping(side: duckdb.DuckDBPyConnection, changed: Changed
               ) -> tuple[list[tuple[int, int]], set[str]] | None:
    """(side file_id, published file_id) for every `files` row the side read gave, and every
    kind changed (before and now), when each changed file gave as many rows as before, all of
    leaf kinds; else None."""
    got: dict[str, list[tuple[int, str | None]]] = {}
    for file_id, path, kind in run(side, "select file_id, path, kind from files "
                                         "order by file_id"):
        got.setdefault(path, []).append((file_id, kind))
    if set(got) != set(changed.paths):
        return None
    mapping, kinds = [], set(changed.kinds)
    for path in changed.paths:
        new, old = got[path], changed.ids[path]
        if len(new) != len(old) or any(kind not in REBUILT for _, kind in new):
            return None
        mapping += [(n, o) for (n, _), o in zip(new, old, strict=True)]
        kinds |= {kind for _, kind in new}
    return mapping, kinds


def put_in_place(con: duckdb.DuckDBPyConnection, side_path: pathlib.Path,
                 mapping: list[tuple[int, int]], kinds: Iterable[str]) -> None:
    """Replace the changed files' `files` and raw rows with the side read's, under their
    published file_ids; the ids are kept in the temp table files_changed (see replace_typed)."""
    run(con, "create or replace temp table files_changed (side_id integer, file_id integer)")
    con.executemany("insert into files_changed values (?, ?)", mapping)
    run(con, f"attach ? as {SIDE} (read_only)", [str(side_path)])
    try:
        names = [name for name, _ in FILES_COLUMNS]
        picked = ", ".join(["c.file_id"] + [f"f.{n}" for n in names[1:]])
        run(con, "delete from files where file_id in (select file_id from files_changed)")
        run(con, f"insert into files ({', '.join(names)}) select {picked} "
                 f"from {SIDE}.files f join files_changed c on c.side_id = f.file_id")
        for kind in sorted(set(kinds)):  # kinds of labels.HEADERS: identifiers cannot be bound
            columns = ["row_no", *labels.HEADERS[kind], "extra"]
            raw = ", ".join(f"r.{c}" for c in columns)
            run(con, f"delete from raw_{kind} where file_id in "
                     "(select file_id from files_changed)")
            run(con, f"insert into raw_{kind} (file_id, {', '.join(columns)}) "
                     f"select c.file_id, {raw} from {SIDE}.raw_{kind} r "
                     "join files_changed c on c.side_id = r.file_id")
    finally:
        run(con, f"detach {SIDE}")


def replace_typed(con: duckdb.DuckDBPyConnection) -> None:
    """typed_dues rows of the changed files: the old ones go, typed_dues.sql gives the new ones.

    The query is row by row (each line typed with its own file, member and branches), so it is
    run as it is, on a temp view that stands for raw_dues and holds the changed files' rows.
    """
    run(con, "delete from typed_dues where file_id in (select file_id from files_changed)")
    here = _quoted(run(con, "select current_database()")[0][0])
    run(con, "create or replace temp view raw_dues as select r.* from " + here
        + ".main.raw_dues r where r.file_id in (select file_id from files_changed)")
    try:
        run(con, "insert into typed_dues by name select * from (" + queries.sql("typed_dues")
            + "\n)")
    finally:
        run(con, "drop view if exists temp.main.raw_dues")


def replace_bookkeeping(con: duckdb.DuckDBPyConnection, kinds: Iterable[str]) -> None:
    """The quarantine and load log rows of the files of these kinds, from their checked tables
    as now built: a change in one dues file can change which line of another is kept."""
    kinds = sorted(set(kinds))
    run(con, _dispositions(kinds))
    try:
        marks = ", ".join("?" for _ in kinds)
        run(con, f"delete from quarantine where kind in ({marks})", kinds)
        run(con, "insert into quarantine by name select * from (" + queries.sql("quarantine")
            + "\n)")
        run(con, f"delete from load_log where kind in ({marks})", kinds)
        run(con, "insert into load_log by name select * from (" + queries.sql("load_log")
            + f"\n) where kind in ({marks})", kinds)
    finally:
        run(con, "drop view if exists temp.main.row_dispositions")


def _dispositions(kinds: list[str]) -> str:
    """row_dispositions.sql's lines for these kinds, as a temp view of that name. The other
    kinds' checked_ tables are not kept in a published database, and their rows do not
    change here."""
    lines = [line.strip() for line in queries.sql("row_dispositions").splitlines()
             if line.strip().startswith("select '")]
    picked = [line for line in lines if line.split("'")[1] in kinds]
    return ("create or replace temp view row_dispositions "
            "(kind, file_id, row_no, disposition, problem) as "
            + " union all ".join(line.replace(" as kind,", ",", 1) for line in picked))


def clean_up(con: duckdb.DuckDBPyConnection) -> None:
    run(con, "drop table if exists temp.main.files_changed")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def plan_of(changed: Changed, prints: dict[str, reuse.Fingerprint]) -> reuse.Plan:
    """The reload's plan: the unchanged files reused, the changed ones read."""
    return reuse.Plan(hashed=prints, reuse=changed.reused)
