"""The figures and lists of follow-up items for one subtree and one period (period.Period):
per kind, the organizations below, the burn-down, the lists. Each takes a connection (DuckDB or
SQLAlchemy) and the subtree as {"seq", "seq_last"}; personal values come unmasked (whoever shows
them masks them as the viewer's role says)."""

from __future__ import annotations

import pandas as pd

import queries
from etl.followup import KINDS
from followups.period import Period

# The lists: items resolved in the period, new in it, and open over 14 days (CONTRACT.md §4).
LISTS = ("resolved", "new", "over_14_days")
FIGURES = ("open", "new", "resolved", "open_over_14_days")


def _scope(scope: dict) -> dict:
    return {"seq": scope["seq"], "seq_last": scope["seq_last"]}


def summary(conn, scope: dict, period: Period) -> list[dict]:
    """Per kind, in the contract's order: open, new, resolved, open_over_14_days, was_open,
    median_days_to_resolve, oldest_open_since (new, resolved and was_open None without a start
    load)."""
    return queries.rows("progress_summary", conn, **_scope(scope), **period.params())


def totals(rows: list[dict]) -> dict:
    """The figures of summary() over every kind (None where the period has no start)."""
    out = {}
    for figure in (*FIGURES, "was_open"):
        values = [r[figure] for r in rows]
        out[figure] = None if any(v is None for v in values) else int(sum(values))
    return out


def children(conn, scope: dict, period: Period) -> pd.DataFrame:
    """The organizations one level below, worst responders first: open, new, resolved,
    open_over_14_days, was_open, response_rate (resolved / was_open), median_days_to_resolve,
    oldest_open_since, oldest_open_days."""
    return queries.run("progress_children", conn, **_scope(scope), **period.params())


def burndown(conn, scope: dict, period: Period) -> pd.DataFrame:
    """Open items per load of the period (A to B) and kind: load_id, as_of, kind, open."""
    params = period.params()
    return queries.run("progress_burndown", conn, **_scope(scope),
                       from_load=params["from_load"], to_load=params["to_load"])


def items(conn, scope: dict, period: Period, which: str, *, kind: str | None = None,
          name_filter: str | None = None, sort: str | None = None, descending: bool = False,
          limit: int | None = None, offset: int = 0) -> tuple[pd.DataFrame, int]:
    """One page of a list (which: one of LISTS, or 'open'), with each item's organization and
    its contact, and the list's total. limit None: the whole list."""
    if which not in (*LISTS, "open"):
        raise ValueError(f"unknown list {which!r}")
    frame = queries.run("progress_item_list", conn, **_scope(scope), **period.params(),
                        which=which, kind=kind if kind in KINDS else None,
                        name_filter=name_filter, sort=sort, descending=bool(descending),
                        limit=limit, offset=offset)
    return frame, int(frame["total_rows"].iloc[0]) if len(frame) else 0
