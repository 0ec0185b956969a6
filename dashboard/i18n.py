"""Chinese (default) and English: translations from assets/i18n*.json, number and date formats."""

from __future__ import annotations

import datetime as dt
import functools
import json
from importlib.resources import files

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
# The top-level assets/ package: found the same way from a wheel and from the editable checkout.
ASSETS = files("assets")
# The main table; a room may keep its texts in a file of its own beside it (i18n-<room>.json).
TABLE_PATH = ASSETS / "i18n.json"
MISSING = "—"
MINUS = "\u2212"  # a real minus sign: as wide as the plus, unlike the hyphen
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def normalize_lang(value) -> str:
    """"zh" or "en"; anything else (None, "fr", "ZH-cn") is the default, Chinese."""
    if isinstance(value, str) and value.strip().lower() in LANGS:
        return value.strip().lower()
    return DEFAULT_LANG


@functools.cache
def translations() -> dict[str, dict[str, str]]:
    """The translation table: key -> {"zh": ..., "en": ...} (read once), merged from i18n.json and
    every i18n-<room>.json beside it. A key defined in two files is an error, not a silent win."""
    table: dict[str, dict[str, str]] = {}
    paths = [TABLE_PATH] + sorted((p for p in ASSETS.iterdir()
                                   if p.name.startswith("i18n-") and p.name.endswith(".json")),
                                  key=lambda p: p.name)
    for path in paths:
        with path.open(encoding="utf-8") as f:
            part = json.load(f)
        twice = sorted(set(part) & set(table))
        if twice:
            raise ValueError(f"{path.name}: keys already defined elsewhere: {', '.join(twice)}")
        table.update(part)
    return table


def t(key: str, lang: str, **fmt) -> str:
    """The text of key in lang, with its {placeholders} filled from fmt. An unknown key or an
    unfilled placeholder raises KeyError, so that a slip fails in tests rather than on screen."""
    return translations()[key][normalize_lang(lang)].format_map(fmt)


def _whole(n) -> int:
    return int(round(float(n)))


def _missing(x) -> bool:
    if x is None:
        return True
    try:
        return bool(x != x)  # NaN and NaT are not equal to themselves
    except TypeError:  # pandas.NA refuses bool()
        return True


def fmt_int(n, lang: str) -> str:
    """12345 -> "12,345" (both languages); None/NaN -> "—"."""
    if _missing(n):
        return MISSING
    return f"{_whole(n):,}"


def fmt_pct(x, lang: str, digits: int = 1) -> str:
    """A rate 0..1 as a percentage: 0.853 -> "85.3%"; None/NaN -> "—"."""
    if _missing(x):
        return MISSING
    return f"{float(x) * 100:.{digits}f}%"


def fmt_yuan(x, lang: str) -> str:
    """An amount in yuan: zh "1,234.50 元", en "¥1,234.50"; None/NaN -> "—"."""
    if _missing(x):
        return MISSING
    number = f"{float(x):,.2f}"
    return f"{number} 元" if normalize_lang(lang) == "zh" else f"¥{number}"


def fmt_delta(n, lang: str) -> str:
    """A change in a count: "+12", "−3" (minus sign), "±0"; None -> "—"."""
    if _missing(n):
        return MISSING
    n = _whole(n)
    if n == 0:
        return "±0"
    return f"+{n:,}" if n > 0 else f"{MINUS}{-n:,}"


def fmt_delta_pct(x, lang: str, digits: int = 1) -> str:
    """A change in a rate, in percentage points: 0.012 -> "+1.2 个百分点" / "+1.2 pts"."""
    if _missing(x):
        return MISSING
    points = round(float(x) * 100, digits)
    number = f"{abs(points):.{digits}f}"
    sign = "±" if points == 0 else ("+" if points > 0 else MINUS)
    unit = "个百分点" if normalize_lang(lang) == "zh" else "pts"
    return f"{sign}{number} {unit}"


def fmt_days(n, lang: str) -> str:
    """A number of days: "23 天" / "23 days", "1 day"."""
    if _missing(n):
        return MISSING
    n = _whole(n)
    if normalize_lang(lang) == "zh":
        return f"{n:,} 天"
    return f"{n:,} day" if abs(n) == 1 else f"{n:,} days"


def _as_datetime(value) -> dt.datetime | None:
    if _missing(value):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        return dt.datetime.fromisoformat(text)
    if hasattr(value, "to_pydatetime"):  # pandas.Timestamp
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    raise TypeError(f"not a date: {value!r}")


def fmt_date(d, lang: str) -> str:
    """zh "2024年9月30日", en "30 Sep 2024"; takes a date, datetime or ISO string; None -> "—"."""
    v = _as_datetime(d)
    if v is None:
        return MISSING
    if normalize_lang(lang) == "zh":
        return f"{v.year}年{v.month}月{v.day}日"
    return f"{v.day} {_MONTHS_EN[v.month - 1]} {v.year}"


def fmt_month(d, lang: str) -> str:
    """zh "2024年9月", en "Sep 2024"; None -> "—"."""
    v = _as_datetime(d)
    if v is None:
        return MISSING
    if normalize_lang(lang) == "zh":
        return f"{v.year}年{v.month}月"
    return f"{_MONTHS_EN[v.month - 1]} {v.year}"


def fmt_datetime(value, lang: str) -> str:
    """zh "2024年10月8日 12:00", en "8 Oct 2024 12:00"; None -> "—"."""
    v = _as_datetime(value)
    if v is None:
        return MISSING
    return f"{fmt_date(v, lang)} {v.hour:02d}:{v.minute:02d}"
