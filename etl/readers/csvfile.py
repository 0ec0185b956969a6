"""CSV files: encoding and delimiter found out, header recognised, rows read in Python.

Files above the bulk size are only planned here; DuckDB's reader loads them (see bulkload).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import TextIO

from etl.readers import reasons
from etl.readers.header import SCAN_ROWS, Header, explain, recognise
from etl.readers.parts import BulkPlan, Part, Rows, skipped
from etl.readers.sniff import codec_for, detect_encoding
from etl.readers.table import Tabulator
from etl.readers.values import WHITESPACE, clean

# Above this a CSV is loaded by DuckDB, not parsed in Python (measured: a 50k-member demo
# loads ~40% faster at 1 MB than at 16 MB).
BULK_BYTES = 1 << 20
SAMPLE_BYTES = 1 << 20
DELIMITERS = (",", "\t", ";")

# A 5 MB cell must not stop the file: validation quarantines its row later.
csv.field_size_limit(2**31 - 1)


def records(stream: TextIO, delimiter: str) -> Iterator[tuple[int, int, list[str | None]]]:
    """(first line, last line, cleaned cells) of each record; a blank line gives no cells."""
    reader = csv.reader(stream, delimiter=delimiter)
    last = 0
    for cells in reader:
        yield last + 1, reader.line_num, [clean(c) for c in cells]
        last = reader.line_num


def _find_header(text: str):
    """(delimiter, header, scanned records) for the delimiter under which a header is found."""
    tried = []
    for delimiter in DELIMITERS:
        scanned = []
        for rec in records(io.StringIO(text, newline=""), delimiter):
            scanned.append(rec)
            if len(scanned) >= SCAN_ROWS:
                break
        header = recognise([cells for _, _, cells in scanned])
        if header is not None:
            return delimiter, header, scanned
        tried.append((max((len(c) for _, _, c in scanned), default=0), -len(tried), scanned))
    return None, None, max(tried)[2]


def _title(scanned, header: Header) -> str | None:
    return " ".join(c for _, _, cells in scanned[: header.position] for c in cells if c) or None


def read_csv(path: str, size: int, bulk_bytes: int = BULK_BYTES) -> Part:
    if size > bulk_bytes:
        return plan_bulk(path, size)
    with open(path, "rb") as fh:
        data = fh.read()
    encoding = detect_encoding(data, complete=True)
    if encoding is None:
        return skipped(path, size, reasons.ENCODING)
    text = data.decode(codec_for(encoding))
    delimiter, header, scanned = _find_header(text)
    if header is None:
        return _unrecognised(path, size, encoding, scanned, blank=not text.strip(WHITESPACE))
    part = Part(path=path, bytes=size, kind=header.kind, encoding=encoding,
                header_row=scanned[header.position][0], title=_title(scanned, header))
    skip = scanned[header.position][1]
    part.rows = next(iter_rows(io.StringIO(text, newline=""), delimiter, header, skip, 0))
    if not part.rows.row_no:
        part.reason, part.rows = reasons.NO_DATA, None
    return part


def iter_rows(stream: TextIO, delimiter: str, header: Header, skip_lines: int,
              batch: int) -> Iterator[Rows]:
    """Data rows after the first `skip_lines` lines, in batches of `batch` rows (0: one batch)."""
    tab = Tabulator(header)
    for first, _, cells in records(stream, delimiter):
        if first > skip_lines and tab.add(first, cells) and batch and len(tab.rows) >= batch:
            yield tab.rows
            tab = Tabulator(header)
    yield tab.rows


def _unrecognised(path: str, size: int, encoding: str, scanned, blank: bool = False) -> Part:
    if blank:
        return skipped(path, size, reasons.NO_CONTENT, encoding=encoding)
    reason = explain([cells for _, _, cells in scanned], [first for first, _, _ in scanned])
    return skipped(path, size, reason, encoding=encoding)


def plan_bulk(path: str, size: int) -> Part:
    """Encoding, delimiter and header of a large CSV, from its first megabyte."""
    with open(path, "rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    encoding = detect_encoding(sample, complete=False)
    if encoding is None:
        return skipped(path, size, reasons.ENCODING)
    text = codecs.getincrementaldecoder(codec_for(encoding))().decode(sample, final=False)
    text = text[: text.rfind("\n") + 1] or text  # whole lines only
    delimiter, header, scanned = _find_header(text)
    if header is None:
        return _unrecognised(path, size, encoding, scanned)
    first, last, cells = scanned[header.position]
    plan = BulkPlan(source=path, path=path, encoding=encoding, delimiter=delimiter, skip_lines=last,
                    width=len(cells), columns=header.columns, extras=header.extras)
    return Part(path=path, bytes=size, kind=header.kind, encoding=encoding, header_row=first,
                title=_title(scanned, header), bulk=plan)
