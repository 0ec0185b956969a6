"""Build a database from hand-written raw rows, running the real staging and mart queries."""

from __future__ import annotations

import duckdb
import pytest
from stdnum.cn import ric

from etl import labels
from etl.load import build, prepare


def make_id(birth: str = "20050101", seq: int = 1, prefix: str = "440106") -> str:
    """A valid 18-character ID number (Guangzhou Tianhe county code)."""
    body = f"{prefix}{birth}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def create_raw(con: duckdb.DuckDBPyConnection, data: dict[str, list[dict]],
               titles: dict[int, str] | None = None) -> None:
    """files + raw_<kind> as the extractor leaves them; each row dict may set 'file_id'."""
    titles = titles or {}
    con.execute("create table files (file_id integer, path varchar, sheet varchar, kind varchar, "
                "encoding varchar, header_row integer, title varchar, rows_read bigint, "
                "bytes bigint, status varchar, reason_zh varchar, reason_en varchar)")
    counts: dict[tuple[int, str], int] = {}
    for kind, cols in labels.HEADERS.items():
        col_sql = ", ".join(f"{c} varchar" for c in cols)
        con.execute(f"create table raw_{kind} (file_id integer, row_no integer, {col_sql}, "
                    "extra varchar)")
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
