"""A later export of the demo province: the season's province, plus the progress made since.

Two as-of dates of one campaign season share the province built for the season's base date
(the same people, organizations, campaigns and deadlines). Progress is a set of events drawn
once per seed from streams of their own, each with a time; an export shows the events whose
time is at or before its moment, so a later export shows everything an earlier one did."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import numpy as np

from . import later_cadres, later_dues, later_registration, later_transfers
from .members import Members
from .registration import Registration, epoch

if TYPE_CHECKING:
    from .model import Province

DAY = 86_400
SALT = 1300  # progress streams are default_rng([seed, SALT, k]), apart from the province's
# Share of branches that never fix anything: of those with a campaign roster, of the others.
LAGGARDS = (0.10, 0.06)


def base_date(as_of: datetime.date) -> datetime.date:
    """The season's base date: 37 days after 1 September of the campaign's intake year (the year
    of as_of - 37 days, as the tree and the campaigns reckon it), or as_of itself when earlier."""
    year = (as_of - datetime.timedelta(days=37)).year
    base = datetime.date(year, 9, 1) + datetime.timedelta(days=37)
    return base if base <= as_of else as_of


def stream(seed: int, k: int) -> np.random.Generator:
    return np.random.default_rng([seed, SALT, k])


def after(rng: np.random.Generator, start: np.ndarray | int, mean_days: float,
          n: int) -> np.ndarray:
    """Event times: start plus an exponential delay (memoryless: a wait already under way)."""
    delay = rng.exponential(mean_days * DAY, n).astype(np.int64)
    return np.asarray(start, dtype=np.int64) + delay + 600


def laggards(p: Province) -> np.ndarray:
    """Per organization: a branch that never fixes anything (a fixed set per seed)."""
    rng = stream(p.seed, 1)
    branches = p.orgs.branches
    rostered = np.isin(branches, p.reg.roster_branch)
    out = np.zeros(len(p.orgs), dtype=bool)
    for group, share in zip((branches[rostered], branches[~rostered]), LAGGARDS, strict=True):
        k = min(len(group), max(1, round(len(group) * share))) if len(group) else 0
        out[rng.choice(group, k, replace=False) if k else []] = True
    return out


def advance(p: Province, as_of: datetime.date) -> None:
    """Turn the base province p into its export at as_of (later than its base), in place."""
    now = epoch(as_of) + 9 * 3600
    lag = laggards(p)
    reg = later_registration.plan(p, lag)
    cad = later_cadres.plan(p, lag)
    tr = later_transfers.plan(p, lag, cad.added_person)
    n, k = len(p.members), len(reg.joiners.branch)
    move_at, move_to, depart_at = tr.moves(n + k)
    dues = later_dues.plan(p, lag, reg, reg.joiners, move_at, move_to)

    # Members at `now` (joiners once they have submitted, not those gone from the province), in
    # their branch at `now`, sorted by branch as the base's are.
    branch = np.concatenate([p.members.branch, reg.joiners.branch])
    moved = (move_at >= 0) & (move_at <= now)
    branch[moved] = move_to[moved]
    shown = np.concatenate([np.ones(n, dtype=bool), (reg.t1[n:] >= 0) & (reg.t1[n:] <= now)])
    shown &= ~((depart_at >= 0) & (depart_at <= now))
    rows = np.flatnonzero(shown)
    order = rows[np.lexsort((rows, branch[rows]))]
    new_of = np.full(len(branch), -1, dtype=np.int64)
    new_of[order] = np.arange(len(order))

    _members_at(p, reg, branch, order, now)
    p.dirty.extra_src = new_of[p.dirty.extra_src]
    p.transfers = tr.at(now, new_of)
    p.cadres, index = cad.at(p.cadres, now)
    p.bad_cadres, p.ghost_cadres = index[p.bad_cadres], index[p.ghost_cadres]
    p.dues = dues.at(now, new_of)
    p.months = p.dues.months
    p.as_of, p.now = as_of, now


def _members_at(p: Province, reg: later_registration.RegistrationEvents, branch: np.ndarray,
                order: np.ndarray, now: int) -> None:
    """Members, their registration and the per-member columns: base members and joiners in
    `order`."""
    m, j = p.members, reg.joiners

    def take(base: np.ndarray, joiners) -> np.ndarray:
        extra = np.broadcast_to(np.asarray(joiners, dtype=base.dtype), (len(j.branch),))
        return np.concatenate([base, extra])[order]

    p.members = Members(branch[order], take(m.person, j.person), p.orgs.a_sector[branch[order]],
                        take(m.joined, j.joined), take(m.number, j.number), take(m.political, 1),
                        take(m.education, j.education), take(m.occupation, 6),
                        take(m.income, 0))
    status, registered, reviewed = reg.at(p.reg, now)
    r = p.reg
    p.reg = Registration(status[order], registered[order], reviewed[order], r.campaigns,
                         r.roster_campaign, r.roster_person, r.roster_branch)
    p.membership = take(p.membership, 0)
    p.dirty.mutation = take(p.dirty.mutation, 0)
