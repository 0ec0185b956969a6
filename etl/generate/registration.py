"""Registration (报到): statuses and times of every member, campaigns and their rosters."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from .members import Members
from .people import People, jitter_days
from .tree import Orgs

DAY = 86_400
HOUR = 3_600
PLATFORM_START = int(np.datetime64("2018-01-01T00:00:00", "s").astype(np.int64))


@dataclass
class Registration:
    status: np.ndarray  # 报到资料状态 code 0-5
    registered: np.ndarray  # epoch seconds, -1 = none
    reviewed: np.ndarray  # epoch seconds, -1 = none
    campaigns: list[tuple[str, datetime.date, int]]  # name, deadline, org index
    roster_campaign: np.ndarray
    roster_person: np.ndarray
    roster_branch: np.ndarray
    # For a later export (later_registration.py): each member's drawn review time, also where the
    # review is still to come (-1 unless a freshman), and the median review lag of the branch.
    review_due: np.ndarray | None = None
    lag_h: np.ndarray | None = None


def epoch(day: datetime.date | np.datetime64) -> int:
    return int(np.datetime64(day, "s").astype(np.int64))


def _lags(rng: np.random.Generator, median_h: np.ndarray | float, n: int) -> np.ndarray:
    return (np.exp(rng.normal(0, 1.1, n)) * np.asarray(median_h) * HOUR).astype(np.int64) + 300


def build_registration(rng: np.random.Generator, orgs: Orgs, m: Members, people: People, now: int,
                       year: int, as_of: datetime.date) -> Registration:
    n = len(m)
    intake = orgs.a_intake[m.branch]
    fresh = (m.sector == "univ") & (intake == year)
    status = rng.choice([3, 4, 5, 1, 2, 0], n, p=[0.93, 0.025, 0.005, 0.02, 0.012, 0.008]).astype(np.int8)
    join_s = (m.joined - 1970 * 12).astype("datetime64[M]").astype("datetime64[s]").astype(np.int64)
    earliest = np.maximum(join_s, PLATFORM_START)
    school = (m.sector == "univ") & (intake >= 2018)
    earliest[school] = (intake[school] - 1970).astype("datetime64[Y]").astype(
        "datetime64[s]"
    ).astype(np.int64) + 243 * DAY
    # Those who joined before the platform registered over its first year, later joiners soon.
    window = np.where(join_s < PLATFORM_START, 365, 90) * DAY
    latest = np.minimum(earliest + window, now - 2 * DAY)
    latest = np.maximum(latest, earliest + DAY)
    registered = earliest + (rng.random(n) * (latest - earliest)).astype(np.int64)
    recent = status == 1
    back = np.where(rng.random(n) < 0.8, rng.random(n) * 45, 45 + rng.random(n) * 150) * DAY
    registered[recent] = now - back[recent].astype(np.int64)
    registered = np.minimum(np.maximum(registered, earliest), now - HOUR)
    reviewed = np.minimum(registered + _lags(rng, 10.0, n), now - 60)
    reviewed[np.isin(status, (0, 1))] = -1

    # Freshmen: an S-shaped submission curve per college, review lags per college.
    sept1 = epoch(datetime.date(year, 9, 1))
    start = sept1 if sept1 < now - 7 * DAY else now - 37 * DAY
    colleges = np.unique(orgs.a_college[m.branch[fresh]])
    col_of = np.searchsorted(colleges, orgs.a_college[m.branch[fresh]])
    k = len(colleges)
    behind = rng.random(k) < 0.12
    share = np.where(behind, 0.3 + 0.25 * rng.random(k), 0.75 + 0.22 * rng.random(k))
    mid = np.where(behind, 18 + 12 * rng.random(k), 7 + 11 * rng.random(k)) * DAY
    scale = (2.5 + 2.5 * rng.random(k)) * DAY
    slow = rng.random(k)  # some colleges review in days, a few have all but stopped
    lag_h = np.select([slow < 0.08, slow < 0.25],
                      [240 + 480 * rng.random(k), 48 + 150 * rng.random(k)], 3 + 27 * rng.random(k))
    f = int(fresh.sum())
    a, b = start, now - 600
    lo = 1 / (1 + np.exp(-(a - start - mid[col_of]) / scale[col_of]))
    hi = 1 / (1 + np.exp(-(b - start - mid[col_of]) / scale[col_of]))
    u = lo + rng.random(f) * (hi - lo)
    t = start + mid[col_of] + scale[col_of] * np.log(u / (1 - u))
    reg_f = np.clip(t, a, b).astype(np.int64)
    rev_f = reg_f + _lags(rng, lag_h[col_of], f)
    review_due = np.full(n, -1, dtype=np.int64)
    review_due[fresh] = rev_f
    median_lag = np.full(n, 10.0)
    median_lag[fresh] = lag_h[col_of]
    st_f = np.where(rev_f <= now, 3, 1)
    v = rng.random(f)
    done = st_f == 3
    st_f[done & (v < 0.04)] = 2  # returned to the student
    st_f[done & (v > 0.98)] = 4  # approved, then an edit awaits review
    st_f[(v >= 0.04) & (v < 0.055)] = 0  # withdrawn by the student
    rev_f[np.isin(st_f, (0, 1))] = -1
    status[fresh], registered[fresh], reviewed[fresh] = st_f, reg_f, rev_f

    # Campaigns: this year's freshmen and last year's, per university.
    campaigns, r_camp, r_person, r_branch = [], [], [], []
    fresh_branch = m.branch[fresh]
    share_of_branch = dict(
        zip(np.unique(fresh_branch).tolist(),
            share[np.searchsorted(colleges, orgs.a_college[np.unique(fresh_branch)])])
    )
    last = (m.sector == "univ") & (intake == year - 1)
    unit = orgs.a_unit[m.branch]
    deadline = as_of + datetime.timedelta(days=23)
    cohorts = {}
    for y, cohort in ((year, fresh), (year - 1, last)):
        sel = np.flatnonzero(cohort)
        sel = sel[np.argsort(unit[sel], kind="stable")]
        keys, first = np.unique(unit[sel], return_index=True)
        # np.split of an empty cohort (a small province) still gives one empty part
        parts = np.split(sel, first[1:]) if len(sel) else []
        cohorts[y] = dict(zip(keys.tolist(), parts, strict=True))
    for u_idx in sorted(set(cohorts[year]) | set(cohorts[year - 1])):
        uname = orgs.full[u_idx].removeprefix("共青团").removesuffix("委员会")
        for y, deadline_y in ((year, deadline), (year - 1, _year_before(deadline))):
            sel = cohorts[y].get(u_idx, np.zeros(0, dtype=np.int64))
            if not len(sel):
                continue
            c = len(campaigns)
            campaigns.append((f"{uname}{y}级新生团员报到", deadline_y, u_idx))
            r_camp.append(np.full(len(sel), c))
            r_person.append(m.person[sel])
            r_branch.append(m.branch[sel])
            # expected students who have not registered at all
            br, cnt = np.unique(m.branch[sel], return_counts=True)
            p = np.array([share_of_branch.get(b, 0.97) for b in br.tolist()])
            extra = np.minimum(np.round(cnt * (1 - p) / p), np.maximum(40 - cnt, 0)).astype(int)
            where = np.repeat(br, extra)
            if len(where):
                sept = np.datetime64(f"{y - 18}-09-01")
                birth = sept + jitter_days(rng, len(where))
                r_person.append(people.add(birth, rng.random(len(where)) < 0.5, orgs.a_city[where]))
                r_camp.append(np.full(len(where), c))
                r_branch.append(where)
    def cat(xs: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(xs) if xs else np.zeros(0, dtype=np.int64)

    return Registration(status, registered, reviewed, campaigns, cat(r_camp), cat(r_person),
                        cat(r_branch), review_due, median_lag)


def _year_before(day: datetime.date) -> datetime.date:
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)
