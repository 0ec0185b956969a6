"""Loading a prepared large CSV with DuckDB's own reader, straight into raw_<kind>."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from etl import labels
from etl.readers.csvfile import iter_rows
from etl.readers.header import Header
from etl.readers.parts import BulkPlan
from etl.readers.sniff import codec_for
from etl.readers.store import Batches, run
from etl.readers.values import WHITESPACE

# Columns read beyond the header's width, for rows longer than the header (trailing commas).
SPARE = 8
MAX_LINE = 1 << 27


# trim() with a set of characters is slow in DuckDB (about 20 s per million rows of ten
# columns): only cells that begin or end with a space character go through it.
_CODES = ", ".join(str(ord(c)) for c in WHITESPACE)
_CHARS = "'" + WHITESPACE.replace("'", "''") + "'"


def _trimmed(c: str) -> str:
    """SQL for a cell trimmed as values.clean trims it (empty -> NULL)."""
    return (f"case when unicode({c}) > 32 and unicode({c}) not in ({_CODES}) "
            f"and unicode(right({c}, 1)) > 32 and unicode(right({c}, 1)) not in ({_CODES}) "
            f"then {c} else nullif(trim({c}, {_CHARS}), '') end")


class Mismatch(Exception):
    """DuckDB read the file differently from our scan; the caller reads it in Python instead."""


def load_planned(con: duckdb.DuckDBPyConnection, kind: str, plan: BulkPlan, file_id: int) -> int:
    """Insert a prepared file's data rows into raw_<kind> (DuckDB, else Python); how many."""
    try:
        return insert_bulk(con, plan, kind, file_id)
    except (Mismatch, duckdb.Error):
        # DuckDB read the file differently from our scan (stray quotes, very ragged rows):
        # the Python reader is slower but exact.
        run(con, f"delete from raw_{kind} where file_id = ?", [file_id])
    try:
        return insert_python(con, kind, plan, file_id)
    except Exception:
        run(con, f"delete from raw_{kind} where file_id = ?", [file_id])
        raise


def insert_python(con: duckdb.DuckDBPyConnection, kind: str, plan: BulkPlan, file_id: int) -> int:
    header = Header(0, kind, plan.columns, plan.extras, plan.width)
    batches, count = Batches(con), 0
    with open(plan.source, encoding=codec_for(plan.encoding), newline="") as stream:
        for rows in iter_rows(stream, plan.delimiter, header, plan.skip_lines, 100_000):
            count += len(rows)
            batches.add(file_id, rows)
    batches.flush()
    return count


def insert_bulk(con: duckdb.DuckDBPyConnection, plan: BulkPlan, kind: str, file_id: int) -> int:
    """Insert a prepared file's data rows into raw_<kind>; returns how many."""
    width = plan.width + SPARE
    previous = run(con, "select current_setting('preserve_insertion_order')")[0][0]
    # Kept order makes the staging table's rowid the record's ordinal in the file.
    run(con, "set preserve_insertion_order = true")
    try:
        _stage(con, plan, width)
        count, overflow = run(con, f"select count(*), count(c{width - 1}) from _zhtj_bulk")[0]
    finally:
        run(con, f"set preserve_insertion_order = {'true' if previous else 'false'}")
    try:
        if count != plan.records or overflow:
            raise Mismatch(f"{count} records read, {plan.records} scanned, {overflow} too wide")
        return _insert(con, plan, kind, file_id, width)
    finally:
        run(con, "drop table if exists _zhtj_bulk")


def _stage(con: duckdb.DuckDBPyConnection, plan: BulkPlan, width: int) -> None:
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    # DuckDB's parallel reader cannot pad short rows when records span lines.
    parallel = "false" if plan.quoted_newlines else "true"
    run(
        con,
        "create or replace temp table _zhtj_bulk as select * from read_csv($path, "
        f"header = false, skip = {int(plan.skip_lines)}, auto_detect = false, delim = $delim, "
        f"quote = '\"', escape = '\"', null_padding = true, strict_mode = false, "
        f"parallel = {parallel}, max_line_size = {MAX_LINE}, columns = {columns})",
        {"path": plan.path, "delim": plan.delimiter},
    )


def _insert(con, plan: BulkPlan, kind: str, file_id: int, width: int) -> int:
    mapped = {col: i for i, col in plan.columns.items()}
    params: dict[str, object] = {"file_id": file_id, "base": plan.skip_lines + 1}
    trimmed = ", ".join(f"{_trimmed(f'c{i}')} as c{i}" for i in range(width))
    selects = [f"c{mapped[col]}" if col in mapped else "null" for col in labels.HEADERS[kind]]
    others = [i for i in range(width) if i not in plan.columns]
    entries = []
    for n, i in enumerate(others):
        params[f"k{n}"] = plan.extras.get(i) or f"列{i + 1}"
        entries.append(f"{{'k': $k{n}, 'v': c{i}}}")
    extra = "null" if not others else (
        f"case when coalesce({', '.join(f'c{i}' for i in others)}) is null then null else "
        f"to_json(map_from_entries(list_filter([{', '.join(entries)}], "
        "lambda x: x.v is not null))) "
        "end")
    offsets = "0"
    join = ""
    if plan.offsets:
        con.register("_zhtj_offsets", pa.table({
            "k": pa.array([k for k, _ in plan.offsets], pa.int64()),
            "off": pa.array([o for _, o in plan.offsets], pa.int64())}))
        join = "asof left join _zhtj_offsets o on t.k >= o.k"
        offsets = "coalesce(o.off, 0)"
    names = ", ".join(labels.HEADERS[kind])
    sql = (
        f"insert into raw_{kind} (file_id, row_no, {names}, extra) "
        f"select $file_id, $base + t.k + {offsets}, {', '.join(selects)}, {extra} "
        f"from (select rowid as k, {trimmed} from _zhtj_bulk) t {join} "
        f"where coalesce({', '.join(f'c{i}' for i in range(width))}) is not null"
    )
    try:
        return run(con, sql, params)[0][0]
    finally:
        if plan.offsets:
            con.unregister("_zhtj_offsets")
