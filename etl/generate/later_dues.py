"""Dues after the base date: arrears paid, and the months billed since, paid the way each
member and branch paid before. An export shows the base's months and every month since."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .dues import BY_INCOME, FARMER, STUDENT, VOLUNTARY, Month, month_of, month_start

if TYPE_CHECKING:
    from .later_registration import Joiners, RegistrationEvents
    from .model import Province

DAY = 86_400
SETTLE = (0.25, 0.80, 12)  # members with unpaid months, not lapsing: share paying them all
# (batch payers: the second share), mean days
LAST_MONTH = (0.50, 7)  # the base's latest month unpaid: share paying it, mean days
ON_TIME = 0.85  # a month's payers who pay within the month; the rest early in the next one
LATE_MEAN = 10  # mean days into the next month for those
MONTH_STREAM = 50  # new month M draws from default_rng([seed, SALT, MONTH_STREAM, M])


@dataclass
class DuesEvents:
    """Everything about the bills that does not depend on the export's moment."""

    seed: int
    months: list[int]  # the base's months
    member: np.ndarray  # member (base members, then joiners) of each billed position
    amount: np.ndarray  # fen, per position
    start: np.ndarray  # first billed month
    stop: np.ndarray  # from this month on, never paid (lapsing)
    home: np.ndarray  # branch at the base date (or the joiner's)
    move_at: np.ndarray  # a transfer within the province completes (-1 = none)
    move_to: np.ndarray
    p_branch: np.ndarray  # per organization: the usual share paying
    billed: np.ndarray  # (base months, positions) bool
    paid: np.ndarray
    voluntary: np.ndarray
    branch: np.ndarray
    settle_at: np.ndarray  # pays all unpaid base months (-1 = never)
    last_at: np.ndarray  # pays the base's latest month (-1 = never)

    def at(self, now: int, new_of: np.ndarray) -> LaterDues:
        last = int(month_of(np.array([now]))[0])
        return LaterDues(self, now, new_of, self.months + list(range(self.months[-1] + 1, last)))


class LaterDues:
    """The dues of an export at `now`: its months and their bill lines (Month), members
    renumbered by new_of; lines of members gone from the province are left out."""

    def __init__(self, ev: DuesEvents, now: int, new_of: np.ndarray, months: list[int]) -> None:
        self.ev, self.now, self.new_of, self.months = ev, now, new_of, months

    def months_iter(self) -> Iterator[Month]:
        from .later import SALT

        ev, now = self.ev, self.now
        n, nb = len(ev.member), len(ev.months)
        running = np.zeros(n, dtype=np.int64)
        settled = (ev.settle_at >= 0) & (ev.settle_at <= now)
        prev_unpaid = np.zeros(n, dtype=bool)
        for j, mon in enumerate(self.months):
            if j < nb:
                billed, branch, vol = ev.billed[j], ev.branch[j], ev.voluntary[j]
                paid = ev.paid[j] | settled
                final = ev.paid[j] | (ev.settle_at >= 0)
                if j == nb - 1:
                    paid = paid | ((ev.last_at >= 0) & (ev.last_at <= now))
                    final = final | (ev.last_at >= 0)
            else:
                rng = np.random.default_rng([ev.seed, SALT, MONTH_STREAM, mon])
                u, on_time, within = rng.random(n), rng.random(n), rng.random(n)
                late = rng.exponential(LATE_MEAN * DAY, n).astype(np.int64)
                vol_u, vol_k, party_k = rng.random(n), rng.integers(0, 5, n), rng.integers(0, 3, n)
                billed = ev.start <= mon
                begins = int(month_start(mon))
                branch = np.where((ev.move_at >= 0) & (ev.move_at < begins), ev.move_to, ev.home)
                p = np.where(prev_unpaid, 0.45, ev.p_branch[branch])
                final = (u < p) & (mon < ev.stop)
                pay_at = np.where(on_time < ON_TIME, begins + (within * 28 * DAY).astype(np.int64),
                                  int(month_start(mon + 1)) + late)
                paid = final & (pay_at <= now)
                vol = np.where(vol_u < 0.01, VOLUNTARY[vol_k], 0)
                vol = np.where(ev.amount == 0, VOLUNTARY[party_k], vol)
                vol = np.where(paid, vol, 0)
            running += np.where(billed & ~paid, ev.amount, 0)
            prev_unpaid = np.where(billed, ~final, prev_unpaid)
            who = self.new_of[ev.member]
            sel = np.flatnonzero(billed & (who >= 0))
            sel = sel[np.argsort(who[sel], kind="stable")]
            yield Month(mon, who[sel], branch[sel], ev.amount[sel], paid[sel], vol[sel],
                        running[sel])


def _amounts(occupation: np.ndarray, income: np.ndarray, political: np.ndarray) -> np.ndarray:
    amount = np.where(occupation == 6, STUDENT,
                      np.where(occupation == 5, FARMER, BY_INCOME[income.astype(np.int64)]))
    amount[(amount == 0) & (occupation != 6) & (occupation != 5)] = 300
    amount[political != 1] = 0
    return amount


def plan(p: Province, lag: np.ndarray, reg: RegistrationEvents, joiners: Joiners,
         move_at: np.ndarray, move_to: np.ndarray) -> DuesEvents:
    from .later import after, stream

    rng = stream(p.seed, 5)
    base, m = p.dues, p.members
    n, k = len(m), len(joiners.branch)
    # Newly billable: first approved after the base date, active and clean (joiners are).
    active = np.concatenate([(p.membership == 0) & (p.dirty.mutation == 0), np.ones(k, bool)])
    new = np.flatnonzero((reg.approved_at >= 0) & active)
    new = new[~np.isin(new, base.member)]
    member = np.concatenate([base.member, new])
    occupation = np.concatenate([m.occupation, np.full(k, 6)])[new]
    income = np.concatenate([m.income, np.zeros(k)])[new]
    political = np.concatenate([m.political, np.ones(k)])[new]
    amount = np.concatenate([base.amount, _amounts(occupation, income, political)])
    start = np.concatenate([base.start, month_of(reg.approved_at[new]) + 1])
    stop = np.concatenate([base.stop, np.full(len(new), 1 << 40)])
    home = np.concatenate([m.branch, joiners.branch])[member]

    nb, size = len(base.months), len(member)
    billed = np.zeros((nb, size), dtype=bool)
    paid = np.zeros((nb, size), dtype=bool)
    voluntary = np.zeros((nb, size), dtype=np.int64)
    branch = np.tile(home, (nb, 1))
    for j, mo in enumerate(base.months_iter()):
        pos = np.searchsorted(base.member, mo.member)
        billed[j, pos], paid[j, pos], voluntary[j, pos], branch[j, pos] = (
            True, mo.paid, mo.voluntary, mo.branch)

    unpaid = (billed & ~paid).any(axis=0)
    open_ = ~lag[home] & (stop > base.months[-1])
    batch = np.concatenate([base.late > 0, np.zeros(len(new), dtype=bool)])
    u, t = rng.random(size), after(rng, p.now, SETTLE[2], size)
    settle_at = np.where(unpaid & open_ & (u < np.where(batch, SETTLE[1], SETTLE[0])), t, -1)
    u, t = rng.random(size), after(rng, p.now, LAST_MONTH[1], size)
    last_unpaid = billed[-1] & ~paid[-1] if nb else np.zeros(size, dtype=bool)
    last_at = np.where(last_unpaid & open_ & (u < LAST_MONTH[0]), t, -1)
    return DuesEvents(p.seed, list(base.months), member, amount, start, stop, home,
                      move_at[member], move_to[member], base.p_branch, billed, paid, voluntary,
                      branch, settle_at, last_at)
