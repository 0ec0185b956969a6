"""Turning cell rows under a recognised header into column lists for one raw table."""

from __future__ import annotations

import json
from collections.abc import Sequence

from etl import labels
from etl.readers.header import Header
from etl.readers.parts import Rows


def _json(obj: dict) -> str:
    # Compact, as DuckDB's to_json writes it for large files, so both paths agree.
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class Tabulator:
    """Collects data rows: canonical cells by column, the rest as a JSON object in `extra`."""

    def __init__(self, header: Header) -> None:
        self.header = header
        self.rows = Rows(kind=header.kind)
        self.rows.values = {col: [] for col in labels.HEADERS[header.kind]}
        self._mapped = [(i, self.rows.values[col]) for i, col in header.columns.items()]
        # Columns of the kind the file does not have stay NULL.
        self._absent = [v for col, v in self.rows.values.items()
                        if col not in header.columns.values()]
        self._known = set(header.columns)

    def add_all(self, row_nos: Sequence[int], rows: Sequence[Sequence[str | None]]) -> None:
        """Add many rows of cleaned cells at once, column by column (a sheet's rows: no Python
        call per cell); fully blank rows are left out, as by `add`."""
        kept = [(n, r) for n, r in zip(row_nos, rows) if any(r)]
        if not kept:
            return
        cells = [r for _, r in kept]
        short = min(len(r) for r in cells)
        for i, target in self._mapped:
            if i < short:
                target.extend([r[i] for r in cells])
            else:
                target.extend([r[i] if i < len(r) else None for r in cells])
        for target in self._absent:
            target.extend([None] * len(cells))
        others = [i for i in range(max(len(r) for r in cells)) if i not in self._known]
        extra = self.rows.extra
        if not others:
            extra.extend([None] * len(cells))
        else:
            key = self.header.extra_key
            for r in cells:
                found = {key(i): r[i] for i in others if i < len(r) and r[i] is not None}
                extra.append(_json(found) if found else None)
        self.rows.row_no.extend(n for n, _ in kept)

    def add(self, row_no: int, cells: Sequence[str | None]) -> bool:
        """Add one row of cleaned cells; a fully blank row is left out (returns False)."""
        if not any(cells):
            return False
        n = len(cells)
        for i, target in self._mapped:
            target.append(cells[i] if i < n else None)
        for target in self._absent:
            target.append(None)
        extra = {self.header.extra_key(i): c for i, c in enumerate(cells)
                 if c is not None and i not in self._known}
        self.rows.extra.append(_json(extra) if extra else None)
        self.rows.row_no.append(row_no)
        return True
