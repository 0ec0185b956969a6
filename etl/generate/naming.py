"""Unique Chinese names for units: ordinals, place names and word combinations."""

from __future__ import annotations

import math

from . import names
from .tree import Tree

ORDINALS = "一二三四五六七八九十"


def ordinal(k: int) -> str:
    """1 -> 一, 12 -> 十二, 25 -> 二十五 (k < 100)."""
    tens, ones = divmod(k, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else ORDINALS[tens - 1] + "十")
    return head + (ORDINALS[ones - 1] if ones else "")


def unique_word(t: Tree, key: tuple, *parts) -> str:
    """The next name of a key: an affine walk over the product of parts, so names never repeat
    within a key; past the product, a place name in front."""
    k = t.count(key)
    size = math.prod(len(p) for p in parts)
    step = next(s for s in (7919, 104729, 1299709) if math.gcd(s, size) == 1)
    rep, i = divmod(k, size)
    i = (i * step + 11) % size
    word = ""
    for p in parts:
        i, r = divmod(i, len(p))
        word += p[r]
    if rep:
        a, b = divmod(rep - 1, len(names.PLACE_B))
        word = names.PLACE_A[a % len(names.PLACE_A)] + names.PLACE_B[b] + word
    return word


def place(t: Tree, key: tuple) -> str:
    return unique_word(t, key, names.PLACE_A, names.PLACE_B)
