"""The pandas approach, step 2: parsing one column of text into typed values, marking bad cells."""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd
from stdnum.cn import ric

from etl import labels

MAX_TEXT = 500
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_DATE = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?: (\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?",
                   re.ASCII)
_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日", re.ASCII)
_SERIAL = re.compile(r"\d+(?:\.\d+)?", re.ASCII)
_MONTHS = (re.compile(r"(\d{4})[-./](\d{1,2})", re.ASCII), re.compile(r"(\d{4})年(\d{1,2})月", re.ASCII),
           re.compile(r"(\d{4})(\d{2})", re.ASCII))
_AMOUNT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
POSITION_LABELS = {label: code for key in ("position_leading", "position_other")
                   for label, code in labels.CODES[key].items() if not label.isdigit()}


class Bad(ValueError):
    """A cell that cannot be typed; the message is the quarantine reason."""


def parse_date(text: str) -> dt.datetime:
    """A date or timestamp in any of the platform's spellings, or an Excel serial number."""
    if m := _DATE.fullmatch(text):
        y, _, mo, d, h, mi, s = (int(g) if g and g.isdigit() else 0 for g in m.groups())
        return dt.datetime(y, mo, d, h, mi, s)
    if m := _CN_DATE.fullmatch(text):
        return dt.datetime(*(int(g) for g in m.groups()))
    if _SERIAL.fullmatch(text):
        seconds = round(float(text) * 86400)  # the fraction is the time of day, to the second
        return EXCEL_EPOCH + dt.timedelta(seconds=seconds)
    raise ValueError(text)


def parse_month(text: str) -> str:
    """A month as YYYY-MM, from a month spelling or a full date."""
    for pattern in _MONTHS:
        if m := pattern.fullmatch(text):
            year, month = int(m.group(1)), int(m.group(2))
            if not 1 <= month <= 12:
                raise ValueError(text)
            return f"{year:04d}-{month:02d}"
    return parse_date(text).strftime("%Y-%m")


def parse_amount(text: str) -> float:
    """Decimal yuan; negative amounts are refused."""
    if not _AMOUNT.fullmatch(text):
        raise ValueError(text)
    value = float(text)
    if value < 0 or not math.isfinite(value):
        raise Bad("negative amount")
    return value


def norm_ids(col: pd.Series) -> pd.Series:
    """ID numbers as compared: upper-case, no spaces."""
    return col.astype(object).str.replace(r"\s", "", regex=True).str.upper()


def parse_by_value(col: pd.Series, parse, reason: str) -> tuple[pd.Series, pd.Series]:
    """(typed values, reason per cell or None), parsing each distinct value once."""
    typed, reasons = {}, {}
    for value in col.dropna().unique():
        try:
            typed[value] = parse(value)
        except Bad as exc:
            reasons[value] = str(exc)
        except (ValueError, OverflowError, KeyError):
            reasons[value] = f"{reason}: {value}"
    return col.map(typed), col.map(reasons)


def code_table(key: str) -> dict[str, str]:
    """Label or numeric code as written -> our code."""
    table = dict(labels.CODES[key])
    for code in labels.NUMERIC_CODES.get(key, ()):
        table.setdefault(str(code), str(code))
    return table


def coded(col: pd.Series, key: str) -> tuple[pd.Series, pd.Series]:
    table = code_table(key)
    return parse_by_value(col, lambda v: table[v], f"unknown label ({key})")


def dates(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    # Kept as Python datetimes (object dtype): any year the calendar allows is a date.
    return parse_by_value(col, parse_date, "date does not parse")


def months(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    return parse_by_value(col, parse_month, "month does not parse")


def amounts(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    typed, bad = parse_by_value(col, parse_amount, "amount does not parse")
    return typed.astype(float), bad


def id_numbers(col: pd.Series, foreign: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    """Normalized ID numbers; resident-card numbers must pass stdnum.cn.ric, foreign ones exist."""
    ids = norm_ids(col)
    valid = ids.dropna().drop_duplicates()
    ok = dict(zip(valid, valid.map(ric.is_valid)))
    bad = ids.notna() & ~ids.map(ok).fillna(False).astype(bool)
    if foreign is not None:
        bad &= foreign.ne("2")
    reason = pd.Series(None, index=col.index, dtype=object)
    reason[bad] = "invalid ID number"
    return ids, reason
