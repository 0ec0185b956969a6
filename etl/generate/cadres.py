"""Cadres (团干部): committees, branch secretaries, and the out-of-scope patterns to catch."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .draws import Draws
from .members import Members
from .people import People, birth_dates
from .tree import Orgs

COMMITTEE = ("组织委员", "宣传委员", "文体委员", "副书记", "志愿委员", "权益委员")
# Branch patterns: (name, probability).
PATTERNS = (("normal", 0.78), ("full", 0.08), ("others", 0.03), ("phone", 0.04), ("none", 0.06),
            ("outsider", 0.01))


@dataclass
class Cadres:
    person: np.ndarray
    org: np.ndarray
    position: np.ndarray  # label (str)
    wecom: np.ndarray  # 1 是, 2 已禁用, 4 否
    operator: np.ndarray  # bool
    kind: np.ndarray  # 1 专职, 2 兼职, 3 挂职
    since: np.ndarray  # month index y * 12 + m - 1


def build_cadres(rng: np.random.Generator, orgs: Orgs, m: Members, people: People,
                 usable: np.ndarray, as_of: np.datetime64, now_month: int) -> Cadres:
    """usable: members that may be chosen as cadres (not deliberately dirty rows)."""
    d = Draws(rng)
    cities = sorted(set(orgs.city))
    bad = set(d.sample(cities, 3))
    rows: list[tuple] = []  # (person, org, position, wecom, operator, kind, since)
    outsiders: list[int] = []  # city of each new non-member cadre; person = -(k + 1)

    def outsider(org: int) -> int:
        outsiders.append(orgs.city[org])
        return -len(outsiders)

    def wecom(org: int) -> int:
        u, good = d.u(), 0.55 if orgs.city[org] in bad else 0.88
        return 1 if u < good else (2 if u < good + 0.03 else 4)

    def since(member: int | None, lo: int) -> int:
        start = max(lo, int(m.joined[member]) + 6) if member is not None else lo
        return min(now_month, start + d.int(0, max(0, now_month - start)))

    birth = people.births()
    starts = np.searchsorted(m.branch, np.arange(len(orgs)))
    ends = np.searchsorted(m.branch, np.arange(len(orgs)), side="right")
    intake = orgs.a_intake
    for b in orgs.branches.tolist():
        members = [i for i in range(starts[b], ends[b]) if usable[i]]
        lo = int(intake[b]) * 12 + 8 if intake[b] else now_month - 60
        u, pattern, acc = d.u(), "normal", 0.0
        for name, p in PATTERNS:
            acc += p
            if u < acc:
                pattern = name
                break
        if not members:
            pattern = "outsider" if d.u() < 0.5 else "none"
        elif len(members) < 3 and pattern in ("full", "others", "phone"):
            pattern = "normal"
        if pattern == "none":
            continue
        if pattern == "outsider":
            rows.append((outsider(b), b, "书记", wecom(b), True, 2, since(None, lo)))
            continue
        order = d.sample(members, len(members))
        sec = order[0]
        if m.sector[sec] not in ("univ", "high", "voc") and d.u() < 0.5:
            sec = min(members, key=lambda i: birth[m.person[i]])
        rest = [i for i in order if i != sec]
        if pattern == "phone":
            helper = rest[0]
            if d.u() < 0.5:
                rows.append((m.person[sec], b, "书记", 4, False, 2, since(sec, lo)))
            rows.append((m.person[helper], b, d.pick(COMMITTEE[:4]), 1, True, 2, since(helper, lo)))
            continue
        rows.append((m.person[sec], b, "书记", wecom(b), True, 2, since(sec, lo)))
        if pattern == "full":
            for pos, i in zip(d.sample(COMMITTEE, d.int(2, 5)), rest):
                rows.append((m.person[i], b, pos, wecom(b), False, 2, since(i, lo)))
        elif pattern == "others":
            for i in rest[: d.int(1, 4)]:
                rows.append((m.person[i], b, "其他", wecom(b), False, 2, since(i, lo)))

    children: dict[int, list[int]] = {}
    for i, p in enumerate(orgs.parent):
        children.setdefault(p, []).append(i)

    def subtree_member(org: int) -> int | None:
        """A usable member of a branch at most two levels below org, or None."""
        kids = children.get(org, [])
        if not kids:
            return None
        k = d.pick(kids)
        if orgs.otype[k] != 5:
            grand = children.get(k, [])
            if not grand:
                return None
            k = d.pick(grand)
        if orgs.otype[k] != 5 or starts[k] == ends[k]:
            return None
        i = d.int(int(starts[k]), int(ends[k]) - 1)
        return i if usable[i] else None

    for o in range(len(orgs)):
        t = orgs.otype[o]
        if t == 5 or (o not in children and d.u() < 0.5):
            continue
        posts: list[tuple[str, int, bool]] = []  # position, kind, may be a member below
        if t == 1:
            big = 3 if o == 0 else (2 if orgs.parent[o] == 0 else 1)
            posts += [("书记", 1, False)] + [("副书记", 1 if d.u() < 0.7 else 3, False)] * d.int(
                1, 1 + big
            )
            posts += [("常委", 2, False)] * d.int(1, 1 + 2 * big) + [("委员", 2, True)] * d.int(
                2, 1 + 4 * big
            )
            posts += [("候补委员", 2, False)] * d.int(0, 1) + [("工作人员", 1, False)] * d.int(
                1, 3 * big
            )
        elif t == 3:
            posts += [("书记", 2, False), ("副书记", 2, False)] + [("委员", 2, False)] * d.int(1, 4)
            posts += [("工作人员", 1, False)] * d.int(0, 2)
        elif t == 2:
            posts += [("书记", 1 if orgs.industry[o] == "普通高等院校" else 2, False)]
            posts += [("副书记", 2, True)] * d.int(1, 2)
            posts += [(p, 2, True) for p in d.sample(COMMITTEE[:3] + ("委员",), d.int(1, 4))]
            posts += [("工作人员", 1, False)] * d.int(0, 2)
        else:
            posts += [("书记", 2, d.u() < 0.6)] + [
                (p, 2, True) for p in d.sample(COMMITTEE, d.int(1, 3))
            ]
            u = d.u()
            if u < 0.1:
                posts.append(("工作人员" if u < 0.05 else "其他", 2, True))
        if o not in children:
            posts = posts[:1]
        lo = now_month - 96
        for j, (pos, kind, below) in enumerate(posts):
            member = subtree_member(o) if below else None
            person = m.person[member] if member is not None else outsider(o)
            kind = 3 if kind == 2 and d.u() < 0.03 else kind
            rows.append((person, o, pos, wecom(o), j == 0, kind, since(member, lo)))

    new = people.add(birth_dates(rng, 24, 42, as_of, len(outsiders)),
                     rng.random(len(outsiders)) < 0.55, np.array(outsiders, dtype=np.int64))
    cols = list(zip(*rows)) if rows else [[]] * 7
    person = np.array(cols[0], dtype=np.int64)
    person = np.where(person < 0, new[0] - person - 1 if len(new) else 0, person)
    c = Cadres(person, np.array(cols[1], dtype=np.int64), np.array(cols[2]),
               np.array(cols[3], dtype=np.int64), np.array(cols[4], dtype=bool),
               np.array(cols[5], dtype=np.int64), np.array(cols[6], dtype=np.int64))
    fix_operators(d, c)
    return c


def fix_operators(d: Draws, c: Cadres) -> None:
    """A person operates one organization at most; a few organizations get none, a few two."""
    taken: set[int] = set()
    by_org: dict[int, list[int]] = {}
    for r in range(len(c.org)):
        by_org.setdefault(int(c.org[r]), []).append(r)
    for recs in by_org.values():
        ops = [r for r in recs if c.operator[r]]
        if not ops:
            continue  # the smartphone pattern's operator is set already, or no operator at all
        c.operator[recs] = False
        u = d.u()
        if u < 0.03:
            continue
        want = 2 if u > 0.99 else 1
        for r in ops + [r for r in recs if r not in ops]:
            if want and int(c.person[r]) not in taken:
                c.operator[r] = True
                taken.add(int(c.person[r]))
                want -= 1
