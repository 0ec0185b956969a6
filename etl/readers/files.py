"""One file in, its parts out: the entry point a worker process runs for each path."""

from __future__ import annotations

import os

from etl.readers import reasons
from etl.readers.csvfile import BULK_BYTES, read_csv
from etl.readers.parts import Part, skipped
from etl.readers.sniff import SPREADSHEETS, is_encrypted_ole2, is_ole2_workbook, sniff
from etl.readers.xlsx import check_zip, read_workbook


def read_path(path: str, bulk_bytes: int = BULK_BYTES) -> list[Part]:
    """Read one file by what its content is; never raises (a failure is a skipped part)."""
    try:
        return _read(path, bulk_bytes)
    except Exception as exc:  # noqa: BLE001 - the load goes on: this file is reported
        size = _size(path)
        return [skipped(path, size, reasons.unreadable(f"{type(exc).__name__}: {exc}"))]


def _read(path: str, bulk_bytes: int) -> list[Part]:
    size = os.path.getsize(path)
    if size == 0:
        return [skipped(path, size, reasons.EMPTY_FILE)]
    with open(path, "rb") as fh:
        head = fh.read(8192)
    form = sniff(head)
    if form == "text":
        return [read_csv(path, size, bulk_bytes)]
    if form not in SPREADSHEETS:
        return [skipped(path, size, reasons.binary(form if form != "binary" else None))]
    if form == "ole2" and is_encrypted_ole2(path):
        return [skipped(path, size, reasons.PASSWORD)]
    parts = read_workbook(path, size)
    # Only when calamine gives up is the container examined: broken, or no workbook at all?
    if parts[0].reason and parts[0].reason[1].startswith("corrupt"):
        if form == "zip" and (problem := check_zip(path)) is not None:
            return [skipped(path, size, problem)]
        if form == "ole2" and not is_ole2_workbook(path):
            return [skipped(path, size, reasons.binary("ole2"))]
    return parts


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


__all__ = ["Part", "read_path"]
