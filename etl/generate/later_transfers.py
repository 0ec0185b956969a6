"""Transfers after the base date: pending applications reviewed step by step (completed, or
returned), and a few new applications. A completed transfer moves its member to the receiving
branch, or out of the province."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import names
from .transfers import Transfers

if TYPE_CHECKING:
    from .model import Province

DAY, HOUR = 86_400, 3_600
MOVES = 0.75  # share of pending applications reviewed again (the rest stay stuck)
NEXT_REVIEW = (4, 10)  # mean days to the next review: waiting under 7 days, stuck longer
RETURNED = 0.05  # each review returns the application with this chance
NEW_PER_MEMBER_DAY = 0.0015 / 30  # new applications: 0.15% of members a month
HORIZON = 130  # days after the base date drawn for (the season ends within it)


@dataclass
class TransferEvents:
    """Over the base transfers then the new ones: the time of each review still to come (-1 =
    none), whether it returns the application, and how many reviews complete it."""

    review_at: np.ndarray  # (n, 4)
    returns: np.ndarray  # (n, 4) bool
    total: np.ndarray  # 4 within the province, 2 to outside it
    base: Transfers  # the applications at the base date
    new: Transfers  # the new applications, by application time (status 1, no review yet)

    def at(self, now: int, new_of: np.ndarray) -> Transfers:
        """The applications at `now`, members renumbered by new_of (-1: no longer a member)."""
        base = self.base
        shown = self.new.created <= now
        keep = np.concatenate([np.ones(len(base.status), dtype=bool), shown])
        t = Transfers(*(np.concatenate([getattr(base, f), getattr(self.new, f)])[keep]
                        for f in Transfers.__dataclass_fields__))
        status, steps, completed = t.status.copy(), t.steps.copy(), t.completed.copy()
        review_at, returns, total = self.review_at[keep], self.returns[keep], self.total[keep]
        for k in range(4):
            hit = (review_at[:, k] >= 0) & (review_at[:, k] <= now)
            steps[hit, k] = review_at[hit, k]
            last = hit & (k == total - 1) & ~returns[:, k]
            status[hit] = np.where(returns[hit, k], 6 + k, np.where(last[hit], 5, k + 2))
            completed[last] = review_at[last, k]
        gone = (t.member >= 0) & (new_of[np.maximum(t.member, 0)] < 0)
        member = np.where((t.member >= 0) & ~gone, new_of[np.maximum(t.member, 0)], -1)
        return Transfers(t.person, member, t.from_org, t.to_org, t.to_text, status, t.dest,
                         t.cause, t.created, steps, completed)

    def moves(self, n_members: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per member (base members and joiners): when a transfer completes within the province
        and to which branch, and when one completes to outside it (-1 = never)."""
        member = np.concatenate([self.base.member, self.new.member])
        dest = np.concatenate([self.base.dest, self.new.dest])
        to_org = np.concatenate([self.base.to_org, self.new.to_org])
        last = np.take_along_axis(self.review_at, (self.total - 1)[:, None], 1)[:, 0]
        done = (member >= 0) & (last >= 0) & ~self.returns.any(axis=1)
        move_at = np.full(n_members, -1, dtype=np.int64)
        move_to = np.full(n_members, -1, dtype=np.int64)
        depart_at = np.full(n_members, -1, dtype=np.int64)
        inside, outside = done & (dest == 1), done & (dest > 1)
        move_at[member[inside]], move_to[member[inside]] = last[inside], to_org[inside]
        depart_at[member[outside]] = last[outside]
        return move_at, move_to, depart_at


def _reviews(rng: np.random.Generator, first: np.ndarray, start: np.ndarray, total: np.ndarray,
             n: int) -> tuple[np.ndarray, np.ndarray]:
    """Review times from step `start` on (the first at `first`, the next ones about a day
    apart), stopping at a return or at `total`."""
    lags = (np.exp(rng.normal(0, 1.0, (n, 4))) * 20 * HOUR).astype(np.int64) + 600
    ret = rng.random((n, 4)) < RETURNED
    at = np.full((n, 4), -1, dtype=np.int64)
    returns = np.zeros((n, 4), dtype=bool)
    t = first.copy()
    alive = first >= 0
    for k in range(4):
        due = alive & (k >= start) & (k < total)
        at[due, k] = t[due]
        returns[due, k] = ret[due, k]
        alive &= ~(due & ret[:, k])
        t = np.where(due, t + lags[:, k], t)
    return at, returns


def plan(p: Province, lag: np.ndarray, cadre_person: np.ndarray) -> TransferEvents:
    from .later import after, stream

    rng = stream(p.seed, 4)
    tr, m, orgs, t0 = p.transfers, p.members, p.orgs, p.now
    nb = len(tr.status)
    total = np.where(tr.dest == 1, 4, 2)
    pending = (tr.status >= 1) & (tr.status <= 4)
    frozen = lag[tr.from_org] | (lag[np.maximum(tr.to_org, 0)] & (tr.to_org >= 0))
    waited = t0 - np.max(np.where(tr.steps >= 0, tr.steps, tr.created[:, None]), axis=1)
    u = rng.random(nb)
    first = np.where(waited > 7 * DAY, after(rng, t0, NEXT_REVIEW[1], nb),
                     after(rng, t0, NEXT_REVIEW[0], nb))
    first = np.where(pending & ~frozen & (u < MOVES), first, -1)
    at_b, ret_b = _reviews(rng, first, tr.status.astype(np.int64) - 1, total, nb)

    # New applications by members who are approved, active, clean, no cadre and not moving yet.
    year = (p.as_of - datetime.timedelta(days=37)).year
    ok = (p.reg.status == 3) & (p.membership == 0) & (p.dirty.mutation == 0) & ~lag[m.branch]
    ok &= ~((m.sector == "univ") & (orgs.a_intake[m.branch] == year))  # freshmen stay
    ok[p.dirty.extra_src] = False
    ok &= ~np.isin(m.person, p.cadres.person) & ~np.isin(m.person, cadre_person)
    ok &= ~np.isin(np.arange(len(m)), tr.member)
    cand = np.flatnonzero(ok)
    open_ = orgs.branches[~lag[orgs.branches]]
    k = min(len(cand), max(1, round(len(m) * NEW_PER_MEMBER_DAY * HORIZON)))
    k = k if len(open_) > 1 else 0
    created = np.sort(t0 + (rng.random(k) * HORIZON * DAY).astype(np.int64))
    member = rng.choice(cand, k, replace=False) if k else np.zeros(0, dtype=np.int64)
    dest = rng.choice([1, 2, 3], k, p=[0.85, 0.09, 0.06])
    own = m.branch[member]
    other = open_[rng.integers(0, len(open_), k)]
    other = np.where(other == own, open_[(np.searchsorted(open_, other) + 1) % len(open_)], other)
    to_org = np.where(dest == 1, other, -1)
    to_text = np.where(dest > 1, np.array(names.OUTSIDE_ORGS)[
        rng.integers(0, len(names.OUTSIDE_ORGS), k)], "")
    sector = orgs.a_sector[own]
    cause = np.where(np.isin(sector, ("univ", "high", "voc")), 2,
                     np.where(np.isin(sector, ("soe", "private", "agency")), 1, 3))
    cause[rng.random(k) < 0.1] = 3
    stuck = rng.random(k) < 0.3
    wait = np.where(stuck, 7.5 * DAY + rng.random(k) * 30 * DAY,
                    np.exp(rng.normal(0, 1.0, k)) * 20 * HOUR + 600).astype(np.int64)
    total_n = np.where(dest == 1, 4, 2)
    at_n, ret_n = _reviews(rng, created + wait, np.zeros(k, dtype=np.int64), total_n, k)
    new = Transfers(m.person[member], member, own, to_org, to_text, np.ones(k, dtype=np.int64),
                    dest, cause, created, np.full((k, 4), -1, dtype=np.int64),
                    np.full(k, -1, dtype=np.int64))
    return TransferEvents(np.concatenate([at_b, at_n]), np.concatenate([ret_b, ret_n]),
                          np.concatenate([total, total_n]), tr, new)
