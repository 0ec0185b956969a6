"""Workbooks (.xlsx, .xls, .xlsb, .ods) through python-calamine: every recognised sheet."""

from __future__ import annotations

import zipfile

import python_calamine as calamine

from etl.readers import reasons
from etl.readers.header import SCAN_ROWS, explain, recognise
from etl.readers.parts import Part, skipped
from etl.readers.table import Tabulator
from etl.readers.values import WHITESPACE, cell_to_str

# Members that make a ZIP an Excel (or OpenDocument) workbook rather than some other archive.
_WORKBOOK_MEMBERS = ("xl/workbook.xml", "xl/workbook.bin", "content.xml")


def check_zip(path: str) -> reasons.Reason | None:
    """Why a ZIP file cannot be a workbook, or None when it looks like one."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return reasons.corrupt(str(exc) or type(exc).__name__)
    if not any(m in names for m in _WORKBOOK_MEMBERS):
        return reasons.binary("zip")
    return None


def read_workbook(path: str, size: int) -> list[Part]:
    try:
        book = calamine.CalamineWorkbook.from_path(path)
    except calamine.PasswordError:
        return [skipped(path, size, reasons.PASSWORD)]
    except Exception as exc:  # noqa: BLE001 - calamine has several error types for broken files
        return [skipped(path, size, reasons.corrupt(str(exc) or type(exc).__name__))]
    read, empty, unknown = [], [], []
    try:
        for name in book.sheet_names:
            try:
                part = _read_sheet(path, size, name, book.get_sheet_by_name(name))
            except calamine.PasswordError:
                return [skipped(path, size, reasons.PASSWORD)]
            except Exception as exc:  # noqa: BLE001 - a broken (or chart) sheet spoils only itself
                unknown.append((name, reasons.corrupt(str(exc) or type(exc).__name__)))
                continue
            if part.reason is None:
                read.append(part)
            elif part.reason is reasons.NO_DATA:
                empty.append(part)
            else:
                unknown.append((name, part.reason))
    finally:
        book.close()
    # A recognised but empty sheet beside sheets with data (a template tab) loses nothing.
    if read:
        return read
    if empty:
        return empty[:1]
    if not unknown:
        return [skipped(path, size, reasons.NO_SHEETS)]
    sheet = unknown[0][0] if len(unknown) == 1 else None
    return [skipped(path, size, reasons.in_sheets(unknown), sheet=sheet)]


def _read_sheet(path: str, size: int, name: str, sheet) -> Part:
    grid = sheet.to_python()
    top, left = sheet.start or (0, 0)  # the grid starts at the first non-empty cell
    # Strings (most cells) are trimmed inline: a call per cell is most of a small file's time.
    rows = [[(v.strip(WHITESPACE) or None) if type(v) is str else
             (None if v is None else cell_to_str(v)) for v in row] for row in grid]
    if left:
        rows = [[None] * left + row for row in rows]
    numbers = [top + i + 1 for i in range(len(rows))]  # 1-based, as Excel shows them
    scan = max(SCAN_ROWS - top, 0)
    header = recognise(rows[:scan])
    if header is None:
        if not any(any(r) for r in rows):
            return skipped(path, size, reasons.NO_CONTENT, sheet=name)
        return skipped(path, size, explain(rows[:scan], numbers[:scan]), sheet=name)
    h = header.position
    title = " ".join(c for row in rows[:h] for c in row if c) or None
    blank = [not any(row) for row in rows]
    _fill_merged(rows, sheet.merged_cell_ranges or (), top, first_data=h + 1)
    tab = Tabulator(header)
    keep = [i for i in range(h + 1, len(rows)) if not blank[i]]  # blank before merged cells fill
    tab.add_all([numbers[i] for i in keep], [rows[i] for i in keep])
    part = Part(path=path, bytes=size, sheet=name, kind=header.kind, header_row=numbers[h],
                title=title, rows=tab.rows)
    if not tab.rows.row_no:
        part.reason, part.rows = reasons.NO_DATA, None
    return part


def _fill_merged(rows: list[list], ranges, top: int, first_data: int) -> None:
    """Give every cell of a merged range in the data its top-left value (a branch merged down)."""
    for (r0, c0), (r1, c1) in ranges:
        i0 = r0 - top
        if i0 < first_data or i0 >= len(rows):  # titles and headers are taken as written
            continue
        value = rows[i0][c0] if c0 < len(rows[i0]) else None
        if value is None:
            continue
        for i in range(i0, min(r1 - top, len(rows) - 1) + 1):
            row = rows[i]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value
