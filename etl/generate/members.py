"""Members (团员): how many in each branch, and who they are (age, joining, occupation, income)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .people import People, birth_dates, jitter_days
from .tree import Orgs

# Branch size range (inclusive) by sector.
SIZES = {"univ": (18, 30), "staff_univ": (4, 15), "staff_high": (3, 10), "high": (5, 25),
         "voc": (5, 22), "soe": (5, 25), "private": (3, 20), "community": (3, 15), "rural": (3, 14),
         "agency": (4, 20)}
OCCUPATION = {"univ": 6, "high": 6, "voc": 6, "staff_univ": 8, "staff_high": 10, "soe": 1,
              "private": 2, "agency": 3}
INCOME = {"soe": (5, 35, 35, 15, 10), "private": (10, 50, 28, 8, 4), "agency": (3, 40, 40, 12, 5),
          "staff_univ": (2, 35, 45, 13, 5), "staff_high": (2, 35, 45, 13, 5),
          "community": (25, 50, 18, 5, 2), "rural": (40, 45, 10, 3, 2)}
EDUCATION = {"univ": (0, 0, 0, 10, 90, 0), "high": (100, 0, 0, 0, 0, 0),
             "voc": (100, 0, 0, 0, 0, 0), "staff_univ": (0, 0, 0, 0, 50, 50),
             "staff_high": (0, 0, 0, 10, 80, 10), "soe": (0, 5, 10, 30, 45, 10),
             "private": (5, 20, 25, 35, 15, 0), "agency": (0, 0, 0, 10, 70, 20),
             "community": (10, 30, 25, 25, 10, 0), "rural": (40, 40, 15, 5, 0, 0)}
PARTY = {"staff_univ": 0.15, "staff_high": 0.12, "soe": 0.06, "agency": 0.08, "private": 0.015,
         "community": 0.015, "rural": 0.01, "voc": 0.0, "high": 0.0}


@dataclass
class Members:
    branch: np.ndarray  # org index, members sorted by branch
    person: np.ndarray  # people index
    sector: np.ndarray  # sector of the branch (str)
    joined: np.ndarray  # joining month as months since year 0 (y * 12 + m - 1)
    number: np.ndarray  # 团员编号 as int64, 0 = empty
    political: np.ndarray  # 1 团员, 2 党员, 3 预备党员
    education: np.ndarray  # index into names.EDUCATION
    occupation: np.ndarray  # code 1-14
    income: np.ndarray  # code 1-5, 0 = empty

    def __len__(self) -> int:
        return len(self.branch)


def branch_sizes(rng: np.random.Generator, orgs: Orgs, total: int, year: int) -> np.ndarray:
    """Members per branch: by sector, a few hollow (0-2), then nudged to sum exactly to total."""
    br = orgs.branches
    sector = orgs.a_sector[br]
    lo = np.array([SIZES[s][0] for s in sector])
    hi = np.array([SIZES[s][1] for s in sector])
    sizes = lo + (rng.random(len(br)) * (hi - lo + 1)).astype(np.int64)
    fresh = (sector == "univ") & (orgs.a_intake[br] == year)
    hollow = (rng.random(len(br)) < 0.015) & ~fresh & (sector != "univ")
    sizes[hollow] = rng.integers(0, 3, hollow.sum())
    if total < 3 * (~hollow).sum():
        raise ValueError(f"{total} members are too few for {len(br)} branches")
    for _ in range(1000):
        diff = total - sizes.sum()
        if diff == 0:
            break
        room = ~hollow & ((sizes < 30) if diff > 0 else (sizes > 3))
        cand = np.flatnonzero(room)
        pick = rng.choice(cand, min(abs(diff), len(cand)), replace=False)
        sizes[pick] += 1 if diff > 0 else -1
    return sizes


def _draw(rng: np.random.Generator, table: dict, sector: np.ndarray, default: tuple) -> np.ndarray:
    """Per-member index drawn from a per-sector weight table."""
    out = np.zeros(len(sector), dtype=np.int64)
    for s in np.unique(sector):
        m = sector == s
        w = np.array(table.get(s, default), dtype=float)
        out[m] = rng.choice(len(w), m.sum(), p=w / w.sum())
    return out


def build_members(rng: np.random.Generator, orgs: Orgs, people: People, total: int,
                  as_of: np.datetime64, year: int) -> Members:
    sizes = branch_sizes(rng, orgs, total, year)
    bpos = np.repeat(np.arange(len(sizes)), sizes)  # member -> position among the branches
    branch = orgs.branches[bpos]
    b_sector = orgs.a_sector[orgs.branches]
    n = len(branch)
    sector = orgs.a_sector[branch]
    intake = orgs.a_intake[branch]
    # Ages: students follow their intake year, others 18-28 with a few older.
    age_lo = np.full(n, 18.0)
    age_hi = np.full(n, 28.9)
    age_lo[sector == "rural"] = age_lo[sector == "community"] = 16.0
    staff = np.char.startswith(sector.astype(str), "staff")
    age_lo[staff], age_hi[staff] = 23.0, 31.0
    older = ~staff & np.isin(sector, ("soe", "private", "agency", "community", "rural"))
    older &= rng.random(n) < 0.025
    age_lo[older], age_hi[older] = 29.0, 34.0
    birth = birth_dates(rng, age_lo, age_hi, as_of, n)
    for s, offset in (("univ", 18), ("high", 15), ("voc", 15.5)):
        m = sector == s
        sept = (intake[m] - 1970).astype("datetime64[Y]").astype("datetime64[D]") + 243
        jitter = jitter_days(rng, int(m.sum()))
        birth[m] = sept - int(offset * 365.25) + jitter
    limit = as_of.astype("datetime64[D]") - int(14.1 * 365.25)  # members are 14 or older
    birth = np.where(birth > limit, limit - (birth - limit), birth)  # mirrored, not piled up
    male = rng.random(n) < np.where(np.isin(sector, ("staff_univ", "staff_high")), 0.4, 0.5)
    person = people.add(birth, male, orgs.a_city[branch])
    # Joining: at 14-17, a few at 13; never in the future.
    join_age = 14 + rng.random(n) * 3
    join_age[rng.random(n) < 0.003] = 13.3
    join_day = birth + (join_age * 365.25).astype(np.int64)
    join_day = np.minimum(join_day, as_of.astype("datetime64[D]") - 40)
    joined = join_day.astype("datetime64[M]").astype(np.int64) + 1970 * 12
    number = member_numbers(rng, joined // 12, n)
    occupation = np.array([OCCUPATION.get(s, 0) for s in b_sector], dtype=np.int64)[bpos]
    occupation[(sector == "agency") & (orgs.a_industry[branch] == "国有企业")] = 1
    comm = sector == "community"
    occupation[comm] = np.array([2, 7, 4, 14, 6])[
        rng.choice(5, comm.sum(), p=[0.4, 0.25, 0.15, 0.1, 0.1])
    ]
    rur = sector == "rural"
    occupation[rur] = np.array([5, 7, 2])[rng.choice(3, rur.sum(), p=[0.8, 0.1, 0.1])]
    income = _draw(rng, INCOME, sector, (20, 50, 20, 6, 4)) + 1
    income[np.isin(occupation, (5, 6))] = 0
    education = _draw(rng, EDUCATION, sector, (0, 20, 20, 30, 30, 0))
    p_party = np.array([PARTY.get(s, 0.0) for s in b_sector])[bpos]
    p_party[(sector == "univ") & (intake <= year - 2)] = 0.04
    party = rng.random(n) < p_party
    political = np.where(party, np.where(rng.random(n) < 0.67, 2, 3), 1)
    small = [a.astype(np.int8) for a in (political, education, occupation, income)]
    return Members(branch, person, sector, joined, number, *small)


def member_numbers(rng: np.random.Generator, join_year: np.ndarray, n: int) -> np.ndarray:
    """12-digit numbers starting with the joining year for 2017+ (2017/2018 sometimes swapped);
    a few missing or wrong; mostly none before 2017."""
    tail = (np.arange(n, dtype=np.int64) * 36_591_911 + 3_141_592) % 100_000_000
    year = join_year.copy()
    swap = np.isin(year, (2017, 2018)) & (rng.random(n) < 0.1)
    year[swap] = 4035 - year[swap]
    number = year * 100_000_000 + tail
    u = rng.random(n)
    required = join_year >= 2017
    number[required & (u < 0.015)] = 0
    wrong = required & (u >= 0.015) & (u < 0.02)
    number[wrong] = (
        np.where(
            u[wrong] < 0.0175, (join_year[wrong] - 3) * 100_000_000, join_year[wrong] * 10_000_000
        )
        + tail[wrong] % 10_000_000
    )
    number[~required & (u < 0.8)] = 0
    return number


def membership_statuses(rng: np.random.Generator, m: Members, people: People, approved: np.ndarray,
                        cadre: np.ndarray, as_of: np.datetime64) -> np.ndarray:
    """团籍状态: mostly 正常; over-28 non-cadres partly processed out; a few others."""
    from .people import age_years

    n = len(m)
    status = np.zeros(n, dtype=np.int8)
    u = rng.random(n)
    over = approved & ~cadre & (age_years(people.births()[m.person], as_of) >= 28)
    status[over & (u < 0.4)] = 2
    status[over & (u >= 0.4) & (u < 0.6)] = 3
    rest = approved & ~over & ~cadre
    codes = np.array([1, 4, 5, 6, 7, 8, 9])
    cum = np.cumsum([0.002, 0.002, 0.001, 0.001, 0.0005, 0.0002, 0.0001])
    pick = np.searchsorted(cum, u)
    status[rest & (pick < len(codes))] = codes[pick[rest & (pick < len(codes))]]
    return status
