"""Finding the header row among the first rows, and from it the kind of the file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from etl import labels

SCAN_ROWS = 30
_INDEX = {kind: labels.header_index(kind) for kind in labels.HEADERS}

Row = Sequence[str | None]


@dataclass(frozen=True)
class Header:
    """A recognised header row: which cell holds which canonical column, the rest are extras."""

    position: int  # index of the header among the rows given to `recognise`
    kind: str
    columns: dict[int, str]  # cell index -> canonical column (first occurrence wins)
    extras: dict[int, str]  # cell index -> key in the `extra` JSON (the header as written)
    width: int

    def extra_key(self, index: int) -> str:
        return self.extras.get(index) or f"列{index + 1}"


def _normalized(row: Row) -> list[str]:
    return [labels.normalize_header(c) if c else "" for c in row]


def _match(norm: list[str], kind: str) -> dict[str, int]:
    """Canonical column -> index of the first cell naming it."""
    index, found = _INDEX[kind], {}
    for i, text in enumerate(norm):
        col = index.get(text)
        if col is not None and col not in found:
            found[col] = i
    return found


def _missing(found: dict[str, int], kind: str) -> list[tuple[str, ...]]:
    return [group for group in labels.REQUIRED[kind] if not any(c in found for c in group)]


def recognise(rows: Sequence[Row]) -> Header | None:
    """The first of the first 30 rows that has every required column of some kind.

    Where a row would do for several kinds, the kind with most known columns in it wins.
    """
    for position, row in enumerate(rows[:SCAN_ROWS]):
        norm = _normalized(row)
        if not any(norm):
            continue
        best: tuple[str, dict[str, int]] | None = None
        for kind in labels.HEADERS:
            found = _match(norm, kind)
            if not _missing(found, kind) and (best is None or len(found) > len(best[1])):
                best = (kind, found)
        if best is not None:
            return _header(position, row, *best)
    return None


def _header(position: int, row: Row, kind: str, found: dict[str, int]) -> Header:
    columns = {i: col for col, i in found.items()}
    extras, used = {}, set()
    for i, text in enumerate(row):
        if i in columns or not text:
            continue
        key, n = text, 1
        while key in used:  # keys of the extra JSON object must be unique
            n += 1
            key = f"{text}#{n}"
        used.add(key)
        extras[i] = key
    return Header(position, kind, dict(sorted(columns.items())), extras, len(row))


def explain(rows: Sequence[Row], row_numbers: Sequence[int]) -> tuple[str, str]:
    """Why no header was recognised: the headers found and what the closest kind lacks."""
    scored = []
    for position, row in enumerate(rows[:SCAN_ROWS]):
        norm = _normalized(row)
        if not any(norm):
            continue
        for order, kind in enumerate(labels.HEADERS):
            found = _match(norm, kind)
            met = len(labels.REQUIRED[kind]) - len(_missing(found, kind))
            scored.append(((met, len(found), -position, -order), position, kind, found))
    if not scored:
        return ("前 30 行都是空行，找不到表头", "no header: the first 30 rows are blank")
    (met, known, *_), position, kind, found = max(scored, key=lambda s: s[0])
    if known == 0:
        position = max(range(len(rows[:SCAN_ROWS])), key=lambda p: sum(1 for c in rows[p] if c))
    cells = [c for c in rows[position] if c]
    shown = cells[:20] + (["…"] if len(cells) > 20 else [])
    row_no = row_numbers[position]
    if known == 0:
        zh = f"未识别表头：前 30 行中没有任何已知列名（第 {row_no} 行为「{'、'.join(shown)}」）"
        en = (f"header not recognised: no known column in the first 30 rows "
              f"(row {row_no} has [{', '.join(shown)}])")
        return zh, en
    names = [[labels.HEADERS[kind][c][0] for c in g] for g in _missing(found, kind)]
    kind_zh, kind_en = labels.KIND_LABELS[kind]
    zh = (f"未识别表头：第 {row_no} 行的列为「{'、'.join(shown)}」；最接近「{kind_zh}」，"
          f"缺少必填列：{'、'.join('或'.join(n) for n in names)}")
    en = (f"header not recognised: row {row_no} has columns [{', '.join(shown)}]; closest kind "
          f"is {kind_en}, missing required columns: {', '.join(' or '.join(n) for n in names)}")
    return zh, en
