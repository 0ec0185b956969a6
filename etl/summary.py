"""The table printed at the end of a load: files by kind, rows, quarantine by reason, time."""

from __future__ import annotations

from pathlib import Path

import duckdb
from rich.table import Table

from etl.labels import KIND_LABELS
from etl.progress import console


def shown_path(path: str, source: Path | None) -> str:
    """A file's name as the user gave it: relative to SOURCE when under it, whole otherwise."""
    if source is None:
        return path
    try:
        rel = Path(path).resolve().relative_to(Path(source).resolve())
    except ValueError:
        return path
    return str(rel) if str(rel) != "." else Path(path).name


def print_summary(con: duckdb.DuckDBPyConnection, db: Path, seconds: float,
                  source: Path | None = None) -> None:
    by_kind = con.execute(
        "select kind, count(*), sum(rows_read), sum(rows_loaded), sum(rows_quarantined), "
        "sum(rows_merged) from load_log where status = 'read' group by kind order by kind"
    ).fetchall()
    table = Table(title="导入汇总 / load summary")
    for col in ("类型 kind", "文件 files", "读取 read", "导入 loaded", "隔离 quarantined",
                "合并重复 merged"):
        table.add_column(col, justify="right" if "kind" not in col else "left", overflow="fold")
    for kind, files, read, loaded, quarantined, merged in by_kind:
        zh, en = KIND_LABELS.get(kind, (kind, kind))
        table.add_row(f"{zh} {en}", f"{files:,}", f"{read:,}", f"{loaded:,}",
                      f"{quarantined:,}", f"{merged:,}")
    console.print(table)

    # Duplicate reasons name the row kept; group them without it.
    reasons = con.execute(
        "select kind, regexp_replace(reason_zh, '，保留.*$', '') as zh, "
        "regexp_replace(reason_en, '; kept .*$', '') as en, count(*) as n from quarantine "
        "group by all order by n desc, kind limit 20").fetchall()
    if reasons:
        rt = Table(title="隔离原因 / quarantined by reason")
        for col in ("类型 kind", "原因 reason", "行数 rows"):
            rt.add_column(col)
        for kind, zh, en, n in reasons:
            rt.add_row(kind, f"{zh} / {en}", f"{n:,}")
        console.print(rt)

    # File names are printed whole, one a line, never folded or cut to the terminal's width
    # (soft_wrap): the user must be able to find the file to fix.
    by_file = con.execute(
        "select path, sum(rows_quarantined)::bigint as n from load_log where rows_quarantined > 0 "
        "group by path order by n desc, path limit 20").fetchall()
    if by_file:
        console.print("隔离行数最多的文件 / files with the most quarantined rows:")
        for path, n in by_file:
            console.print(f"  {n:>9,}  {shown_path(path, source)}", soft_wrap=True,
                          markup=False, highlight=False)
    skipped = con.execute("select path, reason_zh, reason_en from files "
                          "where status = 'skipped' order by file_id").fetchall()
    for path, zh, en in skipped:
        console.print(f"未读取 / skipped: {shown_path(path, source)}: {zh} / {en}",
                      soft_wrap=True, markup=False, highlight=False, style="red")

    read, loaded, quarantined, merged = con.execute(
        "select coalesce(sum(rows_read),0), coalesce(sum(rows_loaded),0), "
        "coalesce(sum(rows_quarantined),0), coalesce(sum(rows_merged),0) from load_log").fetchone()
    console.print(f"用时 / time: {seconds:.1f} s")
    print(f"数据库 / database: {db}")
    print(f"已导入 {loaded:,} 行，隔离 {quarantined:,} 行，合并重复 {merged:,} 行，共读取 {read:,} 行"
          f"（{len(skipped)} 个文件未读取） / loaded {loaded:,} rows, quarantined {quarantined:,}, "
          f"merged {merged:,} duplicates, of {read:,} read ({len(skipped)} file(s) skipped)")
