"""What a reader hands back for one file (or one sheet): its `files` row and its rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.readers.reasons import Reason


@dataclass
class Rows:
    """Data rows, column by column (cheap to pickle, and to turn into an Arrow table)."""

    kind: str
    row_no: list[int] = field(default_factory=list)
    values: dict[str, list[str | None]] = field(default_factory=dict)
    extra: list[str | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.row_no)


@dataclass
class BulkPlan:
    """A large CSV for DuckDB's reader: where its data starts and what each column is."""

    source: str  # the file as found
    encoding: str
    delimiter: str
    skip_lines: int  # physical lines up to and including the header
    width: int  # cells in the header row
    columns: dict[int, str]  # cell index -> canonical column
    extras: dict[int, str]  # cell index -> extra key
    # Filled by `bulkscan.prepare`: (record ordinal, line offset) where line numbers stop being
    # header + 1 + ordinal (blank lines, line breaks inside quotes), and the record count.
    offsets: list[tuple[int, int]] = field(default_factory=list)
    records: int = -1
    quoted_newlines: bool = False
    path: str = ""  # what DuckDB reads: the source, or a UTF-8 copy or a link of ours
    temp: bool = False


@dataclass
class Part:
    """One future `files` row: a recognised file or sheet, or a file skipped with a reason."""

    path: str
    bytes: int
    sheet: str | None = None
    kind: str | None = None
    encoding: str | None = None
    header_row: int | None = None
    title: str | None = None
    reason: Reason | None = None
    rows: Rows | None = None
    bulk: BulkPlan | None = None

    @property
    def skipped(self) -> bool:
        return self.reason is not None


def skipped(path: str, size: int, reason: Reason, **kw) -> Part:
    return Part(path=path, bytes=size, reason=reason, **kw)
