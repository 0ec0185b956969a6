"""School units: universities with colleges and classes, high schools, vocational schools."""

from __future__ import annotations

from . import names
from .naming import ordinal, place, unique_word
from .tree import Tree


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
    listed = names.UNIVERSITIES.get(city, ())
    k = t.count(("uni", city))
    cname = next(c[0] for c in names.CITIES if c[1] == city)
    uname = listed[k] if k < len(listed) else ""
    while not uname:  # a made-up name must not be a listed one of the city
        uname = cname[:-1] + unique_word(t, ("uniname", city), names.UNI_WORDS, names.UNI_SUFFIXES)
        uname = "" if uname in listed else uname
    years = 3 if "职业" in uname else 4
    intakes = range(t.year - years + 1, t.year + 1)
    provincial = rng.random() < 0.7
    parent = (
        t.node(("gaoxiao",),
               lambda: o.add(t.root, 3, f"共青团{names.PROVINCE}高校工作委员会", "省高校工委",
                             "党政机关"))
        if provincial
        else t.city(city)
    )
    u = o.add(parent, 2, f"共青团{uname}委员会", f"{uname}团委", "普通高等院校", city=city)
    o.add(u, 5, f"{uname}教职工团支部", "教职工团支部", "普通高等院校", sector="staff_univ",
          city=city, unit=u, grad="否")
    made = 1
    for c in rng.permutation(len(names.COLLEGES))[: int(rng.integers(5, 16))]:
        if made >= cap:
            break
        col_name = names.COLLEGES[c]
        big = rng.random() < 0.35
        col = (
            o.add(
                u, 2, f"共青团{uname}{col_name}委员会", f"{col_name}团委", "普通高等院校", city=city
            )
            if big
            else o.add(
                u, 4, f"{uname}{col_name}团总支", f"{col_name}团总支", "普通高等院校", city=city
            )
        )
        for y in intakes:
            parent_y = col
            if big:
                parent_y = o.add(col, 4, f"{uname}{col_name}{y}级团总支", f"{y}级团总支",
                                 "普通高等院校", city=city)
            made = _classes(t, parent_y, f"{uname}{col_name}", col_name, "普通高等院校", "univ",
                            city, range(y, y + 1), 1, 5, cap, made, u, col, intakes[0])
    return made


def high_school(t: Tree, city: str, cap: int) -> int:
    county, cname = t.county(city)
    k = t.count(("high", cname))
    school = f"第{ordinal(k + 1)}中学" if k < 12 else place(t, ("hsname", cname)) + "中学"
    s = t.orgs.add(
        county, 2, f"共青团{cname}{school}委员会", f"{school}团委", "普通高中", city=city
    )
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
    s = t.orgs.add(
        county, 2, f"共青团{cname}{school}委员会", f"{school}团委", "职业教育学校", city=city
    )
    made = 0
    for m in t.rng.permutation(len(names.MAJORS))[: int(t.rng.integers(2, 6))]:
        major = names.MAJORS[m] + "专业"
        z = t.orgs.add(
            s, 4, f"{cname}{school}{major}团总支", f"{major}团总支", "职业教育学校", city=city
        )
        made = _classes(t, z, f"{cname}{school}{major}", major, "职业教育学校", "voc", city,
                        range(t.year - 2, t.year + 1), 1, 3, cap, made, s, z, t.year - 2)
        if made >= cap:
            break
    return made
