"""Registration after the base date: pending reviews done, returned and withdrawn members
submitting again, and the campaigns' students who had not registered registering (new rows)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .registration import HOUR, Registration

if TYPE_CHECKING:
    from .model import Province

DAY = 86_400
APPROVED = (3, 4, 5)
# Per base status: (share that moves, mean days until it does). Freshmen pending review are
# reviewed when their college's drawn review time comes (unless their branch is a laggard).
FRESH = {2: (0.85, 3), 0: (0.60, 5)}
OTHERS = {1: (0.80, 7), 4: (0.70, 7), 2: (0.40, 10), 0: (0.25, 10)}
# Roster students not registered at the base date: (share who register, mean days), for this
# year's freshmen and last year's.
UNREGISTERED = ((0.92, 6), (0.15, 30))


@dataclass
class Joiners:
    """Member rows of roster students who register after the base date (if they ever do)."""

    branch: np.ndarray
    person: np.ndarray
    joined: np.ndarray
    number: np.ndarray
    education: np.ndarray


@dataclass
class RegistrationEvents:
    """Over the members then the joiners: up to two events each (time, new status, -1 = none).
    A status 1 event is a submission (sets 申请报到时间); the others are reviews."""

    joiners: Joiners
    t1: np.ndarray
    s1: np.ndarray
    t2: np.ndarray
    s2: np.ndarray
    approved_at: np.ndarray  # time of the first approval after the base date, -1 = none

    def at(self, base: Registration, now: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        k = len(self.joiners.branch)
        status = np.concatenate([base.status, np.ones(k, dtype=np.int8)])
        registered = np.concatenate([base.registered, np.full(k, -1, dtype=np.int64)])
        reviewed = np.concatenate([base.reviewed, np.full(k, -1, dtype=np.int64)])
        for t, s in ((self.t1, self.s1), (self.t2, self.s2)):
            hit = (t >= 0) & (t <= now)
            status[hit] = s[hit]
            submit = hit & (s == 1)
            registered[submit], reviewed[submit] = t[submit], -1
            reviewed[hit & (s != 1)] = t[hit & (s != 1)]
        return status, registered, reviewed


def _lags(rng: np.random.Generator, median_h: np.ndarray, n: int) -> np.ndarray:
    return (np.exp(rng.normal(0, 1.1, n)) * median_h * HOUR).astype(np.int64) + 300


def plan(p: Province, lag: np.ndarray) -> RegistrationEvents:
    from .later import stream

    rng = stream(p.seed, 2)
    m, r, orgs, t0 = p.members, p.reg, p.orgs, p.now
    n = len(m)
    year = (p.as_of - datetime.timedelta(days=37)).year
    fresh = (m.sector == "univ") & (orgs.a_intake[m.branch] == year)
    frozen = lag[m.branch] | (p.dirty.mutation != 0)
    frozen[p.dirty.extra_src] = True
    u, u_out = rng.random(n), rng.random(n)
    review_lag = _lags(rng, r.lag_h, n)
    t1, t2 = np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64)
    s1, s2 = np.zeros(n, dtype=np.int8), np.zeros(n, dtype=np.int8)
    delays = rng.exponential(DAY, n)  # a mean of one day, scaled per status below

    pending = fresh & (r.status == 1) & ~frozen
    t1[pending] = r.review_due[pending]
    s1[pending] = np.where(u_out < 0.04, 2, np.where(u_out > 0.98, 4, 3))[pending]
    for group, table in ((fresh, FRESH), (~fresh, OTHERS)):
        for code, (share, mean) in table.items():
            sel = group & (r.status == code) & ~frozen & (u < share)
            t1[sel] = t0 + (delays[sel] * mean).astype(np.int64) + 600
            if code in (0, 2):  # a new submission, then its review
                s1[sel] = 1
                t2[sel], s2[sel] = t1[sel] + review_lag[sel], 3
            elif code == 1:
                s1[sel] = np.where(u_out[sel] < 0.05, 2, 3)
            else:  # an edit reviewed: approved, or returned
                s1[sel] = np.where(u_out[sel] < 0.10, 5, 3)

    # Roster students with no member row: some register, in their branch, and are reviewed.
    extra = np.flatnonzero(~np.isin(r.roster_person, m.person))
    branch = r.roster_branch[extra]
    this_year = orgs.a_intake[branch] == year
    share = np.where(this_year, UNREGISTERED[0][0], UNREGISTERED[1][0])
    mean = np.where(this_year, UNREGISTERED[0][1], UNREGISTERED[1][1])
    k = len(extra)
    u_j, d_j = rng.random(k), rng.exponential(1.0, k)
    org_lag = np.full(len(orgs), 10.0)
    org_lag[m.branch[fresh]] = r.lag_h[fresh]
    lag_j = _lags(rng, org_lag[branch], k)
    out_j = rng.random(k)
    age = 14 + 3 * rng.random(k)
    edu = np.where(rng.random(k) < 0.9, 4, 3)
    joins = (u_j < share) & ~lag[branch]
    idx = np.flatnonzero(joins)
    person = r.roster_person[extra][idx]
    birth = p.people.birth[person]
    join_day = np.minimum(birth + (age[idx] * 365.25).astype(np.int64),
                          np.datetime64(p.as_of, "D") - 40)
    joined = join_day.astype("datetime64[M]").astype(np.int64) + 1970 * 12
    tail = ((n + np.arange(len(idx), dtype=np.int64)) * 36_591_911 + 3_141_592) % 100_000_000
    joiners = Joiners(branch[idx], person, joined, (joined // 12) * 100_000_000 + tail, edu[idx])
    jt1 = t0 + (d_j[idx] * mean[idx] * DAY).astype(np.int64) + 600
    jt2 = jt1 + lag_j[idx]
    js2 = np.where(out_j[idx] < 0.03, 2, 3).astype(np.int8)

    t1, t2 = np.concatenate([t1, jt1]), np.concatenate([t2, jt2])
    s1 = np.concatenate([s1, np.ones(len(idx), dtype=np.int8)])
    s2 = np.concatenate([s2, js2])
    was = np.concatenate([np.isin(r.status, APPROVED), np.zeros(len(idx), dtype=bool)])
    approved_at = np.where(~was & np.isin(s1, APPROVED) & (t1 >= 0), t1,
                           np.where(~was & np.isin(s2, APPROVED) & (t2 >= 0), t2, -1))
    return RegistrationEvents(joiners, t1, s1, t2, s2, approved_at)

