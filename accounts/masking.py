"""Masks for personal data shown on screen or exported: names, mobile numbers, ID numbers."""

from __future__ import annotations


def _text(value) -> str:
    if value is None:
        return ""
    try:
        if value != value:  # NaN
            return ""
    except TypeError:  # pandas.NA
        return ""
    return str(value).strip()


def mask_name(value) -> str:
    """Keep the first and the last character: 张三明 -> 张*明, 欧阳小明 -> 欧**明; two characters
    keep the first (张三 -> 张*); one character stays; None -> ""."""
    s = _text(value)
    if len(s) <= 1:
        return s
    if len(s) == 2:
        return s[0] + "*"
    return s[0] + "*" * (len(s) - 2) + s[-1]


def mask_mobile(value) -> str:
    """Keep the first 3 and the last 4 characters: 13812341234 -> 138****1234; shorter than 8
    characters, all are masked; None -> ""."""
    s = _text(value)
    if len(s) < 8:
        return "*" * len(s)
    return s[:3] + "*" * (len(s) - 7) + s[-4:]


def mask_id(value) -> str:
    """Keep the first 4 and the last 4 characters: 44010119900101123X -> 4401**********123X;
    8 characters or fewer, all are masked; None -> ""."""
    s = _text(value)
    if len(s) <= 8:
        return "*" * len(s)
    return s[:4] + "*" * (len(s) - 8) + s[-4:]


# The columns the report queries use for personal data, and their masks.
MASKS = {"name": mask_name, "mobile": mask_mobile, "id_number": mask_id}


def mask_frame(frame, masks: dict | None = None):
    """A copy of a DataFrame with the personal-data columns it has masked (by default the
    columns of MASKS)."""
    out = frame.copy()
    for column, fn in (masks or MASKS).items():
        if column in out.columns:
            out[column] = out[column].map(fn)
    return out
