"""Whether a load is of demo data: the generator leaves a marker file beside its exports, the load
finds it and writes the one-row table `dataset`, and every page, download and pack then says
演示数据 / demo data in its header."""

from __future__ import annotations

import pathlib

import duckdb

# A .csv, so that an upload page accepting only export types (zip, xlsx, xls, csv) keeps it; the
# load recognises it by its name and never reads it as an export.
MARKER = "演示数据-DEMO.csv"
# One quoted cell: the file reads as a one-cell CSV wherever it is opened.
MARKER_TEXT = ('"演示数据：本文件夹由 zhtj generate 生成，'
               '其中的省、市、县、学校、企业和人员均为虚构。 / '
               'Demo data: made by zhtj generate; its province, cities, counties, schools, '
               'enterprises and people are all invented."\n')

# Written out in full: nothing in it comes from input.
_CREATE = "create or replace table dataset (is_demo boolean, marker varchar)"


def write_marker(out: pathlib.Path) -> pathlib.Path:
    """Mark a folder of generated exports as demo data (the file survives a zip and an upload)."""
    path = pathlib.Path(out) / MARKER
    path.write_text(MARKER_TEXT, encoding="utf-8")
    return path


def is_marker(path: pathlib.Path) -> bool:
    return pathlib.Path(path).name == MARKER


def source_is_demo(source: pathlib.Path) -> bool:
    """Whether the load's source holds the marker (anywhere under it, as in a zip's folder)."""
    source = pathlib.Path(source)
    if source.is_file():
        return is_marker(source)
    return any(p.is_file() for p in source.rglob(MARKER))


def record(con: duckdb.DuckDBPyConnection, *, demo: bool) -> None:
    """The table `dataset`: one row saying whether the published data is a demo. A table of its
    own, not a column of `loads`, which the history archive keeps in Parquet."""
    con.execute(_CREATE)
    con.execute("insert into dataset values (?, ?)", [demo, MARKER if demo else None])


def is_demo(cur: duckdb.DuckDBPyConnection) -> bool:
    """Whether a published database holds demo data (not for a database loaded before the table
    existed)."""
    import queries

    try:
        found = queries.rows("dataset_kind", cur)
    except duckdb.CatalogException:
        return False
    return bool(found) and bool(found[0]["is_demo"])
