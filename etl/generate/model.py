"""The whole demo province in memory (numbers and codes; text is made only when writing)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from . import dirty as dirty_mod
from . import later
from .cadres import Cadres, build_cadres
from .dues import DuesPlan
from .members import Members, build_members, membership_statuses
from .people import People, birth_dates
from .registration import Registration, build_registration, epoch
from .transfers import Transfers, build_transfers
from .tree import Orgs, build_tree

MEMBERS_PER_BRANCH = 17


@dataclass
class Province:
    seed: int
    as_of: datetime.date
    now: int  # epoch seconds: the moment of the export (as_of 09:00)
    months: list[int]  # the 12 billed months, y * 12 + m - 1
    orgs: Orgs
    people: People
    members: Members
    reg: Registration
    membership: np.ndarray
    cadres: Cadres
    transfers: Transfers
    dirty: dirty_mod.Dirty
    dues: DuesPlan
    bad_transfer_dates: np.ndarray  # transfer rows whose 申请时间 is unparseable
    bad_cadres: np.ndarray  # cadre rows with an unknown label
    ghost_cadres: np.ndarray  # cadre rows copied with an organization that does not exist


def build(members: int, seed: int, as_of: datetime.date,
          progress=lambda step, done, total: None, base: datetime.date | None = None) -> Province:
    """The province at as_of: built at the season's base date (later.base_date, or `base`),
    then advanced by the progress made between the two dates."""
    base = later.base_date(as_of) if base is None else base
    if base > as_of:
        raise ValueError(f"the base date {base} is after the as-of date {as_of}")
    province = _build(members, seed, base, progress)
    if as_of > base:
        later.advance(province, as_of)
    return province


def _build(
    members: int, seed: int, as_of: datetime.date, progress=lambda step, done, total: None
) -> Province:
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(12)]
    now = epoch(as_of) + 9 * 3600
    day = np.datetime64(as_of, "D")
    year = (as_of - datetime.timedelta(days=37)).year
    now_month = as_of.year * 12 + as_of.month - 1
    months = list(range(now_month - 12, now_month))
    steps = 8
    orgs = build_tree(rngs[0], max(1, round(members / MEMBERS_PER_BRANCH)), as_of)
    progress("build", 1, steps)
    people = People()
    m = build_members(rngs[1], orgs, people, members, day, year)
    progress("build", 2, steps)
    reg = build_registration(rngs[2], orgs, m, people, now, year, as_of)
    fresh = (m.sector == "univ") & (orgs.a_intake[m.branch] == year)
    recent_cohort = (m.sector == "univ") & (orgs.a_intake[m.branch] == year - 1)
    approved = np.isin(reg.status, (3, 4, 5))
    spoilable = np.flatnonzero(~fresh & ~recent_cohort & approved & (reg.reviewed >= 0))
    dirt = dirty_mod.choose_members(rngs[3], len(m), spoilable, m.branch, orgs.branches)
    clean = dirt.mutation == 0
    clean[dirt.extra_src] = False  # keep copied rows' sources out of transfers and cadres
    progress("build", 3, steps)
    cad = build_cadres(rngs[4], orgs, m, people, clean, day, now_month)
    is_cadre = np.zeros(len(m), dtype=bool)
    is_cadre[np.isin(m.person, cad.person)] = True
    membership = membership_statuses(rngs[5], m, people, approved, is_cadre, day)
    progress("build", 4, steps)
    movable = clean & ~fresh & (reg.status == 3) & (membership == 0) & ~is_cadre
    tr = build_transfers(rngs[6], orgs, m, people, movable, now)
    progress("build", 5, steps)
    r = rngs[7]
    unknown = dirt.extra_kind == dirty_mod.UNKNOWN_ORG
    dirt.extra_person = m.person[dirt.extra_src].copy()
    k = int(unknown.sum())
    if k:
        dirt.extra_person[unknown] = people.add(birth_dates(r, 18, 28, day, k), r.random(k) < 0.5,
                                                orgs.a_city[m.branch[dirt.extra_src[unknown]]])
    n_ghosts = max(3, round(members * 0.004))
    dirt.ghosts = people.add(birth_dates(r, 18, 28, day, n_ghosts), r.random(n_ghosts) < 0.5, 4401)
    people.finalize(rngs[8])
    progress("build", 6, steps)
    billable = approved & (membership == 0) & (dirt.mutation == 0) & (reg.reviewed >= 0)
    plan = DuesPlan(rngs[9], orgs, m, billable, reg.reviewed, tr, months)
    r = rngs[10]
    spare = np.arange(10, len(tr.status))
    bad_tr = np.sort(
        r.choice(spare, min(len(spare), max(1, round(len(spare) * 0.01))), replace=False)
    )
    nc = len(cad.org)
    bad_cad = np.sort(r.choice(nc, min(nc, max(1, round(nc * 0.004))), replace=False))
    ghost_cad = np.sort(r.choice(nc, min(nc, max(1, round(nc * 0.002))), replace=False))
    dirt.count("bad_date", len(bad_tr))
    dirt.count("unknown_label", len(bad_cad))
    dirt.count("unknown_org", len(ghost_cad))
    progress("build", 7, steps)
    return Province(seed, as_of, now, months, orgs, people, m, reg, membership, cad, tr, dirt, plan,
                    bad_tr, bad_cad, ghost_cad)
