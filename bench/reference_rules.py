"""The pandas approach, step 3: typing and validating each kind's rows as etl/RULES.md says."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench import reference_values as values
from etl import labels


class Rows:
    """One kind's raw rows being typed; `reason` keeps each row's first problem (None = valid)."""

    def __init__(self, raw: pd.DataFrame, kind: str):
        self.raw = raw
        self.typed = raw[["_path", "_sheet", "_row", "_order"]].copy()
        self.reason = pd.Series(None, index=raw.index, dtype=object)
        for col in labels.HEADERS[kind]:
            too_long = raw[col].astype(object).str.len().gt(values.MAX_TEXT)
            self.flag(too_long, f"value too long ({col})")

    def fail(self, reasons: pd.Series) -> None:
        self.reason = self.reason.where(self.reason.notna(), reasons)

    def flag(self, mask: pd.Series, reason: str) -> None:
        self.fail(pd.Series(np.where(mask, reason, None), index=mask.index, dtype=object))

    def first_of(self, *cols: str) -> pd.Series:
        """The first non-empty value among alternative columns (e.g. 所在团支部ID, 所在团支部)."""
        out = self.raw[cols[0]]
        for col in cols[1:]:
            out = out.where(out.notna(), self.raw[col])
        return out

    def required(self, *cols: str) -> None:
        self.flag(self.first_of(*cols).isna(), f"required value missing ({'/'.join(cols)})")

    def text(self, *cols: str) -> None:
        for col in cols:
            self.typed[col] = self.raw[col]

    def parsed(self, col: str, parse, source: pd.Series | None = None) -> pd.Series:
        typed, reasons = parse(self.raw[col] if source is None else source)
        self.fail(reasons)
        self.typed[col] = typed
        return typed

    def coded(self, col: str, key: str, default: str | None = None) -> pd.Series:
        typed = self.parsed(col, lambda s: values.coded(s, key))
        if default is not None:
            self.typed[col] = typed.where(self.raw[col].notna(), default)
        return self.typed[col]

    def ids(self, col: str = "id_number", foreign: pd.Series | None = None) -> pd.Series:
        return self.parsed(col, lambda s: values.id_numbers(s, foreign))

    def org(self, name: str, refs: OrgRefs, *cols: str, branch: bool = False) -> pd.Series:
        ids, reasons = refs.resolve(self.first_of(*cols))
        self.fail(reasons)
        if branch:
            self.flag(ids.notna() & ids.map(refs.types).ne("5"), "not a branch")
        self.typed[name] = ids
        return ids

    def valid(self) -> pd.Series:
        return self.reason.isna()


class OrgRefs:
    """References to loaded organizations: an 组织ID exactly, else a unique 团组织全称."""

    def __init__(self, orgs: pd.DataFrame):
        self.ids = set(orgs["org_id"])
        self.types = dict(zip(orgs["org_id"], orgs["org_type"]))
        counts = orgs["full_name"].value_counts()
        self.by_name = dict(zip(orgs["full_name"], orgs["org_id"]))
        self.ambiguous = set(counts[counts > 1].index)

    def one(self, value: str) -> str:
        if value in self.ids:
            return value
        if value in self.ambiguous:
            raise values.Bad(f"organization name is ambiguous: {value}")
        if value in self.by_name:
            return self.by_name[value]
        raise values.Bad(f"organization not found: {value}")

    def resolve(self, col: pd.Series) -> tuple[pd.Series, pd.Series]:
        return values.parse_by_value(col, self.one, "organization not found")


def check_orgs(raw: pd.DataFrame) -> Rows:
    r = Rows(raw, "orgs")
    for col in ("org_id", "org_type", "full_name"):
        r.required(col)
    r.text("org_id", "parent_org_id", "full_name", "short_name", "industry")
    r.coded("org_type", "org_type")
    r.coded("is_graduating", "yes_no")
    return r


def check_members(raw: pd.DataFrame, refs: OrgRefs) -> Rows:
    r = Rows(raw, "members")
    for cols in (("name",), ("id_number",), ("branch_org_id", "branch"), ("registration_status",)):
        r.required(*cols)
    r.text("name", "mobile", "education", "member_number")
    r.ids(foreign=r.coded("id_type", "id_type"))
    r.org("branch_id", refs, "branch_org_id", "branch", branch=True)
    r.coded("registration_status", "registration_status")
    r.parsed("registered_at", values.dates)
    r.parsed("reviewed_at", values.dates)
    for col in ("political_status", "occupation", "income_band"):
        r.coded(col, col)
    r.parsed("joined_month", values.months)
    r.coded("membership_status", "membership_status", default="0")  # empty means 正常
    return r


def _position_codes(raw: pd.Series, org_type: pd.Series) -> tuple[pd.Series, pd.Series]:
    """团内现任职务: a label from either list; a number read by the organization's type's list."""
    leading = values.code_table("position_leading")
    other = values.code_table("position_other")
    typed, reasons = {}, {}
    for i, (value, kind) in enumerate(zip(raw, org_type)):
        if value is None:
            continue
        code = (leading if kind == "1" else other).get(value) if value.isdigit() \
            else values.POSITION_LABELS.get(value)
        if code is None:
            reasons[raw.index[i]] = f"unknown label (position): {value}"
        typed[raw.index[i]] = code
    return (pd.Series(typed, index=raw.index, dtype=object),
            pd.Series(reasons, index=raw.index, dtype=object))


def check_cadres(raw: pd.DataFrame, refs: OrgRefs) -> Rows:
    r = Rows(raw, "cadres")
    for cols in (("name",), ("id_number",), ("org_id", "org"), ("position",), ("wecom_status",)):
        r.required(*cols)
    r.text("name", "mobile")
    r.ids()
    org = r.org("org_id", refs, "org_id", "org")
    r.parsed("position", lambda s: _position_codes(s, org.map(refs.types)))
    r.coded("wecom_status", "wecom_status")
    r.coded("is_operator", "yes_no")
    r.coded("cadre_kind", "cadre_kind")
    r.parsed("in_post_since", values.months)
    return r


def check_transfers(raw: pd.DataFrame, refs: OrgRefs) -> Rows:
    r = Rows(raw, "transfers")
    for col in ("name", "id_number", "created_at", "from_org", "status"):
        r.required(col)
    r.text("name")
    r.ids()
    for col in ("created_at", "completed_at", "from_branch_reviewed_at",
                "from_superior_reviewed_at", "to_branch_reviewed_at", "to_superior_reviewed_at"):
        r.parsed(col, values.dates)
    r.coded("status", "transfer_status")
    r.coded("destination_kind", "destination_kind")
    r.coded("cause", "cause")
    r.org("from_org_id", refs, "from_org")
    # Leaving the province (转出省外, 退回原籍): an unknown receiving organization is outside.
    outward = r.typed["destination_kind"].isin(["2", "3"])
    to_ids, to_reasons = refs.resolve(raw["to_org"])
    unknown = to_reasons.fillna("").str.startswith("organization not found") | raw["to_org"].isna()
    r.fail(to_reasons.where(~(outward & unknown), None))
    r.flag(raw["to_org"].isna() & ~outward, "required value missing (to_org)")
    r.typed["to_org_id"] = to_ids
    return r


def check_campaigns(raw: pd.DataFrame, refs: OrgRefs) -> Rows:
    r = Rows(raw, "campaigns")
    for col in ("campaign", "deadline", "org_id"):
        r.required(col)
    r.text("campaign")
    deadline = r.parsed("deadline", values.dates)
    r.typed["deadline"] = deadline.map(  # a day: a time of day on it is ignored
        lambda d: d.replace(hour=0, minute=0, second=0), na_action="ignore")
    r.org("org_id", refs, "org_id")
    return r


def check_roster(raw: pd.DataFrame, refs: OrgRefs, campaigns: set[str]) -> Rows:
    r = Rows(raw, "roster")
    for col in ("campaign", "name", "id_number", "branch"):
        r.required(col)
    r.text("campaign", "name")
    r.flag(raw["campaign"].notna() & ~raw["campaign"].isin(campaigns), "campaign not found")
    r.ids()
    r.org("branch_id", refs, "branch", branch=True)
    return r


def check_dues(raw: pd.DataFrame, refs: OrgRefs) -> Rows:
    r = Rows(raw, "dues")
    for col in ("name", "branch", "amount_due", "paid_status"):
        r.required(col)
    r.text("name", "mobile")
    # The 月份 column, else the month in a title row above the header.
    r.parsed("month", values.months, source=raw["month"].where(raw["month"].notna(),
                                                               raw["_title_month"]))
    r.flag(r.typed["month"].isna() & r.reason.isna(), "month missing")
    r.org("branch_id", refs, "branch", branch=True)
    r.org("current_branch_id", refs, "current_branch")
    r.typed["id_number"] = values.norm_ids(raw["id_number"])
    r.parsed("amount_due", values.amounts)
    r.coded("paid_status", "paid_status")
    r.parsed("voluntary_amount", values.amounts)
    r.parsed("unpaid_total", values.amounts)
    r.coded("political_status", "political_status")
    return r
