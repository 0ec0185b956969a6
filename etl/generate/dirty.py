"""Deliberately bad rows (about 1%), so that quarantine has something to show."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

REASONS = ("bad_id_check", "unknown_org", "identical_duplicate", "duplicate_person", "bad_date",
           "negative_amount", "unmatched_dues", "unknown_label")
# Mutations of a member's own row.
BAD_ID, BAD_DATE, BAD_LABEL = 1, 2, 3
# Extra member rows.
UNKNOWN_ORG, DUP_PERSON, IDENTICAL = 1, 2, 3
BAD_DATES = ("2024-02-30 10:15:00", "2023-13-05", "2023年9月31日", "九月一日", "2023/00/12")
BAD_LABELS = {"registration_status": "已报到", "political_status": "群众", "wecom_status": "未知",
              "cadre_kind": "志愿者", "paid_status": "部分交纳"}


@dataclass
class Dirty:
    mutation: np.ndarray  # per member: 0, BAD_ID, BAD_DATE, BAD_LABEL
    extra_src: np.ndarray  # member each extra row copies
    extra_kind: np.ndarray
    extra_person: np.ndarray  # person shown (a new one for UNKNOWN_ORG)
    extra_branch: np.ndarray  # org named in 所在团支部 (the source's for UNKNOWN_ORG)
    extra_file: np.ndarray  # branch whose file holds the row; -1 = a supplement file
    extra_shift: np.ndarray  # seconds earlier (DUP_PERSON)
    ghosts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, reason: str, n: int) -> None:
        self.counts[reason] = self.counts.get(reason, 0) + int(n)


def choose_members(rng: np.random.Generator, n: int, candidates: np.ndarray, branch: np.ndarray,
                   branches: np.ndarray) -> Dirty:
    """Spoil some member rows and plan extra ones. candidates: members that may be used (not
    on a roster, approved); each is used at most once."""
    rates = ((BAD_ID, 0.0025), (BAD_DATE, 0.001), (BAD_LABEL, 0.001))
    extras = ((UNKNOWN_ORG, 0.0015), (DUP_PERSON, 0.0015), (IDENTICAL, 0.002))
    k = [max(1, round(n * r)) for _, r in rates + extras]
    pool = rng.choice(candidates, min(sum(k), len(candidates)), replace=False)
    mutation = np.zeros(n, dtype=np.int8)
    at = 0
    for (code, _), kk in zip(rates, k[:3], strict=True):
        mutation[pool[at : at + kk]] = code
        at += kk
    kind = np.repeat(np.array([c for c, _ in extras]), k[3:])[: max(0, len(pool) - at)]
    src = pool[at : at + len(kind)]
    # DUP_PERSON rows sit in (and name) another branch, with earlier times.
    other = branches[rng.integers(0, len(branches), len(src))]
    clash = other == branch[src]
    other[clash] = branches[(np.searchsorted(branches, other[clash]) + 1) % len(branches)]
    dup = kind == DUP_PERSON
    named = np.where(dup, other, branch[src])
    d = Dirty(mutation=mutation, extra_src=src, extra_kind=kind, extra_person=np.full(len(src), -1),
              extra_branch=named, extra_file=np.where(kind == IDENTICAL, -1, named),
              extra_shift=np.where(dup, rng.integers(30, 400, len(src)) * 86_400, 0))
    for reason, code in (("bad_id_check", BAD_ID), ("bad_date", BAD_DATE),
                         ("unknown_label", BAD_LABEL)):
        d.count(reason, (mutation == code).sum())
    for reason, code in (("unknown_org", UNKNOWN_ORG), ("duplicate_person", DUP_PERSON),
                         ("identical_duplicate", IDENTICAL)):
        d.count(reason, (kind == code).sum())
    return d


def spoil_id(ids: np.ndarray) -> np.ndarray:
    """Change the check character of S18 ID numbers to a wrong one."""
    out = ids.copy().view(np.uint8).reshape(len(ids), 18)
    last = out[:, 17].copy()
    out[:, 17] = np.where(
        last == ord("X"), ord("0"), np.where(last == ord("9"), ord("X"), last + 1)
    )
    return out.view("S18").reshape(len(ids))


def dues_month(rng: np.random.Generator, rows: int, ghosts: int) -> dict[str, np.ndarray]:
    """Per month: rows given a negative amount or an unknown paid label, rows repeated in a
    supplement file, and how many rows name a ghost (a person who is no member)."""
    pick = rng.permutation(rows)
    k_neg, k_lab, k_dup = (max(1, round(rows * r)) for r in (0.003, 0.001, 0.002))
    k_neg, k_lab, k_dup = (min(k, rows // 4) for k in (k_neg, k_lab, k_dup))
    return {
        "negative": np.sort(pick[:k_neg]),
        "label": np.sort(pick[k_neg : k_neg + k_lab]),
        "duplicate": np.sort(pick[k_neg + k_lab : k_neg + k_lab + k_dup]),
        "ghosts": np.sort(
            rng.choice(ghosts, min(ghosts, max(1, round(rows * 0.003))), replace=False)
        )
        if ghosts
        else np.zeros(0, np.int64),
    }
