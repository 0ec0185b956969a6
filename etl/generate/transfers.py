"""Transfers of organizational relationship (组织关系转接): four reviews, statuses 0-9."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import names
from .members import Members
from .people import People, birth_dates
from .tree import Orgs

DAY, HOUR = 86_400, 3_600
P_IN = (0.08, 0.06, 0.05, 0.06, 0.05, 0.50, 0.06, 0.04, 0.06, 0.04)
OUT_STATUSES = (0, 1, 2, 5, 6, 7)
P_OUT = (0.08, 0.08, 0.07, 0.60, 0.10, 0.07)


@dataclass
class Transfers:
    person: np.ndarray
    member: np.ndarray  # member index, -1 for people who left the province
    from_org: np.ndarray
    to_org: np.ndarray  # org index, -1 outside the province
    to_text: np.ndarray  # receiving organization outside the province ("" inside)
    status: np.ndarray
    dest: np.ndarray  # 1 省内, 2 转出省外, 3 退回原籍
    cause: np.ndarray
    created: np.ndarray  # epoch seconds
    steps: np.ndarray  # (n, 4) epoch seconds of each review, -1 where not reached
    completed: np.ndarray  # epoch seconds, -1 unless status 5


def _steps_done(status: np.ndarray, dest: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """How many of the four reviews have a time (for returns, the returning review counts)."""
    done = np.select([status == 5, (status >= 1) & (status <= 4), status >= 6],
                     [4, status - 1, status - 5], rng.integers(0, 3, len(status)))
    return np.where((dest > 1) & (status == 5), 2, done)


def build_transfers(
    rng: np.random.Generator, orgs: Orgs, m: Members, people: People, usable: np.ndarray, now: int
) -> Transfers:
    n = max(10, round(0.01 * len(m)))
    dest = rng.choice([1, 2, 3], n, p=[0.8, 0.12, 0.08])
    dest[:10] = 1
    status = rng.choice(10, n, p=P_IN)
    out = dest > 1
    status[out] = np.array(OUT_STATUSES)[rng.choice(len(OUT_STATUSES), out.sum(), p=P_OUT)]
    status[:10] = np.arange(10)  # every status at least once
    departed = out & (status == 5)
    cand = np.flatnonzero(usable)
    cand = cand if len(cand) else np.arange(len(m))  # tiny provinces
    member = rng.choice(cand, n, replace=False) if n <= len(cand) else rng.choice(cand, n)
    member[departed] = -1
    branches = orgs.branches
    other = branches[rng.integers(0, len(branches), n)]
    own = np.where(member >= 0, m.branch[np.maximum(member, 0)], other)
    same = other == own
    other[same] = branches[(np.searchsorted(branches, other[same]) + 1) % len(branches)]
    moved_in = (dest == 1) & (status == 5)
    from_org = np.where(moved_in, other, own)
    to_org = np.where(moved_in, own, np.where(dest == 1, other, -1))
    outside = np.array(names.OUTSIDE_ORGS)[rng.integers(0, len(names.OUTSIDE_ORGS), n)]
    to_text = np.where(dest > 1, outside, "")
    person = np.where(member >= 0, m.person[np.maximum(member, 0)], -1)
    k = int(departed.sum())
    if k:
        new = people.add(
            birth_dates(rng, 20, 28, np.datetime64(now, "s").astype("datetime64[D]"), k),
            rng.random(k) < 0.5,
            orgs.a_city[from_org[departed]],
        )
        person[departed] = new
    sector = orgs.a_sector[from_org]
    cause = np.where(np.isin(sector, ("univ", "high", "voc")), 2,
                     np.where(np.isin(sector, ("soe", "private", "agency")), 1, 3))
    cause[rng.random(n) < 0.1] = 3
    # Times: lags between reviews, anchored at the last event.
    done = _steps_done(status, dest, rng)
    lags = (np.exp(rng.normal(0, 1.0, (n, 4))) * 20 * HOUR).astype(np.int64) + 600
    pending = (status >= 1) & (status <= 4)
    stuck = rng.random(n) < 0.4
    wait = np.where(stuck, 7.5 * DAY + rng.random(n) * 50 * DAY, HOUR + rng.random(n) * 6 * DAY)
    recent = rng.random(n) < 0.5
    ago = np.where(recent, rng.random(n) * 60, rng.random(n) * 330) * DAY + HOUR
    last = now - np.where(pending, wait, ago).astype(np.int64)
    reached = np.arange(4)[None, :] < done[:, None]
    cum = np.cumsum(np.where(reached, lags, 0), axis=1)
    total = cum[:, -1]
    created = last - total
    steps = np.where(reached, created[:, None] + cum, -1)
    completed = np.where(status == 5, created + total, -1)
    return Transfers(
        person, member, from_org, to_org, to_text, status, dest, cause, created, steps, completed
    )
