"""Splitting text into parts of at most N bytes of UTF-8 at line boundaries (the robots' limits)."""

from __future__ import annotations

ELLIPSIS = "…"


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def cut(line: str, limit: int) -> str:
    """The line itself when it fits, else its longest prefix (whole characters) followed by "…"
    that fits in `limit` bytes."""
    if _size(line) <= limit:
        return line
    budget = limit - _size(ELLIPSIS)
    raw = line.encode("utf-8")[:max(budget, 0)]
    # errors="ignore" drops a character whose bytes were cut in half: never half a character.
    return raw.decode("utf-8", errors="ignore") + ELLIPSIS


def split_lines(text: str, limit: int) -> list[str]:
    """Parts of at most `limit` bytes, each made of whole lines in order; a line longer than the
    limit on its own is cut by `cut`. Blank lines that would open a later part are dropped."""
    if limit < 8:
        raise ValueError("limit too small")
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.rstrip("\n").split("\n"):
        line = cut(line, limit)
        extra = _size(line) + (1 if current else 0)
        if current and size + extra > limit:
            parts.append("\n".join(current))
            current, size = [], 0
            extra = _size(line)
        if not current and not line.strip() and parts:
            continue
        current.append(line)
        size += extra
    if current and any(s.strip() for s in current):
        parts.append("\n".join(current))
    return parts or [""]
