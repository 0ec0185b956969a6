"""Writing files: .xlsx (xlsxwriter), .csv in UTF-8/BOM/GBK, bulk CSV (pyarrow)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import xlsxwriter

# Fixed document dates keep the .xlsx bytes identical from run to run.
CREATED = datetime.datetime(2024, 1, 1, 0, 0, 0)
DATE_ONLY = ("截止日期",)


def to_lists(
    cols: dict, header: tuple[str, ...], rows: np.ndarray | slice | None = None
) -> list[list]:
    """Columns (Arrow arrays or object arrays) as plain lists, in header order."""
    out = []
    for h in header:
        col = cols[h]
        if isinstance(col, (pa.Array, pa.ChunkedArray)):
            col = col.to_numpy(zero_copy_only=False)
        out.append((col if rows is None else col[rows]).tolist())
    return out


def write_xlsx(path: Path, header: tuple[str, ...], columns: list[list], title: str | None = None,
               numbers: tuple[str, ...] = ()) -> None:
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True})
    wb.set_properties({"created": CREATED, "author": "智慧团建"})
    ws = wb.add_worksheet("Sheet1")
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    top = 0
    if title:
        ws.write_string(0, 0, title)
        top = 1
    for c, h in enumerate(header):
        ws.write_string(top, c, h)
    for c, (h, col) in enumerate(zip(header, columns)):
        fmt = day if h in DATE_ONLY else stamp
        as_number = h in numbers
        for i, v in enumerate(col, start=top + 1):
            if v is None:
                continue
            if isinstance(v, float):
                ws.write_number(i, c, v, fmt)
            elif as_number:
                ws.write_number(i, c, float(v))
            else:
                ws.write_string(i, c, v)
    wb.close()


def write_csv(path: Path, header: tuple[str, ...], columns: list[list], title: str | None = None,
              encoding: str = "utf-8") -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if title:
        w.writerow([title])
    w.writerow(header)
    w.writerows(zip(*[["" if v is None else v for v in col] for col in columns]))
    path.write_bytes(buf.getvalue().encode(encoding))


def write_task(task: tuple) -> int:
    """(path, format, header, columns, title, numbers) -> rows written. format: xlsx, gbk,
    utf-8-sig or utf-8."""
    path, fmt, header, columns, title, numbers = task
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        write_xlsx(path, header, columns, title, numbers)
    else:
        write_csv(path, header, columns, title, fmt)
    return len(columns[0]) if columns else 0


def write_batch(tasks: list[tuple]) -> int:
    return sum(write_task(t) for t in tasks)


def write_bulk_csv(path: Path, header: tuple[str, ...], chunks: dict | Iterable[dict]) -> int:
    """One UTF-8 CSV from Arrow/object columns (one dict of columns, or several written in turn so
    that only one is in memory). Unquoted: pyarrow refuses any value that would need quotes, and
    none of ours does."""
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = pa.schema([(h, pa.string()) for h in header])
    n = 0
    with pacsv.CSVWriter(str(path), schema,
                         write_options=pacsv.WriteOptions(quoting_style="none")) as w:
        for cols in [chunks] if isinstance(chunks, dict) else chunks:
            arrays = [c.cast(pa.string()) if isinstance(c, pa.Array) else
                      pa.array(c, type=pa.string()) for c in (cols[h] for h in header)]
            table = pa.Table.from_arrays(arrays, schema=schema)
            w.write_table(table)
            n += table.num_rows
    return n
