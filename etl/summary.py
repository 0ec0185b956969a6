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


def facts(con: duckdb.DuckDBPyConnection, source: Path | None = None) -> dict:
    """What the summary says, as data (the command line prints it; the import page shows it):
    files and rows by kind, quarantine by reason, the files with the most quarantined rows,
    skipped files and the totals."""
    by_kind = con.execute(
        "select kind, count(*), sum(rows_read), sum(rows_loaded), sum(rows_quarantined), "
        "sum(rows_merged) from load_log where status = 'read' group by kind order by kind"
    ).fetchall()
    # Duplicate reasons name the row kept; group them without it.
    reasons = con.execute(
        "select kind, regexp_replace(reason_zh, '，保留.*$', '') as zh, "
        "regexp_replace(reason_en, '; kept .*$', '') as en, count(*) as n from quarantine "
        "group by all order by n desc, kind limit 20").fetchall()
    by_file = con.execute(
        "select path, sum(rows_quarantined)::bigint as n from load_log where rows_quarantined > 0 "
        "group by path order by n desc, path limit 20").fetchall()
    skipped = con.execute("select path, reason_zh, reason_en from files "
                          "where status = 'skipped' order by file_id").fetchall()
    read, loaded, quarantined, merged = con.execute(
        "select coalesce(sum(rows_read),0), coalesce(sum(rows_loaded),0), "
        "coalesce(sum(rows_quarantined),0), coalesce(sum(rows_merged),0) from load_log").fetchone()
    reused = con.execute(
        "select count(*) filter (where not reused), count(*) filter (where reused) "
        "from file_prints").fetchone() if _has(con, "file_prints") else (None, None)
    return {
        "files": {"read": reused[0], "reused": reused[1]},
        "kinds": [{"kind": kind, "label_zh": KIND_LABELS.get(kind, (kind, kind))[0],
                   "label_en": KIND_LABELS.get(kind, (kind, kind))[1], "files": int(files),
                   "read": int(r), "loaded": int(lo), "quarantined": int(q), "merged": int(m)}
                  for kind, files, r, lo, q, m in by_kind],
        "reasons": [{"kind": kind, "label_zh": KIND_LABELS.get(kind, (kind, kind))[0],
                     "label_en": KIND_LABELS.get(kind, (kind, kind))[1], "zh": zh, "en": en,
                     "rows": int(n)} for kind, zh, en, n in reasons],
        "files_quarantined": [{"path": shown_path(path, source), "rows": int(n)}
                              for path, n in by_file],
        "skipped": [{"path": shown_path(path, source), "zh": zh, "en": en}
                    for path, zh, en in skipped],
        "rows": {"read": int(read), "loaded": int(loaded), "quarantined": int(quarantined),
                 "merged": int(merged)},
    }


def print_summary(con: duckdb.DuckDBPyConnection, db: Path, seconds: float,
                  source: Path | None = None) -> None:
    f = facts(con, source)
    table = Table(title="导入汇总 / load summary")
    for col in ("类型 kind", "文件 files", "读取 read", "导入 loaded", "隔离 quarantined",
                "合并重复 merged"):
        table.add_column(col, justify="right" if "kind" not in col else "left", overflow="fold")
    for k in f["kinds"]:
        table.add_row(f"{k['label_zh']} {k['label_en']}", f"{k['files']:,}", f"{k['read']:,}",
                      f"{k['loaded']:,}", f"{k['quarantined']:,}", f"{k['merged']:,}")
    console.print(table)

    if f["reasons"]:
        rt = Table(title="隔离原因 / quarantined by reason")
        for col in ("类型 kind", "原因 reason", "行数 rows"):
            rt.add_column(col)
        for r in f["reasons"]:
            rt.add_row(r["kind"], f"{r['zh']} / {r['en']}", f"{r['rows']:,}")
        console.print(rt)

    # File names are printed whole, one a line, never folded or cut to the terminal's width
    # (soft_wrap): the user must be able to find the file to fix.
    if f["files_quarantined"]:
        console.print("隔离行数最多的文件 / files with the most quarantined rows:")
        for item in f["files_quarantined"]:
            console.print(f"  {item['rows']:>9,}  {item['path']}", soft_wrap=True,
                          markup=False, highlight=False)
    for item in f["skipped"]:
        console.print(f"未读取 / skipped: {item['path']}: {item['zh']} / {item['en']}",
                      soft_wrap=True, markup=False, highlight=False, style="red")

    rows = f["rows"]
    read, loaded, quarantined, merged = (rows[k] for k in ("read", "loaded", "quarantined",
                                                            "merged"))
    skipped = f["skipped"]
    if f["files"]["reused"]:
        console.print(f"文件：重新读取 {f['files']['read']:,} 个，{f['files']['reused']:,} 个与上次相同，"
                      f"沿用上次读取的行 / files: {f['files']['read']:,} read, "
                      f"{f['files']['reused']:,} unchanged since the last load (their rows reused; "
                      "--full reads every file)")
    console.print(f"用时 / time: {seconds:.1f} s")
    print(f"数据库 / database: {db}")
    print(f"已导入 {loaded:,} 行，隔离 {quarantined:,} 行，合并重复 {merged:,} 行，共读取 {read:,} 行"
          f"（{len(skipped)} 个文件未读取） / loaded {loaded:,} rows, quarantined {quarantined:,}, "
          f"merged {merged:,} duplicates, of {read:,} read ({len(skipped)} file(s) skipped)")


def _has(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return con.execute("select count(*) from duckdb_tables() where table_name = ? "
                       "and database_name = current_database()", [table]).fetchone()[0] > 0
