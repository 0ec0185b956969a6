"""Sector units: universities, schools, enterprises, streets, towns and agencies with their branches."""

from __future__ import annotations

import math

from . import names
from .tree import Tree

ORDINALS = "一二三四五六七八九十"


def ordinal(k: int) -> str:
    """1 -> 一, 12 -> 十二, 25 -> 二十五 (k < 100)."""
    tens, ones = divmod(k, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else ORDINALS[tens - 1] + "十")
    return head + (ORDINALS[ones - 1] if ones else "")


def unique_word(t: Tree, key: tuple, *parts) -> str:
    """The next name of a key: an affine walk over the product of parts, so names never repeat
    within a key; past the product, a place name in front."""
    k = t.count(key)
    size = math.prod(len(p) for p in parts)
    step = next(s for s in (7919, 104729, 1299709) if math.gcd(s, size) == 1)
    rep, i = divmod(k, size)
    i = (i * step + 11) % size
    word = ""
    for p in parts:
        i, r = divmod(i, len(p))
        word += p[r]
    if rep:
        a, b = divmod(rep - 1, len(names.PLACE_B))
        word = names.PLACE_A[a % len(names.PLACE_A)] + names.PLACE_B[b] + word
    return word


def place(t: Tree, key: tuple) -> str:
    return unique_word(t, key, names.PLACE_A, names.PLACE_B)


def _classes(t: Tree, parent: int, prefix: str, short_prefix: str, industry: str, sector: str,
             city: str, years: range, lo: int, hi: int, cap: int, made: int, unit: int,
             college: int, graduating: int) -> int:
    for y in years:
        for k in range(1, int(t.rng.integers(lo, hi + 1)) + 1):
            if made >= cap:
                return made
            t.orgs.add(parent, 5, f"{prefix}{y}级{k}班团支部", f"{short_prefix}{y}级{k}班团支部",
                       industry, sector=sector, city=city, intake=y, unit=unit, college=college,
                       grad="是" if y == graduating else "否")
            made += 1
    return made


def university(t: Tree, city: str, cap: int) -> int:
    rng, o = t.rng, t.orgs
    real = names.UNIVERSITIES.get(city, ())
    k = t.count(("uni", city))
    cname = next(c[0] for c in names.CITIES if c[1] == city)
    uname = real[k] if k < len(real) else ""
    while not uname:  # a made-up name must not be a real one of the city
        uname = cname[:-1] + unique_word(t, ("uniname", city), names.UNI_WORDS, names.UNI_SUFFIXES)
        uname = "" if uname in real else uname
    years = 3 if "职业" in uname else 4
    intakes = range(t.year - years + 1, t.year + 1)
    provincial = rng.random() < 0.7
    parent = t.node(("gaoxiao",), lambda: o.add(t.root, 3, "共青团广东省高校工作委员会",
                                                "省高校工委", "党政机关")) if provincial else t.city(city)
    u = o.add(parent, 2, f"共青团{uname}委员会", f"{uname}团委", "普通高等院校", city=city)
    o.add(u, 5, f"{uname}教职工团支部", "教职工团支部", "普通高等院校", sector="staff_univ",
          city=city, unit=u, grad="否")
    made = 1
    for c in rng.permutation(len(names.COLLEGES))[: int(rng.integers(5, 16))]:
        if made >= cap:
            break
        col_name = names.COLLEGES[c]
        big = rng.random() < 0.35
        col = (o.add(u, 2, f"共青团{uname}{col_name}委员会", f"{col_name}团委", "普通高等院校", city=city)
               if big else o.add(u, 4, f"{uname}{col_name}团总支", f"{col_name}团总支", "普通高等院校",
                                 city=city))
        for y in intakes:
            parent_y = col
            if big:
                parent_y = o.add(col, 4, f"{uname}{col_name}{y}级团总支", f"{y}级团总支", "普通高等院校",
                                 city=city)
            made = _classes(t, parent_y, f"{uname}{col_name}", col_name, "普通高等院校", "univ",
                            city, range(y, y + 1), 1, 5, cap, made, u, col, intakes[0])
    return made


def high_school(t: Tree, city: str, cap: int) -> int:
    county, cname = t.county(city)
    k = t.count(("high", cname))
    school = f"第{ordinal(k + 1)}中学" if k < 12 else place(t, ("hsname", cname)) + "中学"
    s = t.orgs.add(county, 2, f"共青团{cname}{school}委员会", f"{school}团委", "普通高中", city=city)
    made = 0
    if t.rng.random() < 0.3:
        t.orgs.add(s, 5, f"{cname}{school}教职工团支部", "教职工团支部", "普通高中",
                   sector="staff_high", city=city, grad="否")
        made = 1
    return _classes(t, s, f"{cname}{school}", "", "普通高中", "high", city,
                    range(t.year - 2, t.year + 1), 2, 8, cap, made, s, s, t.year - 2)


def vocational(t: Tree, city: str, cap: int) -> int:
    county, cname = t.county(city)
    k = t.count(("voc", cname))
    school = "职业技术学校" if k == 0 else f"第{ordinal(k + 1)}职业技术学校"
    s = t.orgs.add(county, 2, f"共青团{cname}{school}委员会", f"{school}团委", "职业教育学校",
                   city=city)
    made = 0
    for m in t.rng.permutation(len(names.MAJORS))[: int(t.rng.integers(2, 6))]:
        major = names.MAJORS[m] + "专业"
        z = t.orgs.add(s, 4, f"{cname}{school}{major}团总支", f"{major}团总支", "职业教育学校",
                       city=city)
        made = _classes(t, z, f"{cname}{school}{major}", major, "职业教育学校", "voc", city,
                        range(t.year - 2, t.year + 1), 1, 3, cap, made, s, z, t.year - 2)
        if made >= cap:
            break
    return made


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
    gw = t.node(("soe", city), lambda: o.add(t.city(city), 3, f"共青团{cname}国有企业工作委员会",
                                              "国企团工委", "国有企业", city=city))
    group = cname[:-1] + unique_word(t, ("soe", city), names.SOE_WORDS, names.BIZ_B) + "集团有限公司"
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
    gw = t.node(("private", cname), lambda: o.add(
        county, 3, f"共青团{cname}非公有制经济组织工作委员会", "非公团工委", "非公企业", city=city))
    company = cname[:3][:-1] + unique_word(t, ("biz", city), names.BIZ_A, names.BIZ_B,
                                           names.BIZ_SUFFIX)
    if rng.random() < 0.7:
        o.add(gw, 5, f"{company}团支部", "团支部", "非公企业", sector="private", city=city, grad="否")
        return 1
    c = o.add(gw, 2, f"共青团{company}委员会", "团委", "非公企业", city=city)
    if rng.random() < 0.3:  # a production centre in between: the seventh level
        c = o.add(c, 4, f"{company}生产中心团总支", "生产中心团总支", "非公企业", city=city)
    return _departments(t, c, company, "非公企业", "private", city, cap, 0, 2, 8)


def community(t: Tree, city: str, cap: int) -> int:
    o = t.orgs
    county, cname = t.county(city)
    street = place(t, ("street", cname)) + "街道"
    s = o.add(county, 3, f"共青团{cname}{street}工作委员会", f"{street}团工委", "城市社区", city=city)
    made = 0
    for _ in range(int(t.rng.integers(2, 9))):
        if made >= cap:
            break
        comm = place(t, ("comm", cname, street)) + "社区"
        if t.rng.random() < 0.15:
            z = o.add(s, 4, f"{cname}{street}{comm}团总支", f"{comm}团总支", "城市社区", city=city)
            for k in range(1, 3):
                o.add(z, 5, f"{cname}{street}{comm}第{ordinal(k)}团支部", f"{comm}第{ordinal(k)}团支部",
                      "城市社区", sector="community", city=city, grad="否")
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
        t.orgs.add(s, 5, f"{cname}{town}{village}团支部", f"{village}团支部", "农村", sector="rural",
                   city=city, grad="否")
        made += 1
    return made


def agency(t: Tree, city: str, cap: int) -> int:
    o = t.orgs
    county, cname = t.county(city)
    gw = t.node(("agency", cname), lambda: o.add(county, 3, f"共青团{cname}直属机关工作委员会",
                                                 "机关团工委", "党政机关", city=city))
    k = t.count(("agency", cname))
    name, industry = names.AGENCIES[k % len(names.AGENCIES)]
    if k >= len(names.AGENCIES):
        name += f"第{ordinal(k // len(names.AGENCIES) + 1)}"
    o.add(gw, 5, f"{cname}{name}团支部", f"{name}团支部", industry, sector="agency", city=city,
          grad="否")
    return 1


def add_hollow(t: Tree, n: int) -> None:
    """Non-branch organizations with nothing under them (空心团委), as the platform has."""
    for i in range(n):
        city = names.CITIES[int(t.rng.integers(len(names.CITIES)))][1]
        county, cname = t.county(city)
        street = place(t, ("street", cname)) + "街道"
        t.orgs.add(county, 3, f"共青团{cname}{street}工作委员会", f"{street}团工委", "城市社区",
                   city=city)


BUILDERS = {"univ": university, "high": high_school, "voc": vocational, "soe": soe,
            "private": private, "community": community, "rural": rural, "agency": agency}
