"""Export files written from code for the extractor's tests: xlsx, CSV in any encoding."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb
import openpyxl

MEMBERS_HEADER = ("姓名", "身份证号码", "所在团支部", "报到资料状态", "资料审核时间")
BRANCH = "某大学计算机学院2024级1班团支部"


def member_row(i: int) -> tuple[str, ...]:
    return (f"学生{i}", f"44010620060101{i:04d}", BRANCH, "审核通过", "2024-09-02 10:00:00")


def write_xlsx(path: Path, rows: Iterable[Sequence], merges: Iterable[str] = (),
               sheet: str = "Sheet1", more_sheets: dict[str, Iterable[Sequence]] | None = None,
               start: str | None = None) -> Path:
    """One sheet of rows (None = empty cell); `merges` like "A1:E1"; `start` shifts the rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    _fill(ws, rows, start)
    for rng in merges:
        ws.merge_cells(rng)
    for name, more in (more_sheets or {}).items():
        _fill(wb.create_sheet(name), more, None)
    wb.save(path)
    return path


def _fill(ws, rows, start):
    r0, c0 = (1, 1)
    if start:
        cell = ws[start]
        r0, c0 = cell.row, cell.column
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.cell(row=r0 + r, column=c0 + c, value=value)


def csv_bytes(rows: Iterable[Sequence], encoding: str = "utf-8", newline: str = "\n",
              delimiter: str = ",") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return buf.getvalue().encode(encoding)


def write_csv(path: Path, rows: Iterable[Sequence], encoding: str = "utf-8", **kw) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(rows, encoding, **kw))
    return path


def raw(con: duckdb.DuckDBPyConnection, kind: str, *cols: str) -> list[tuple]:
    """Rows of raw_<kind> as (file_id, row_no, *cols), in file and row order."""
    names = ", ".join(("file_id", "row_no", *cols))
    return con.execute(f"select {names} from raw_{kind} order by file_id, row_no").fetchall()


def files(con: duckdb.DuckDBPyConnection, *cols: str) -> list[tuple]:
    return con.execute(f"select {', '.join(cols)} from files order by file_id").fetchall()
