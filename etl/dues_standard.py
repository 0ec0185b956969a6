"""The dues standard (团费标准, DOMAIN.md §5): the monthly amount by category and income band, and
the month from which each version applies. A load writes it to the table `dues_standard`, which
the mart `dues_mismatches` compares every bill line with.

In the settings file (etl/settings.py), each version is one `[[dues_standard]]` table:

    [[dues_standard]]
    from = "2018-09"          # applies from this month until the next version's month
    student = 0.20            # 学生
    farmer = 0.50             # 农民
    income_under_2000 = 3     # 在职，月收入 2000 元以下
    income_2000_5000 = 5
    income_5000_8000 = 10
    income_8000_10000 = 15
    income_over_10000 = 20

A version lists what changed; the other keys carry over from the version before it (the first
version's from the defaults below). Party members who keep league membership (政治面貌 中共
党员 / 预备党员) pay voluntarily: the standard expects 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import duckdb

# (key, category, income band code (收入), Chinese and English label)
BANDS = (
    ("student", "student", None, "学生", "student"),
    ("farmer", "farmer", None, "农民", "farmer"),
    ("income_under_2000", "employed", 1, "在职·月收入2000元以下", "employed, under 2,000/month"),
    ("income_2000_5000", "employed", 2, "在职·月收入2000–5000元", "employed, 2,000–5,000/month"),
    ("income_5000_8000", "employed", 3, "在职·月收入5000–8000元", "employed, 5,000–8,000/month"),
    ("income_8000_10000", "employed", 4, "在职·月收入8000–10000元",
     "employed, 8,000–10,000/month"),
    ("income_over_10000", "employed", 5, "在职·月收入10000元以上", "employed, over 10,000/month"),
)
PARTY = ("party", "party", None, "党员（自愿交纳）", "Party member (voluntary)")
KEYS = tuple(b[0] for b in BANDS)

DEFAULT_AMOUNTS = {"student": Decimal("0.20"), "farmer": Decimal("0.50"),
                   "income_under_2000": Decimal("3"), "income_2000_5000": Decimal("5"),
                   "income_5000_8000": Decimal("10"), "income_8000_10000": Decimal("15"),
                   "income_over_10000": Decimal("20")}
EARLIEST = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class StandardVersion:
    from_month: dt.date  # first day of the month it applies from
    amounts: tuple[tuple[str, Decimal], ...]  # (key, yuan) for every key of BANDS

    def amount(self, key: str) -> Decimal:
        return dict(self.amounts)[key]


DEFAULT = (StandardVersion(EARLIEST, tuple(DEFAULT_AMOUNTS.items())),)


def version(from_month: dt.date, overrides: dict[str, Decimal]) -> StandardVersion:
    amounts = {**DEFAULT_AMOUNTS, **overrides}
    return StandardVersion(from_month, tuple((k, amounts[k]) for k in KEYS))


def rows(versions: tuple[StandardVersion, ...]) -> list[tuple]:
    """The table's rows: one per (version, category, income band), each with the month the next
    version starts (None for the last) and the labels. Before the first version's month, the
    first applies (bills older than any version are compared with the earliest)."""
    ordered = sorted(versions, key=lambda v: v.from_month)
    out = []
    for i, v in enumerate(ordered):
        start = EARLIEST if i == 0 else v.from_month
        end = ordered[i + 1].from_month if i + 1 < len(ordered) else None
        for no, (key, category, band, zh, en) in enumerate(BANDS, start=1):
            out.append((v.from_month, start, end, no, key, category, band, v.amount(key), zh, en))
        out.append((v.from_month, start, end, len(BANDS) + 1, *PARTY[:3], Decimal("0"),
                    *PARTY[3:]))
    return out


def write_standard(con: duckdb.DuckDBPyConnection,
                   versions: tuple[StandardVersion, ...] = DEFAULT) -> None:
    con.execute("""
        create or replace table dues_standard (
            version_month date,      -- the month the settings give for this version
            applies_from date,       -- first month it applies to (the first version: all before)
            applies_until date,      -- the next version's month (exclusive); null = open
            band_no integer,         -- the order of BANDS (student first, party last)
            band_key varchar,        -- student, farmer, income_under_2000, ..., party
            category varchar,        -- student | farmer | employed | party
            income_band integer,     -- 收入 code 1-5 for employed; null otherwise
            amount_yuan decimal(18, 2),
            label_zh varchar,
            label_en varchar)""")
    con.executemany("insert into dues_standard values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows(versions))
