"""The organization tree: province, cities, counties, then sector units sized by a branch quota."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np

from . import ids, names

# Share of branches by sector, and whether the sector lives in every city.
SECTOR_SHARES = (("univ", 0.32), ("high", 0.14), ("voc", 0.07), ("soe", 0.09), ("private", 0.16),
                 ("community", 0.10), ("rural", 0.07), ("agency", 0.05))
NO_RURAL = ("4403", "4419", "4420")  # cities without villages


@dataclass
class Orgs:
    """Organizations as parallel lists, in creation order (every parent before its children)."""

    parent: list[int] = field(default_factory=list)
    otype: list[int] = field(default_factory=list)
    full: list[str] = field(default_factory=list)
    short: list[str] = field(default_factory=list)
    industry: list[str] = field(default_factory=list)
    grad: list[str] = field(default_factory=list)
    sector: list[str] = field(default_factory=list)
    city: list[int] = field(default_factory=list)
    intake: list[int] = field(default_factory=list)
    unit: list[int] = field(default_factory=list)
    college: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    def add(self, parent: int, otype: int, full: str, short: str, industry: str, *,
            sector: str = "", city: str = "", intake: int = 0, unit: int = -1, college: int = -1,
            grad: str = "") -> int:
        self.parent.append(parent)
        self.otype.append(otype)
        self.full.append(full)
        self.short.append(short)
        self.industry.append(industry)
        self.grad.append(grad if otype == 5 else "")
        self.sector.append(sector)
        self.city.append(int(city) if city else 0)
        self.intake.append(intake)
        self.unit.append(unit)
        self.college.append(college)
        return len(self.parent) - 1

    def __len__(self) -> int:
        return len(self.parent)

    def arrays(self) -> None:
        """Freeze the numeric columns as numpy arrays (a_parent, a_type, ...)."""
        for name in ("parent", "otype", "city", "intake", "unit", "college"):
            setattr(self, "a_" + name, np.array(getattr(self, name), dtype=np.int64))
        self.a_sector = np.array(self.sector)
        self.a_industry = np.array(self.industry)
        self.branches = np.flatnonzero(self.a_otype == 5)


class Tree:
    """Builder state: the orgs so far, lazily created cities and counties, name counters."""

    def __init__(self, rng: np.random.Generator, as_of: datetime.date) -> None:
        self.rng = rng
        self.year = (as_of - datetime.timedelta(days=37)).year  # intake of the current campaign
        self.orgs = Orgs()
        self.root = self.orgs.add(-1, 1, f"共青团{names.PROVINCE}委员会", "团省委", "党政机关")
        self._nodes: dict[tuple, int] = {}
        self._counts: dict[tuple, int] = {}
        # As many invented counties as the region table has that year (the draws stay the same).
        self.counties = {
            c[1]: (list(names.COUNTIES.get(c[1], ())[:len(ids.county_names(c[1], as_of.year))])
                   or list(names.TOWNS[c[1]]))
            for c in names.CITIES
        }

    def city(self, prefix: str) -> int:
        key = ("city", prefix)
        if key not in self._nodes:
            name = next(c[0] for c in names.CITIES if c[1] == prefix)
            self._nodes[key] = self.orgs.add(
                self.root, 1, f"共青团{name}委员会", f"{name[:-1]}团市委", "党政机关", city=prefix
            )
        return self._nodes[key]

    def county(self, prefix: str) -> tuple[int, str]:
        """A random county of the city (created on first use): (org index, '青川市澄湖区')."""
        options = self.counties[prefix]
        name = options[int(self.rng.integers(len(options)))]
        cname = next(c[0] for c in names.CITIES if c[1] == prefix)
        key = ("county", prefix, name)
        if key not in self._nodes:
            self._nodes[key] = self.orgs.add(self.city(prefix), 1, f"共青团{cname}{name}委员会",
                                             f"{name}团委", "党政机关", city=prefix)
        return self._nodes[key], cname + name

    def node(self, key: tuple, make) -> int:
        """A shared intermediate organization (a working committee), created once by make()."""
        if key not in self._nodes:
            self._nodes[key] = make()
        return self._nodes[key]

    def count(self, key: tuple) -> int:
        """0, 1, 2, ... for successive calls with the same key (for unique names)."""
        n = self._counts.get(key, 0)
        self._counts[key] = n + 1
        return n


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split a total by weights, largest remainders first (sums exactly to total)."""
    w = np.array(weights, dtype=float)
    exact = total * w / w.sum()
    out = np.floor(exact).astype(int)
    rest = total - out.sum()
    out[np.argsort(-(exact - out), kind="stable")[:rest]] += 1
    return out.tolist()


def build_tree(rng: np.random.Generator, n_branches: int, as_of: datetime.date) -> Orgs:
    """Build a province with about n_branches branches."""
    from . import units

    t = Tree(rng, as_of)
    per_sector = allocate(n_branches, [share for _, share in SECTOR_SHARES])
    for (sector, _), n_sector in zip(SECTOR_SHARES, per_sector, strict=True):
        if sector == "univ":
            weights = [c[3] for c in names.CITIES]
        else:
            weights = [0 if sector == "rural" and c[1] in NO_RURAL else c[2] for c in names.CITIES]
        quotas = allocate(n_sector, weights)
        for (_, prefix, _, _), quota in zip(names.CITIES, quotas):
            while quota > 0:
                quota -= units.BUILDERS[sector](t, prefix, quota)
    units.add_hollow(t, max(2, len(t.orgs) // 400))
    orgs = t.orgs
    if len(set(orgs.full)) != len(orgs.full):
        raise AssertionError("organization full names are not unique")
    orgs.ids = ids.org_ids(rng, len(orgs))
    orgs.arrays()
    return orgs
