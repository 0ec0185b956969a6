"""The guard against loads that would wipe the data: a kind of file the previous load had and this
one lacks, or whose rows fall by more than half, stops the load unless the shrink is intended."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.labels import KIND_LABELS

# A kind whose rows fall below this share of the previous load's is a shrink.
KEEP_AT_LEAST = 0.5


def rows_by_kind(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, int]:
    """Rows read per kind from the files that were read; table is 'files' or 'load_log'."""
    if table not in ("files", "load_log"):
        raise ValueError(table)
    return dict(con.execute(
        "select kind, sum(rows_read)::bigint from " + table +  # table from the fixed pair above
        " where status = 'read' and kind is not null group by kind").fetchall())


def previous_rows(previous: Path) -> dict[str, int] | None:
    """The previous database's rows per kind, or None when it has none to compare with."""
    try:
        con = duckdb.connect(str(previous), read_only=True)
    except duckdb.Error:
        return None
    try:
        has_log = con.execute("select count(*) from duckdb_tables() "
                              "where table_name = 'load_log'").fetchone()[0]
        return rows_by_kind(con, "load_log") if has_log else None
    finally:
        con.close()


def shrinkage(before: dict[str, int], now: dict[str, int]) -> list[str]:
    """One bilingual line per kind that is missing or fell by more than half."""
    lines = []
    for kind, rows in sorted(before.items()):
        if rows <= 0:
            continue
        zh, en = KIND_LABELS.get(kind, (kind, kind))
        got = now.get(kind, 0)
        if got == 0:
            lines.append(f"缺少{zh}文件（上次导入 {rows:,} 行） / no {en} files "
                         f"(the previous load had {rows:,} rows)")
        elif got < rows * KEEP_AT_LEAST:
            lines.append(f"{zh}行数从 {rows:,} 降至 {got:,} / {en} rows fell from {rows:,} "
                         f"to {got:,}")
    return lines
