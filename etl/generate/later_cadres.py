"""Cadres after the base date: out-of-scope records removed, new ones entered (a new class's
whole committee, now and then a branch's), secretaries for branches without a cadre, and
in-scope cadres onboarding the 企业号."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .cadres import COMMITTEE, Cadres
from .draws import Draws
from .dues import month_of

if TYPE_CHECKING:
    from .model import Province

DAY = 86_400
REMOVE = (0.45, 14)  # organizations with out-of-scope records: share that removes them, mean days
ONBOARD = (0.40, 12)  # in-scope cadres not onboarded: share that onboards, mean days
NEW_CLASS_COMMITTEE = (0.35, 7)  # a new class's branch enters its committee: share, mean days
COMMITTEE_LATER = (0.03, 120)  # another branch with only its secretary does: share, within days
SECRETARY = (0.35, 15)  # a branch without a cadre enters a secretary: share, mean days


@dataclass
class CadreEvents:
    remove_at: np.ndarray  # per base record, -1 = stays
    onboard_at: np.ndarray  # per base record, -1 = no change
    added: Cadres  # records entered after the base date, in branch order
    added_at: np.ndarray
    added_onboard_at: np.ndarray

    @property
    def added_person(self) -> np.ndarray:
        return self.added.person

    def at(self, base: Cadres, now: int) -> tuple[Cadres, np.ndarray]:
        """The records at `now`, and each base record's new index (-1 = removed)."""
        keep = ~((self.remove_at >= 0) & (self.remove_at <= now))
        wecom = np.where((self.onboard_at >= 0) & (self.onboard_at <= now), 1, base.wecom)
        shown = self.added_at <= now
        a = self.added
        a_wecom = np.where((self.added_onboard_at >= 0) & (self.added_onboard_at <= now), 1,
                           a.wecom)
        cols = [(getattr(base, f)[keep], getattr(a, f)[shown])
                for f in ("person", "org", "position", "wecom", "operator", "kind", "since")]
        cols[3] = (wecom[keep], a_wecom[shown])
        new_index = np.where(keep, np.cumsum(keep) - 1, -1)
        return Cadres(*(np.concatenate(c) for c in cols)), new_index


def clearly_out_of_scope(otype: np.ndarray, position: np.ndarray,
                         operator: np.ndarray) -> np.ndarray:
    """Records outside the entry-scope rule whatever the onboarding (CONTRACT.md §2): in a branch
    anyone but the 书记 and the operator; in a 团总支 staff and 其他; elsewhere 其他."""
    return np.where(otype == 5, (position != "书记") & ~operator,
                    np.where(otype == 4, np.isin(position, ("工作人员", "其他")), position == "其他"))


def plan(p: Province, lag: np.ndarray) -> CadreEvents:
    from .later import after, stream

    rng = stream(p.seed, 3)
    c, orgs, m, t0 = p.cadres, p.orgs, p.members, p.now
    nc, no = len(c.org), len(orgs)
    otype = orgs.a_otype[c.org]
    out = clearly_out_of_scope(otype, c.position, c.operator)
    removable = out & ~lag[c.org]
    removable[p.bad_cadres] = removable[p.ghost_cadres] = False  # spoilt and copied rows keep their index
    org_u, org_t = rng.random(no), after(rng, t0, REMOVE[1], no)
    remove_at = np.where(removable & (org_u[c.org] < REMOVE[0]), org_t[c.org], -1)
    in_scope = np.where(otype == 5, c.position == "书记", ~out)
    u, t = rng.random(nc), after(rng, t0, ONBOARD[1], nc)
    onboard_at = np.where(in_scope & (c.wecom == 4) & ~lag[c.org] & (u < ONBOARD[0]), t, -1)

    # New records: members of the branch who are approved, active, clean and no cadre yet.
    year = (p.as_of - datetime.timedelta(days=37)).year
    usable = (p.reg.status == 3) & (p.membership == 0) & (p.dirty.mutation == 0)
    usable[p.dirty.extra_src] = False
    usable &= ~np.isin(m.person, c.person) & ~np.isin(np.arange(len(m)), p.transfers.member)
    per_org = np.bincount(c.org, minlength=no)
    has_secretary = np.zeros(no, dtype=bool)
    has_secretary[c.org[c.position == "书记"]] = True
    starts = np.searchsorted(m.branch, orgs.branches).tolist()
    ends = np.searchsorted(m.branch, orgs.branches, side="right").tolist()
    d = Draws(rng)
    rows = []  # person, org, position, wecom, operator, time, onboard time
    for b, s, e in zip(orgs.branches.tolist(), starts, ends, strict=True):
        u1, u2, u3 = d.u(), d.u(), d.u()
        pool = [i for i in range(s, e) if usable[i]]
        if lag[b] or not pool:
            continue
        if per_org[b] == 0:
            if u1 < SECRETARY[0]:
                at = t0 + int(-np.log(1 - u2) * SECRETARY[1] * DAY) + 600
                later = at + int(-np.log(1 - u3) * ONBOARD[1] * DAY) if u3 < ONBOARD[0] else -1
                rows.append((m.person[d.pick(pool)], b, "书记", 4, True, at, later))
            continue
        fresh = orgs.a_sector[b] == "univ" and orgs.a_intake[b] == year
        if per_org[b] != 1 or not has_secretary[b]:
            continue  # only a branch with its secretary alone enters more people
        if fresh and u1 < NEW_CLASS_COMMITTEE[0]:
            at, k = t0 + int(-np.log(1 - u2) * NEW_CLASS_COMMITTEE[1] * DAY) + 600, d.int(2, 4)
        elif not fresh and u1 < COMMITTEE_LATER[0]:
            at, k = t0 + int(u2 * COMMITTEE_LATER[1] * DAY) + 600, d.int(1, 2)
        else:
            continue
        for person, pos in zip(d.sample(pool, k), d.sample(COMMITTEE, k)):
            rows.append((m.person[person], b, pos, 1 if d.u() < 0.5 else 4, False, at, -1))
    cols = list(zip(*rows)) if rows else [[]] * 7
    added_at = np.array(cols[5], dtype=np.int64)
    added = Cadres(np.array(cols[0], dtype=np.int64), np.array(cols[1], dtype=np.int64),
                   np.array(cols[2], dtype=c.position.dtype if nc else str),
                   np.array(cols[3], dtype=np.int64), np.array(cols[4], dtype=bool),
                   np.full(len(rows), 2, dtype=np.int64), month_of(added_at).astype(np.int64))
    return CadreEvents(remove_at, onboard_at, added, added_at, np.array(cols[6], dtype=np.int64))
