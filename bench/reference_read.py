"""The pandas approach, step 1: find export files, read them, find each header row, name columns."""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl import labels

SUFFIXES = {".xlsx", ".xls", ".csv"}
HEADER_SCAN_ROWS = 30
ENCODINGS = ("utf-8-sig", "gb18030")
# A month named in a title row above a dues header, e.g. "2024年09月团费交纳明细".
TITLE_MONTH = (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月", re.ASCII),
               re.compile(r"(\d{4})[-./](\d{1,2})(?!\d)", re.ASCII))
HEADER_INDEX = {kind: labels.header_index(kind) for kind in labels.HEADERS}


@dataclass
class Skipped:
    path: str
    reason: str


def find_files(source: Path) -> list[Path]:
    """Every file under source (or source itself), in file order: path sorted as text."""
    source = Path(source)
    files = [source] if source.is_file() else [p for p in source.rglob("*") if p.is_file()]
    return sorted(files, key=str)


def _cell_text(value) -> str | None:
    """One spreadsheet cell as trimmed text; None when empty."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        # calamine hands whole numbers back as floats; 3.0 is the code 3.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        # Excel stores times as fractions of a day; round away float noise to the second.
        value = pd.Timestamp(value).round("s")
        return value.strftime("%Y-%m-%d" if value == value.normalize() else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _clean_text(col: pd.Series) -> pd.Series:
    """Trim text cells; empty and missing become None."""
    s = col.astype(object).str.strip()
    return s.where(s.notna() & s.ne(""), None)


def _csv_width(path: Path, encoding: str, limit: int | None) -> int:
    with open(path, encoding=encoding, newline="") as fh:
        width = 0
        for i, row in enumerate(csv.reader(fh)):
            width = max(width, len(row))
            if limit is not None and i >= limit:
                break
    return width


def _read_csv(path: Path) -> pd.DataFrame:
    """A CSV file as text cells, trying UTF-8 (with or without BOM), then GB18030 (covers GBK)."""
    for encoding in ENCODINGS:
        try:
            # Title rows are shorter than the header, so name enough columns up front.
            width = max(_csv_width(path, encoding, HEADER_SCAN_ROWS), 1)
            try:
                frame = pd.read_csv(path, header=None, names=range(width), dtype=str,
                                    keep_default_na=False, encoding=encoding)
            except pd.errors.ParserError:
                width = _csv_width(path, encoding, None)
                frame = pd.read_csv(path, header=None, names=range(width), dtype=str,
                                    keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
        return frame.apply(_clean_text)
    raise ValueError("encoding not recognised")


def read_sheets(path: Path) -> list[tuple[str | None, pd.DataFrame]]:
    """Each sheet of a file as text cells (no header yet)."""
    if path.suffix.lower() == ".csv":
        return [(None, _read_csv(path))]
    book = pd.read_excel(path, sheet_name=None, header=None, engine="calamine", dtype=object)
    return [(str(name), frame.apply(lambda c: c.map(_cell_text).astype(object)))
            for name, frame in book.items()]


def recognise(frame: pd.DataFrame) -> tuple[str, int, dict[str, int]] | None:
    """(kind, header row position, canonical column -> cell position) of the first header row."""
    for i in range(min(HEADER_SCAN_ROWS, len(frame))):
        cells = [labels.normalize_header(v) if v is not None else "" for v in frame.iloc[i]]
        matches = []
        for kind, index in HEADER_INDEX.items():
            positions: dict[str, int] = {}
            for pos, cell in enumerate(cells):
                col = index.get(cell)
                if col is not None and col not in positions:
                    positions[col] = pos
            if all(any(c in positions for c in group) for group in labels.REQUIRED[kind]):
                matches.append((len(positions), kind, positions))
        if matches:
            # Ambiguous header rows are not expected; prefer the kind naming the most columns.
            best = max(matches, key=lambda m: m[0])
            return best[1], i, best[2]
    return None


def title_month(frame: pd.DataFrame, header_row: int) -> str | None:
    """The month named in a title row above the header, as YYYY-MM."""
    for i in range(header_row):
        for value in frame.iloc[i]:
            if value is None:
                continue
            for pattern in TITLE_MONTH:
                m = pattern.search(str(value))
                if m and 1 <= int(m.group(2)) <= 12:
                    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    return None


def read_source(source: Path) -> tuple[dict[str, pd.DataFrame], list[Skipped]]:
    """Raw rows per kind, canonical columns plus _path, _row, _order (file order), _title_month."""
    parts: dict[str, list[pd.DataFrame]] = {kind: [] for kind in labels.HEADERS}
    skipped: list[Skipped] = []
    order = 0
    for path in find_files(source):
        if path.suffix.lower() not in SUFFIXES:
            skipped.append(Skipped(str(path), "not a spreadsheet"))
            continue
        try:
            sheets = read_sheets(path)
        except Exception as exc:  # noqa: BLE001 - corrupt, empty, locked: the reason is enough
            skipped.append(Skipped(str(path), f"unreadable: {type(exc).__name__}: {exc}"))
            continue
        recognised = 0
        for sheet, frame in sheets:
            found = recognise(frame)
            if found is None:
                continue
            recognised += 1
            kind, header_row, positions = found
            body = frame.iloc[header_row + 1:]
            body = body[body.notna().any(axis=1)]  # blank lines are not rows
            out = pd.DataFrame({col: body.iloc[:, positions[col]].to_numpy() if col in positions
                                else None for col in labels.HEADERS[kind]}, dtype=object)
            out["_path"] = str(path)
            out["_sheet"] = sheet
            out["_row"] = body.index.to_numpy() + 1
            out["_order"] = range(order, order + len(out))
            out["_title_month"] = title_month(frame, header_row)
            order += len(out)
            parts[kind].append(out)
        if not recognised:
            skipped.append(Skipped(str(path), "kind not recognised"))
    frames = {}
    for kind, pieces in parts.items():
        columns = [*labels.HEADERS[kind], "_path", "_sheet", "_row", "_order", "_title_month"]
        frames[kind] = (pd.concat(pieces, ignore_index=True) if pieces
                        else pd.DataFrame(columns=columns, dtype=object))
    return frames, skipped
