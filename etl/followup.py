"""`zhtj progress`: one organization's follow-up items between two loads (CONTRACT.md §4)."""

from __future__ import annotations

import datetime as dt

import queries
from etl.metrics import OrgNotFound

KINDS = ("lagging_branch", "review_overdue", "stuck_transfer", "cadre_out_of_scope",
         "cadre_not_onboarded", "branch_without_cadre", "arrears_6plus")


class NoLoad(LookupError):
    """The database has no load with follow-up items yet."""


def periods(conn, since: dt.date | None = None) -> tuple[dict | None, dict]:
    """(A, B): the load compared from (None when there is none) and the latest load."""
    found = {r["role"]: r for r in queries.rows("progress_loads", conn, since=since)}
    if "to" not in found:
        raise NoLoad("no load yet")
    return found.get("from"), found["to"]


def compute(conn, org_id: str, since: dt.date | None = None) -> dict:
    """The §4 JSON object for one organization's subtree."""
    org = queries.rows("org_lookup", conn, org_id=org_id)
    if not org:
        raise OrgNotFound(org_id)
    a, b = periods(conn, since)
    if a is not None and since is None:
        # the previous load to the latest: the period every load keeps, read, not computed
        counts = queries.rows("progress_counts_kept", conn, org_id=org_id)
    else:
        counts = queries.rows("progress_counts", conn, seq=org[0]["seq"],
                              seq_last=org[0]["seq_last"],
                              from_load=a["load_id"] if a else None, to_load=b["load_id"])

    def load(row: dict | None) -> dict | None:
        return None if row is None else {"load_id": int(row["load_id"]),
                                         "as_of": row["as_of"].isoformat(timespec="seconds")}

    def number(value) -> int | None:
        return None if value is None else int(value)

    return {
        "org_id": org_id,
        "org_name": org[0]["full_name"],
        "from": load(a),
        "to": load(b),
        "items": {c["kind"]: {"open": int(c["open"]), "new": number(c["new"]),
                              "resolved": number(c["resolved"]),
                              "open_over_14_days": int(c["open_over_14_days"])}
                  for c in counts},
    }


def render_text(data: dict) -> str:
    """The same figures as a short table for a terminal."""
    since = data["from"]["as_of"] if data["from"] else "—"
    lines = [f"{data['org_name']} ({data['org_id']}): {since} → {data['to']['as_of']}",
             f"{'kind':<22}{'open':>8}{'new':>8}{'resolved':>10}{'>14 days':>10}"]
    for kind, c in data["items"].items():
        cells = ["—" if c[k] is None else f"{c[k]:,}" for k in ("open", "new", "resolved",
                                                                  "open_over_14_days")]
        lines.append(f"{kind:<22}{cells[0]:>8}{cells[1]:>8}{cells[2]:>10}{cells[3]:>10}")
    return "\n".join(lines)
