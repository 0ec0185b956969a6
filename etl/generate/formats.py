"""Text forms of dates, months, amounts and coded values, as the platform's exports vary them."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl import labels

# Date styles: 0 2024-09-01 13:45:00, 1 2024/9/1 13:45, 2 2024-09-01, 3 2024/9/1, 4 2024年9月1日,
# 5 an Excel date (xlsx only; the cell holds a serial number). Styles 0 and 5 keep the seconds.
DATE_STYLES = 6
# Month styles: 0 2024-09, 1 2024.09, 2 2024年9月, 3 202409.
MONTH_STYLES = 4
EXCEL_EPOCH = -25569 * 86400  # 1899-12-30 in epoch seconds


def _pad(a: pa.Array) -> pa.Array:
    return pc.utf8_lpad(a.cast(pa.string()), 2, "0")


def dt_text(sec: np.ndarray, style: int) -> pa.Array:
    """Epoch seconds (-1 = missing) as text in one style (0-4)."""
    ts = pa.array(np.where(sec < 0, 0, sec).astype("datetime64[s]"), mask=sec < 0)
    if style == 0:
        return pc.strftime(ts, format="%Y-%m-%d %H:%M:%S")
    if style == 2:
        return pc.strftime(ts, format="%Y-%m-%d")
    y, m, d = (pc.cast(f(ts), pa.string()) for f in (pc.year, pc.month, pc.day))
    if style == 4:
        return pc.binary_join_element_wise(y, "年", m, "月", d, "日", "")
    day = pc.binary_join_element_wise(y, m, d, "/")
    if style == 3:
        return day
    return pc.binary_join_element_wise(day, " ", _pad(pc.hour(ts)), ":", _pad(pc.minute(ts)), "")


def dt_cells(sec: np.ndarray, styles: np.ndarray) -> np.ndarray:
    """Per-row styles; style 5 gives Excel serial numbers (float), missing gives None."""
    out = np.empty(len(sec), dtype=object)
    for s in np.unique(styles).tolist():
        rows = np.flatnonzero(styles == s)
        if s == 5:
            v = (sec[rows] - EXCEL_EPOCH) / 86400.0
            out[rows] = np.where(sec[rows] < 0, None, v.astype(object))
        else:
            out[rows] = dt_text(sec[rows], s).to_numpy(zero_copy_only=False)
    return out


def month_text(month: np.ndarray, style: int) -> pa.Array:
    """Month indices (y * 12 + m - 1; negative = missing) as text in one style."""
    month = np.asarray(month)
    y, m = month // 12, month % 12 + 1
    ys = pa.array(y).cast(pa.string())
    ms = pa.array(m).cast(pa.string())
    if style == 2:
        out = pc.binary_join_element_wise(ys, "年", ms, "月", "")
    else:
        sep = ("-", ".", "", "")[style]
        out = pc.binary_join_element_wise(ys, _pad(ms), sep)
    return pc.if_else(pa.array(month < 0), pa.nulls(len(month), pa.string()), out)


def month_cells(month: np.ndarray, styles: np.ndarray) -> np.ndarray:
    out = np.empty(len(month), dtype=object)
    for s in np.unique(styles).tolist():
        rows = np.flatnonzero(styles == s)
        out[rows] = month_text(month[rows], s).to_numpy(zero_copy_only=False)
    return out


def fen_text(fen: np.ndarray) -> pa.Array:
    """Amounts in fen as yuan with two decimals ("0.20", "15.00", "-5.00")."""
    values, inverse = np.unique(fen, return_inverse=True)
    text = [f"{'-' if v < 0 else ''}{abs(v) // 100}.{abs(v) % 100:02d}" for v in values.tolist()]
    return pa.array(text).take(pa.array(inverse.astype(np.int64)))


def coded(key: str, codes: np.ndarray, empty: tuple[int, ...] = ()) -> pa.Array:
    """Numeric codes as the platform's Chinese labels; codes in `empty` give null."""
    codes = np.asarray(codes, dtype=np.int64)
    top = int(codes.max()) if len(codes) else 0
    table = [None if c in empty else labels.label_for(key, str(c)) for c in range(top + 1)]
    return pa.array(table, type=pa.string()).take(pa.array(codes))


def repeat(text: str, n: int) -> pa.Array:
    return pa.array([text]).take(pa.array(np.zeros(n, dtype=np.int64)))
