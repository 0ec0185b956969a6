"""Dues (团费): monthly bill lines per active member, streamed month by month."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .members import Members
from .transfers import Transfers
from .tree import Orgs

# Monthly standard in fen (DOMAIN.md §5): students 0.20, farmers 0.50, employed by income band.
STUDENT, FARMER = 20, 50
BY_INCOME = np.array([0, 300, 500, 1000, 1500, 2000])
VOLUNTARY = np.array([500, 1000, 2000, 5000, 10000])


@dataclass
class Month:
    month: int  # y * 12 + m - 1
    member: np.ndarray  # member index of each bill line
    branch: np.ndarray  # branch at billing time (org index)
    amount: np.ndarray  # fen
    paid: np.ndarray  # bool
    voluntary: np.ndarray  # fen
    unpaid_total: np.ndarray  # fen, running over the months so far


def month_start(month: int | np.ndarray) -> np.ndarray:
    """Epoch seconds of the first day of a month index."""
    return (
        (np.asarray(month) - 1970 * 12)
        .astype("datetime64[M]")
        .astype("datetime64[s]")
        .astype(np.int64)
    )


def month_of(seconds: np.ndarray) -> np.ndarray:
    return (
        np.asarray(seconds).astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
        + 1970 * 12
    )


class DuesPlan:
    """Everything about a member's dues that does not change from month to month."""

    def __init__(self, rng: np.random.Generator, orgs: Orgs, m: Members, billable: np.ndarray,
                 reviewed: np.ndarray, tr: Transfers, months: list[int]) -> None:
        self.rng, self.months = rng, months
        self.member = np.flatnonzero(billable)
        mem = self.member
        occ, inc = m.occupation[mem], m.income[mem]
        amount = np.where(occ == 6, STUDENT, np.where(occ == 5, FARMER, BY_INCOME[inc]))
        amount[(amount == 0) & (occ != 6) & (occ != 5)] = 300
        mismatch = (inc > 0) & (rng.random(len(mem)) < 0.005)  # billed as a student
        amount[mismatch] = STUDENT
        amount[m.political[mem] != 1] = 0  # Party members pay voluntarily
        self.amount = amount
        self.start = month_of(reviewed[mem]) + 1
        self.branch_now = m.branch[mem]
        n_org = len(orgs)
        chronic_branch = rng.random(n_org) < 0.04
        self.p_branch = np.where(
            chronic_branch, 0.1 + 0.3 * rng.random(n_org), 0.90 + 0.09 * rng.random(n_org)
        )
        n = len(mem)
        stop = rng.random(n) < 0.02
        self.stop = np.where(stop, months[0] + rng.integers(0, len(months), n), 1 << 40)
        self.late = np.where(rng.random(n) < 0.03, rng.integers(2, 4, n), 0)
        # Members who moved within the province: billed at the old branch until completion.
        self.moved_from = np.full(n, -1)
        self.moved_at = np.full(n, -1)
        done = (tr.member >= 0) & (tr.status == 5) & (tr.dest == 1)
        pos = np.searchsorted(mem, tr.member[done])
        ok = (pos < n) & (mem[np.minimum(pos, max(n - 1, 0))] == tr.member[done]) if n else pos < 0
        self.moved_from[pos[ok]] = tr.from_org[done][ok]
        self.moved_at[pos[ok]] = tr.completed[done][ok]

    def months_iter(self) -> Iterator[Month]:
        n = len(self.member)
        prev_unpaid = np.zeros(n, dtype=bool)
        running = np.zeros(n, dtype=np.int64)
        for j, mon in enumerate(self.months):
            rng = self.rng
            u = rng.random(n)
            billed = self.start <= mon
            p = np.where(prev_unpaid, 0.45, self.p_branch[self.branch_now])
            paid = u < p
            paid &= mon < self.stop
            paid &= j < len(self.months) - self.late
            if j == len(self.months) - 1:
                paid &= rng.random(n) >= 0.08  # the latest month: many have not paid yet
            vol = np.where(rng.random(n) < 0.01, VOLUNTARY[rng.integers(0, 5, n)], 0)
            party = self.amount == 0
            vol = np.where(party, VOLUNTARY[rng.integers(0, 3, n)], vol)
            vol = np.where(paid, vol, 0)
            running += np.where(billed & ~paid, self.amount, 0)
            prev_unpaid = np.where(billed, ~paid, prev_unpaid)
            branch = np.where((self.moved_from >= 0) & (self.moved_at >= month_start(mon)),
                              self.moved_from, self.branch_now)
            sel = np.flatnonzero(billed)
            yield Month(mon, self.member[sel], branch[sel], self.amount[sel], paid[sel], vol[sel],
                        running[sel])
