"""The pandas approach, step 4: what becomes of each row (loaded, merged or quarantined)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.reference_rules import Rows

LOADED, MERGED, INVALID, DUPLICATE = "loaded", "merged", "invalid", "duplicate"
QUARANTINED = (INVALID, DUPLICATE)


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise equality where two missing values are equal."""
    missing_a, missing_b = pd.isna(a), pd.isna(b)
    with np.errstate(invalid="ignore"):
        equal = np.asarray(a == b, dtype=bool)
    return (equal & ~missing_a & ~missing_b) | (missing_a & missing_b)


def dispose(rows: Rows, key: list[str], sort: list[str] | None = None,
            descending: list[bool] | None = None) -> pd.Series:
    """Disposition of every row: invalid rows, then among valid rows with one key the kept one
    (first after `sort`, then file order), rows identical to it (merged), and duplicates."""
    typed = rows.typed
    disposition = pd.Series(INVALID, index=typed.index, dtype=object)
    valid = typed[rows.valid()]
    if valid.empty:
        return disposition
    sort, descending = sort or [], descending or []
    # Missing sort values come last in either direction ("missing last").
    ordered = valid.sort_values([*sort, "_order"], ascending=[not d for d in descending] + [True],
                                na_position="last", kind="stable")
    kept_order = ordered.groupby(key, sort=False, dropna=False)["_order"].transform("first")
    by_order = ordered.set_index("_order")
    compare = [c for c in typed.columns if not c.startswith("_")]
    same = np.ones(len(ordered), dtype=bool)
    for col in compare:
        same &= _same(ordered[col].to_numpy(), by_order.loc[kept_order.to_numpy(), col].to_numpy())
    is_kept = (ordered["_order"] == kept_order).to_numpy()
    result = np.where(is_kept, LOADED, np.where(same, MERGED, DUPLICATE))
    disposition[ordered.index] = result
    rows.reason = rows.reason.where(disposition != DUPLICATE, "duplicate")
    return disposition


def reachable_orgs(orgs: pd.DataFrame) -> set[str]:
    """Organizations whose chain of parents ends at a root (no parent) without a gap or cycle."""
    children: dict[str, list[str]] = {}
    for org_id, parent in zip(orgs["org_id"], orgs["parent_org_id"]):
        if parent is not None and not pd.isna(parent):
            children.setdefault(parent, []).append(org_id)
    roots = [o for o, p in zip(orgs["org_id"], orgs["parent_org_id"]) if p is None or pd.isna(p)]
    alive, stack = set(), list(roots)
    while stack:
        org_id = stack.pop()
        if org_id in alive:
            continue
        alive.add(org_id)
        stack.extend(children.get(org_id, ()))
    return alive
