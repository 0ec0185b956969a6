"""Cell values as the raw tables keep them: trimmed text, or None for an empty cell."""

from __future__ import annotations

import datetime as dt
import math

# Every character str.isspace() knows (all are below U+3001), plus the zero-width ones that
# spreadsheets and concatenated exports leave behind.
WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "\u200b\ufeff"


def clean(text: str | None) -> str | None:
    """Trimmed text; empty becomes None."""
    if text is None:
        return None
    text = text.strip(WHITESPACE)
    return text or None


def cell_to_str(value: object) -> str | None:
    """A spreadsheet cell (as python-calamine returns it) as text, without interpreting it."""
    if value is None:
        return None
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        # Excel stores every number as a float: 123.0 is what the user typed as 123.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None).isoformat(timespec="seconds")
    if isinstance(value, dt.timedelta):
        seconds = int(value.total_seconds())
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return clean(str(value))
