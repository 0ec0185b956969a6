"""The obvious pandas approach: CONTRACT.md §3 figures recomputed straight from the export files.

Independent of the importer (no DuckDB, nothing from etl/ but the header and label tables), it is
the benchmark's baseline and the end-to-end test's oracle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from bench import reference_rules as rules
from bench.reference_dedupe import (
    DUPLICATE,
    INVALID,
    LOADED,
    MERGED,
    QUARANTINED,
    dispose,
    reachable_orgs,
)
from bench.reference_match import cadre_in_scope, matched_members
from bench.reference_read import Skipped, read_source


@dataclass
class Reference:
    """Loaded rows of each kind (after validation and deduplication), and every row's fate."""

    orgs: pd.DataFrame
    members: pd.DataFrame
    cadres: pd.DataFrame
    transfers: pd.DataFrame
    campaigns: pd.DataFrame
    roster: pd.DataFrame
    dues: pd.DataFrame
    dispositions: pd.DataFrame  # kind, _path, _row, disposition, reason: one row per row read
    skipped: list[Skipped] = field(default_factory=list)

    def __post_init__(self):
        self.names = dict(zip(self.orgs["org_id"], self.orgs["full_name"]))
        self.parents = dict(zip(self.orgs["org_id"], self.orgs["parent_org_id"]))
        self.children: dict[str, list[str]] = {}
        for org_id, parent in self.parents.items():
            if parent in self.names:
                self.children.setdefault(parent, []).append(org_id)

    @property
    def quarantined_rows(self) -> int:
        return int(self.dispositions["disposition"].isin(QUARANTINED).sum())

    def subtree(self, org_id: str) -> set[str]:
        out, stack = set(), [org_id]
        while stack:
            o = stack.pop()
            out.add(o)
            stack.extend(self.children.get(o, ()))
        return out

    def ancestors(self, org_id: str) -> set[str]:
        out, parent = set(), self.parents.get(org_id)
        while parent in self.names and parent not in out:
            out.add(parent)
            parent = self.parents.get(parent)
        return out

    def metrics(self, org_id: str, month: str | None = None, campaign: str | None = None) -> dict:
        """The §3 JSON object for one organization's subtree (as_of left None)."""
        if org_id not in self.names:
            raise KeyError(f"organization not found: {org_id}")
        sub = self.subtree(org_id)
        members = self.members[self.members["branch_id"].isin(sub)]
        active = members["membership_status"].eq("0")
        return {
            "org_id": org_id,
            "org_name": self.names[org_id],
            "as_of": None,
            "members_active": int(active.sum()),
            "registration": self._registration(org_id, sub, campaign),
            "reviews_pending": int(
                (active & members["registration_status"].isin(["1", "4"])).sum()),
            "cadres": self._cadres(sub),
            "dues": self._dues(sub, month),
            "transfers": self._transfers(sub),
            "quarantined_rows": self.quarantined_rows,
        }

    def _registration(self, org_id: str, sub: set[str], name: str | None) -> dict | None:
        campaigns = self.campaigns
        if name is not None:
            chosen = campaigns[campaigns["campaign"] == name]
            if chosen.empty:
                raise KeyError(f"campaign not found: {name}")
        else:
            related = campaigns[campaigns["org_id"].isin(sub | self.ancestors(org_id))]
            if related.empty:
                return None
            chosen = related.sort_values(["deadline", "campaign"], ascending=[False, True])
        c = chosen.iloc[0]
        roster = self.roster[(self.roster["campaign"] == c["campaign"])
                             & self.roster["branch_id"].isin(sub)]
        active = self.members[self.members["membership_status"].eq("0")]
        status = roster["id_number"].map(dict(zip(active["id_number"],
                                                  active["registration_status"])))
        approved = int(status.isin(["3", "4", "5"]).sum())
        pending = int(status.eq("1").sum())
        return {
            "campaign": c["campaign"],
            "deadline": c["deadline"].date().isoformat(),
            "roster": len(roster),
            "approved": approved,
            "pending": pending,
            "completion_approved": rate(approved, len(roster)),
            "completion_submitted": rate(approved + pending, len(roster)),
        }

    def _cadres(self, sub: set[str]) -> dict:
        cadres = self.cadres[self.cadres["org_id"].isin(sub)]
        in_scope = cadres["in_scope"]
        onboarded = int((in_scope & cadres["wecom_status"].eq("1")).sum())
        branches = self.orgs[self.orgs["org_id"].isin(sub) & self.orgs["org_type"].eq("5")]
        return {
            "records": len(cadres),
            "in_scope": int(in_scope.sum()),
            "out_of_scope": int((~in_scope).sum()),
            "onboarded_in_scope": onboarded,
            "onboarding_rate": rate(onboarded, int(in_scope.sum())),
            "branches_without_cadre": int((~branches["org_id"].isin(set(cadres["org_id"]))).sum()),
        }

    def _dues(self, sub: set[str], month: str | None) -> dict | None:
        dues = self.dues
        if month is None:
            if dues.empty:
                return None
            month = dues["month"].max()
        rows = dues[(dues["month"] == month) & dues["branch_id"].isin(sub)]
        billed = rows[rows["amount_due"] > 0]
        paid = billed[billed["paid_status"] == "1"]
        # Six unpaid months in a row ending with M: rows for all six exist and all are 未交.
        window = [(pd.Period(month, "M") - k).strftime("%Y-%m") for k in range(6)]
        unpaid = dues[dues["month"].isin(window) & dues["paid_status"].eq("0")]
        six = unpaid.groupby("member_id")["month"].nunique()
        lapsing = set(six[six == 6].index)
        return {
            "month": month,
            "billed_members": len(billed),
            "paid_members": len(paid),
            "compliance": rate(len(paid), len(billed)),
            "amount_due_yuan": round(float(billed["amount_due"].sum()), 2),
            "amount_paid_yuan": round(float(paid["amount_due"].sum()), 2),
            "arrears_6plus_members": int(rows["member_id"].isin(lapsing).sum()),
        }

    def _transfers(self, sub: set[str]) -> dict:
        t = self.transfers
        from_in, to_in = t["from_org_id"].isin(sub), t["to_org_id"].isin(sub)
        pending = t["status"].isin(["1", "2", "3", "4"])
        touching = from_in | to_in
        return {
            "pending_out": int((from_in & ~to_in & pending).sum()),
            "pending_in": int((~from_in & to_in & pending).sum()),
            "completed": int((touching & t["status"].eq("5")).sum()),
            "returned": int((touching & t["status"].isin(["6", "7", "8", "9"])).sum()),
        }


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def compute_all(source_dir: Path) -> Reference:
    """Read every export file under source_dir and apply RULES.md to every row."""
    raw, skipped = read_source(Path(source_dir))
    fates: dict[str, tuple[rules.Rows, pd.Series]] = {}

    orgs = rules.check_orgs(raw["orgs"])
    fate = dispose(orgs, ["org_id"])
    # A parent that is not in the load, or a cycle, quarantines the row and so its subtree.
    loaded = orgs.typed[fate == LOADED]
    alive = reachable_orgs(loaded)
    orphan = fate.isin([LOADED, MERGED]) & ~orgs.typed["org_id"].isin(alive)
    fate[orphan] = INVALID
    orgs.reason[orphan] = "parent organization not found, or a cycle"
    fates["orgs"] = (orgs, fate)
    refs = rules.OrgRefs(orgs.typed[fate == LOADED])

    members = rules.check_members(raw["members"], refs)
    fates["members"] = (members, dispose(members, ["id_number"], ["reviewed_at", "registered_at"],
                                         [True, True]))
    kept_members = _loaded(fates["members"])

    cadres = rules.check_cadres(raw["cadres"], refs)
    fates["cadres"] = (cadres, dispose(cadres, ["id_number", "org_id", "position"]))
    transfers = rules.check_transfers(raw["transfers"], refs)
    fates["transfers"] = (transfers, dispose(transfers, ["id_number", "created_at"]))
    campaigns = rules.check_campaigns(raw["campaigns"], refs)
    fates["campaigns"] = (campaigns, dispose(campaigns, ["campaign"]))
    kept_campaigns = set(_loaded(fates["campaigns"])["campaign"])
    roster = rules.check_roster(raw["roster"], refs, kept_campaigns)
    fates["roster"] = (roster, dispose(roster, ["campaign", "id_number"]))

    dues = rules.check_dues(raw["dues"], refs)
    member_ids, reasons = matched_members(dues.typed, dues.valid(), kept_members)
    dues.fail(reasons)
    dues.typed["member_id"] = member_ids
    fates["dues"] = (dues, dispose(dues, ["member_id", "month"], ["paid_status"], [True]))

    kept_cadres = _loaded(fates["cadres"])
    kept_cadres["in_scope"] = cadre_in_scope(kept_cadres, refs.types)
    return Reference(
        orgs=_loaded(fates["orgs"]), members=kept_members, cadres=kept_cadres,
        transfers=_loaded(fates["transfers"]), campaigns=_loaded(fates["campaigns"]),
        roster=_loaded(fates["roster"]), dues=_loaded(fates["dues"]),
        dispositions=_dispositions(fates), skipped=skipped,
    )


def _loaded(fate: tuple[rules.Rows, pd.Series]) -> pd.DataFrame:
    rows, disposition = fate
    return rows.typed[disposition == LOADED].copy()


def _dispositions(fates: dict[str, tuple[rules.Rows, pd.Series]]) -> pd.DataFrame:
    parts = []
    for kind, (rows, disposition) in fates.items():
        part = rows.typed[["_path", "_sheet", "_row"]].copy()
        part.insert(0, "kind", kind)
        part["disposition"] = disposition
        part["reason"] = rows.reason.where(disposition != MERGED, None)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


__all__ = ["DUPLICATE", "INVALID", "LOADED", "MERGED", "Reference", "compute_all"]
