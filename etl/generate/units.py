"""Sector units: enterprises, streets, towns, agencies and their branches; the builder table."""

from __future__ import annotations

from . import names
from .naming import ordinal, place, unique_word
from .schools import high_school, university, vocational
from .tree import Tree


def _departments(t: Tree, parent: int, company: str, industry: str, sector: str, city: str,
                 cap: int, made: int, lo: int, hi: int) -> int:
    for d in t.rng.permutation(len(names.DEPARTMENTS))[: int(t.rng.integers(lo, hi + 1))]:
        if made >= cap:
            break
        dept = names.DEPARTMENTS[d]
        t.orgs.add(parent, 5, f"{company}{dept}团支部", f"{dept}团支部", industry, sector=sector,
                   city=city, grad="否")
        made += 1
    return made


def soe(t: Tree, city: str, cap: int) -> int:
    o, rng = t.orgs, t.rng
    cname = next(c[0] for c in names.CITIES if c[1] == city)
    gw = t.node(
        ("soe", city),
        lambda: o.add(
            t.city(city), 3, f"共青团{cname}国有企业工作委员会", "国企团工委", "国有企业", city=city
        ),
    )
    group = (
        cname[:-1] + unique_word(t, ("soe", city), names.SOE_WORDS, names.BIZ_B) + "集团有限公司"
    )
    g = o.add(gw, 2, f"共青团{group}委员会", f"{group}团委", "国有企业", city=city)
    made = 0
    for s in range(1, int(rng.integers(1, 5)) + 1):
        if made >= cap:
            break
        sub = f"{group}第{ordinal(s)}分公司"
        kind = 2 if rng.random() < 0.4 else 4
        full = f"共青团{sub}委员会" if kind == 2 else f"{sub}团总支"
        node = o.add(g, kind, full, f"第{ordinal(s)}分公司团{'委' if kind == 2 else '总支'}",
                     "国有企业", city=city)
        made = _departments(t, node, sub, "国有企业", "soe", city, cap, made, 2, 6)
    return made


def private(t: Tree, city: str, cap: int) -> int:
    o, rng = t.orgs, t.rng
    county, cname = t.county(city)
    gw = t.node(
        ("private", cname),
        lambda: o.add(county, 3, f"共青团{cname}非公有制经济组织工作委员会", "非公团工委",
                      "非公企业", city=city),
    )
    company = cname[:3][:-1] + unique_word(
        t, ("biz", city), names.BIZ_A, names.BIZ_B, names.BIZ_SUFFIX
    )
    if rng.random() < 0.7:
        o.add(
            gw, 5, f"{company}团支部", "团支部", "非公企业", sector="private", city=city, grad="否"
        )
        return 1
    c = o.add(gw, 2, f"共青团{company}委员会", "团委", "非公企业", city=city)
    if rng.random() < 0.3:  # a production centre in between: the seventh level
        c = o.add(c, 4, f"{company}生产中心团总支", "生产中心团总支", "非公企业", city=city)
    return _departments(t, c, company, "非公企业", "private", city, cap, 0, 2, 8)


def community(t: Tree, city: str, cap: int) -> int:
    o = t.orgs
    county, cname = t.county(city)
    street = place(t, ("street", cname)) + "街道"
    s = o.add(
        county, 3, f"共青团{cname}{street}工作委员会", f"{street}团工委", "城市社区", city=city
    )
    made = 0
    for _ in range(int(t.rng.integers(2, 9))):
        if made >= cap:
            break
        comm = place(t, ("comm", cname, street)) + "社区"
        if t.rng.random() < 0.15:
            z = o.add(s, 4, f"{cname}{street}{comm}团总支", f"{comm}团总支", "城市社区", city=city)
            for k in range(1, 3):
                o.add(z, 5, f"{cname}{street}{comm}第{ordinal(k)}团支部",
                      f"{comm}第{ordinal(k)}团支部", "城市社区", sector="community", city=city,
                      grad="否")
            made += 2
        else:
            o.add(s, 5, f"{cname}{street}{comm}团支部", f"{comm}团支部", "城市社区",
                  sector="community", city=city, grad="否")
            made += 1
    return made


def rural(t: Tree, city: str, cap: int) -> int:
    county, cname = t.county(city)
    town = place(t, ("town", cname)) + "镇"
    s = t.orgs.add(county, 2, f"共青团{cname}{town}委员会", f"{town}团委", "农村", city=city)
    made = 0
    for _ in range(min(cap, int(t.rng.integers(3, 12)))):
        village = place(t, ("village", cname, town)) + "村"
        t.orgs.add(s, 5, f"{cname}{town}{village}团支部", f"{village}团支部", "农村",
                   sector="rural", city=city, grad="否")
        made += 1
    return made


def agency(t: Tree, city: str, cap: int) -> int:
    o = t.orgs
    county, cname = t.county(city)
    gw = t.node(
        ("agency", cname),
        lambda: o.add(
            county, 3, f"共青团{cname}直属机关工作委员会", "机关团工委", "党政机关", city=city
        ),
    )
    k = t.count(("agency", cname))
    name, industry = names.AGENCIES[k % len(names.AGENCIES)]
    if k >= len(names.AGENCIES):
        name += f"第{ordinal(k // len(names.AGENCIES) + 1)}"
    o.add(gw, 5, f"{cname}{name}团支部", f"{name}团支部", industry, sector="agency", city=city,
          grad="否")
    return 1


def add_hollow(t: Tree, n: int) -> None:
    """Non-branch organizations with nothing under them (空心团委), as the platform has."""
    for _ in range(n):
        city = names.CITIES[int(t.rng.integers(len(names.CITIES)))][1]
        county, cname = t.county(city)
        street = place(t, ("street", cname)) + "街道"
        t.orgs.add(
            county, 3, f"共青团{cname}{street}工作委员会", f"{street}团工委", "城市社区", city=city
        )


BUILDERS = {"univ": university, "high": high_school, "voc": vocational, "soe": soe,
            "private": private, "community": community, "rural": rural, "agency": agency}
