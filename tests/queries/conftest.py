"""Build a database from hand-written raw rows, running the real staging and mart queries."""

from __future__ import annotations

import contextlib

import duckdb
import pytest
from stdnum.cn import ric

from etl import labels
from etl.load import build, prepare


def make_id(birth: str = "20050101", seq: int = 1, prefix: str = "440106") -> str:
    """A valid 18-character ID number (county code 440106)."""
    body = f"{prefix}{birth}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def create_raw(con: duckdb.DuckDBPyConnection, data: dict[str, list[dict]],
               titles: dict[int, str] | None = None) -> None:
    """files + raw_<kind> as the extractor leaves them; each row dict may set 'file_id'."""
    con.execute("create table files (file_id integer, path varchar, sheet varchar, kind varchar, "
                "encoding varchar, header_row integer, title varchar, rows_read bigint, "
                "bytes bigint, status varchar, reason_zh varchar, reason_en varchar)")
    for kind, cols in labels.HEADERS.items():
        col_sql = ", ".join(f"{c} varchar" for c in cols)
        con.execute(f"create table raw_{kind} (file_id integer, row_no integer, {col_sql}, "
                    "extra varchar)")
    insert_raw(con, data, titles)


def insert_raw(con: duckdb.DuckDBPyConnection, data: dict[str, list[dict]],
               titles: dict[int, str] | None = None) -> None:
    """Add rows to the raw_<kind> tables, and a files row for each (file, kind) they name."""
    titles = titles or {}
    counts: dict[tuple[int, str], int] = {}
    for kind, cols in labels.HEADERS.items():
        for i, row in enumerate(data.get(kind, [])):
            file_id = row.get("file_id", _default_file(kind))
            row_no = row.get("row_no", i + 2)
            values = [None if row.get(c) is None else str(row[c]) for c in cols]
            con.execute(f"insert into raw_{kind} values (?, ?, {', '.join('?' * len(cols))}, null)",
                        [file_id, row_no, *values])
            counts[(file_id, kind)] = counts.get((file_id, kind), 0) + 1
    for (file_id, kind), n in sorted(counts.items()):
        con.execute("insert into files values (?, ?, null, ?, 'utf-8', 1, ?, ?, 0, 'read', null, null)",
                    [file_id, f"/data/{kind}_{file_id}.xlsx", kind, titles.get(file_id), n])


def _default_file(kind: str) -> int:
    return list(labels.HEADERS).index(kind) + 1


def run_pipeline(data: dict[str, list[dict]], titles: dict[int, str] | None = None):
    con = duckdb.connect()
    prepare(con)
    create_raw(con, data, titles)
    build(con)
    return con


@pytest.fixture
def pipeline():
    return run_pipeline


def rows(con, sql: str, params=None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


# What each kind's staging queries need built first (org references, members for dues, ...).
_NEEDS = {
    "orgs": ("orgs",),
    "members": ("orgs", "members"),
    "cadres": ("orgs", "cadres"),
    "transfers": ("orgs", "transfers"),
    "campaigns": ("orgs", "campaigns"),
    "roster": ("orgs", "campaigns", "roster"),
    "dues": ("orgs", "members", "dues"),
}


def _kind_of_table(staging: tuple[str, ...]) -> dict[str, str]:
    """Each staging query's kind: named in it (checked_members), else that of the query before
    it in build order (org_tree and org_refs come with the orgs)."""
    out, kind = {}, "orgs"
    for name in staging:
        kind = next((k for k in _NEEDS if name.endswith("_" + k)), kind)
        out[name] = kind
    return out


def build_staging(con: duckdb.DuckDBPyConnection, data: dict[str, list[dict]], kind: str,
                  titles: dict[int, str] | None = None) -> duckdb.DuckDBPyConnection:
    """Raw rows -> the staging tables of `kind` and what they need, checked_* tables kept;
    kind "all" builds every staging table and the bookkeeping (row_dispositions, quarantine,
    load_log) too. Expects `prepare` to have run on the connection."""
    create_raw(con, data, titles)
    kinds = set(_NEEDS) if kind == "all" else set(_NEEDS[kind])
    _build_kinds(con, kinds, bookkeeping=kind == "all")
    return con


def _build_kinds(con: duckdb.DuckDBPyConnection, kinds: set[str], bookkeeping: bool = False):
    from etl.idcheck import build_ric_places
    from etl.load import BOOKKEEPING, STAGING, build_table

    build_ric_places(con)
    for name, table_kind in _kind_of_table(STAGING).items():
        if table_kind in kinds:
            build_table(con, name)
    if bookkeeping:
        for name in BOOKKEEPING:
            build_table(con, name)


def staged_once(data: dict[str, list[dict]], kind: str,
                titles: dict[int, str] | None = None) -> duckdb.DuckDBPyConnection:
    """build_staging on a new connection: for module fixtures that check many cases at once."""
    con = duckdb.connect()
    prepare(con)
    return build_staging(con, data, kind, titles)


@pytest.fixture(scope="session")
def _prepared_con():
    """One connection with the label table and macros, shared by the `stage` fixture."""
    con = duckdb.connect()
    prepare(con)
    yield con
    con.close()


@pytest.fixture
def stage(_prepared_con):
    """stage(data, kind, titles=None): build_staging in a transaction rolled back after the
    test, so tests share one prepared connection and stay fast."""
    con = _prepared_con
    con.execute("begin")
    yield lambda data, kind, titles=None: build_staging(con, data, kind, titles)
    con.execute("rollback")


def outcomes(con, table: str) -> list[tuple]:
    """(row_no, disposition, column, value, reason_zh, reason_en) of every row of a checked_*
    table, in file order; the problem fields are None for loaded and merged rows."""
    return rows(con, f"select row_no, disposition, problem.column_name, problem.value, "
                     f"problem.reason_zh, problem.reason_en from {table} order by file_id, row_no")


class StagedBase:
    """A connection where some rows (the organizations, perhaps the members) are staged once,
    for a module whose cases all share them: `with base.staging() as stage:` then
    `stage(data, kind, titles)` adds rows of other kinds and builds their staging tables in a
    transaction rolled back at the end."""

    def __init__(self, data: dict[str, list[dict]]):
        self.kinds = {k for kind in data for k in _NEEDS[kind]}
        self.con = duckdb.connect()
        prepare(self.con)
        create_raw(self.con, data)
        _build_kinds(self.con, self.kinds)

    @contextlib.contextmanager
    def staging(self):
        con = self.con
        con.execute("begin")

        def run(data: dict[str, list[dict]], kind: str, titles: dict[int, str] | None = None):
            assert not self.kinds & set(data), "these kinds are fixed here; use `stage`"
            insert_raw(con, data, titles)
            _build_kinds(con, set(_NEEDS[kind]) - self.kinds)
            return con

        try:
            yield run
        finally:
            con.execute("rollback")

    def close(self) -> None:
        self.con.close()
