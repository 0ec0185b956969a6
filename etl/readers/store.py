"""The `files` and `raw_<kind>` tables, and batched inserts into them through Arrow."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from etl import labels
from etl.readers.parts import Rows

FILES_COLUMNS = (
    ("file_id", "integer"), ("path", "varchar"), ("sheet", "varchar"), ("kind", "varchar"),
    ("encoding", "varchar"), ("header_row", "integer"), ("title", "varchar"),
    ("rows_read", "bigint"), ("bytes", "bigint"), ("status", "varchar"),
    ("reason_zh", "varchar"), ("reason_en", "varchar"),
)
_ARROW = {"integer": pa.int32(), "bigint": pa.int64(), "varchar": pa.string()}
BATCH_ROWS = 20_000


def run(con: duckdb.DuckDBPyConnection, sql: str, params=None) -> list[tuple]:
    """Execute and fetch everything: DuckDB refuses new work while a result is unfinished."""
    return (con.execute(sql) if params is None else con.execute(sql, params)).fetchall()


def raw_columns(kind: str) -> list[str]:
    return ["file_id", "row_no", *labels.HEADERS[kind], "extra"]


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create `files` and one empty `raw_<kind>` per kind; names come from fixed lists."""
    cols = ", ".join(f"{name} {typ}" for name, typ in FILES_COLUMNS)
    run(con, f"create or replace table files ({cols})")
    for kind in labels.HEADERS:
        text = ", ".join(f"{c} varchar" for c in labels.HEADERS[kind])
        run(con, f"create or replace table raw_{kind} "
                    f"(file_id integer, row_no integer, {text}, extra varchar)")


def insert_arrow(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    con.register("_zhtj_batch", data)
    try:
        names = ", ".join(data.column_names)
        run(con, f"insert into {table} ({names}) select {names} from _zhtj_batch")
    finally:
        con.unregister("_zhtj_batch")


def insert_files(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    arrays = {name: pa.array([r[i] for r in rows], type=_ARROW[typ])
              for i, (name, typ) in enumerate(FILES_COLUMNS)}
    insert_arrow(con, "files", pa.table(arrays))


class Batches:
    """Rows of many files gathered per kind and inserted in a few large statements."""

    def __init__(self, con: duckdb.DuckDBPyConnection, limit: int = BATCH_ROWS) -> None:
        self.con, self.limit = con, limit
        self._pending: dict[str, list[tuple[int, Rows]]] = {}
        self._count: dict[str, int] = {}

    def add(self, file_id: int, rows: Rows) -> None:
        self._pending.setdefault(rows.kind, []).append((file_id, rows))
        self._count[rows.kind] = self._count.get(rows.kind, 0) + len(rows)
        if self._count[rows.kind] >= self.limit:
            self.flush(rows.kind)

    def flush(self, kind: str | None = None) -> None:
        for k in [kind] if kind else list(self._pending):
            parts = self._pending.pop(k, [])
            self._count[k] = 0
            if parts:
                insert_arrow(self.con, f"raw_{k}", _to_arrow(k, parts))


def _to_arrow(kind: str, parts: list[tuple[int, Rows]]) -> pa.Table:
    file_ids, row_nos, extra = [], [], []
    values: dict[str, list] = {c: [] for c in labels.HEADERS[kind]}
    for file_id, rows in parts:
        file_ids.extend([file_id] * len(rows))
        row_nos.extend(rows.row_no)
        extra.extend(rows.extra)
        for col, target in values.items():
            target.extend(rows.values[col])
    arrays = {"file_id": pa.array(file_ids, pa.int32()), "row_no": pa.array(row_nos, pa.int32())}
    arrays.update({c: pa.array(v, pa.string()) for c, v in values.items()})
    arrays["extra"] = pa.array(extra, pa.string())
    return pa.table(arrays)
