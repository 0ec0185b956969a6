"""Identifiers: opaque organization ids, 18-digit ID numbers, mobiles, region codes."""

from __future__ import annotations

import base64
import functools
import itertools

import numpy as np
from stdnum import numdb

_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def org_ids(rng: np.random.Generator, n: int) -> list[str]:
    """National-platform-looking ids ("r-" + base64 of 16 bytes); unique by construction.

    The first 8 bytes are a bijection of the index (odd multiplier mod 2**64), the rest random.
    """
    idx = np.arange(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        head = (idx + np.uint64(7_777_777)) * _GOLDEN
    raw = np.empty((n, 16), dtype=np.uint8)
    raw[:, :8] = head.view(np.uint8).reshape(n, 8)
    raw[:, 8:] = rng.integers(0, 256, size=(n, 8), dtype=np.uint8)
    return ["r-" + base64.b64encode(row.tobytes()).decode("ascii") for row in raw]


@functools.cache
def gd_regions() -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    """Guangdong county codes from python-stdnum: (code, first year, last year, city prefix).

    A code with several dated names gets one entry per name, so validity follows stdnum exactly.
    """
    prov = next(p for p in numdb.get("cn/loc").prefixes if p[1] == "44")
    codes, starts, ends, cities = [], [], [], []
    for _, low, _, props, _ in prov[4]:
        code = "44" + low
        if low.endswith("00") and low not in ("1900", "2000"):
            continue  # city level, except Dongguan and Zhongshan, which have no counties
        for part in props.get("county", "").split(","):
            start, end, name = 0, 9999, part
            if part.startswith("["):
                span, name = part[1:].split("]")
                a, b = span.split("-")
                start, end = int(a or 0), int(b or 9999)
            if name in ("市辖区", "市区", "郊区"):
                continue
            codes.append(int(code))
            starts.append(start)
            ends.append(end)
            cities.append(code[:4])
    return (np.array(codes), np.array(starts), np.array(ends), tuple(cities))


def county_names(city: str, year: int) -> list[str]:
    """Names of the counties of a city (4-digit prefix) in a given year, in code order."""
    prov = next(p for p in numdb.get("cn/loc").prefixes if p[1] == "44")
    names = []
    for _, low, _, props, _ in prov[4]:
        if not ("44" + low).startswith(city) or low.endswith("00"):
            continue
        for part in props.get("county", "").split(","):
            span, name = ("-", part)
            if part.startswith("["):
                span, name = part[1:].split("]")
            a, b = span.split("-")
            if int(a or 0) <= year <= int(b or 9999) and name not in ("市辖区", "市区", "郊区"):
                names.append(name)
    return names


def pick_regions(
    rng: np.random.Generator, birth_year: np.ndarray, city: np.ndarray, home_share: float = 0.7
) -> np.ndarray:
    """A county code valid for each birth year: in the given city (a 4-digit prefix) mostly."""
    codes, starts, ends, cities = gd_regions()
    city_of = np.array([int(c) for c in cities])
    n = len(birth_year)
    home = rng.random(n) < home_share
    want_city = np.where(home, city, -1)
    out = np.zeros(n, dtype=np.int64)
    key = want_city * 10000 + birth_year
    order = np.argsort(key, kind="stable")
    uniq, first = np.unique(key[order], return_index=True)
    bounds = np.append(first, n)
    u = rng.random(n)
    for k, (lo, hi) in zip(uniq, itertools.pairwise(bounds)):
        c, y = divmod(int(k), 10000)
        ok = (starts <= y) & (ends >= y) & ((city_of == c) | (c < 0))
        if not ok.any():
            ok = (starts <= y) & (ends >= y)
        pool = codes[ok]
        rows = order[lo:hi]
        out[rows] = pool[(u[rows] * len(pool)).astype(np.int64)]
    return out


def id_numbers(region: np.ndarray, birth: np.ndarray, male: np.ndarray) -> np.ndarray:
    """18-character ID numbers (as 'S18'), unique: the sequence is the rank within
    (region, birth date, gender), doubled, plus 1 for men (17th digit odd = male)."""
    n = len(region)
    bday = birth.astype("datetime64[D]").astype(np.int64)
    order = np.lexsort((male, bday, region))
    r, b, m = region[order], bday[order], male[order]
    new = np.ones(n, dtype=bool)
    new[1:] = (r[1:] != r[:-1]) | (b[1:] != b[:-1]) | (m[1:] != m[:-1])
    start = np.maximum.accumulate(np.where(new, np.arange(n), 0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - start
    if n and rank.max() >= 500:
        raise ValueError("more than 500 people share a county, birth date and gender")
    seq = rank * 2 + male.astype(np.int64)
    yyyymmdd = ymd_int(birth)
    digits = np.empty((n, 18), dtype=np.uint8)
    for val, width, at in ((region, 6, 0), (yyyymmdd, 8, 6), (seq, 3, 14)):
        for j in range(width):
            digits[:, at + width - 1 - j] = (val // 10**j) % 10
    check = np.zeros(n, dtype=np.int64)
    for k in range(17):  # column by column: no (n, 17) int64 temporary
        check += digits[:, k] * _WEIGHTS[k]
    check %= 11
    chars = np.empty((n, 18), dtype=np.uint8)
    chars[:, :17] = digits[:, :17] + ord("0")
    chars[:, 17] = _CHECK[check]
    return chars.view("S18").reshape(n)


def ymd_int(day: np.ndarray) -> np.ndarray:
    """Dates as integers YYYYMMDD."""
    d = day.astype("datetime64[D]")
    y = d.astype("datetime64[Y]")
    m = d.astype("datetime64[M]")
    year = y.astype(np.int64) + 1970
    month = (m - y.astype("datetime64[M]")).astype(np.int64) + 1
    return year * 10000 + month * 100 + (d - m.astype("datetime64[D]")).astype(np.int64) + 1


def mobiles(rng: np.random.Generator, n: int, prefixes: tuple[int, ...]) -> np.ndarray:
    """11-digit mobiles, unique: the last 8 digits are a bijection of the person's index."""
    suffix = (np.arange(n, dtype=np.int64) * 73_939_133 + 47_123_901) % 100_000_000
    head = np.array(prefixes, dtype=np.int64)[rng.integers(0, len(prefixes), n)]
    return head * 100_000_000 + suffix
