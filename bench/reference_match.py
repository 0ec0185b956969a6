"""The pandas approach, step 5: matching dues lines to members, and the cadre entry-scope rule."""

from __future__ import annotations

import pandas as pd

# 团总支: the general branch's committee (RULES.md lists these; 工作人员 and 其他 are out).
GENERAL_BRANCH_SCOPE = {"secretary", "deputy", "organization", "publicity", "culture",
                        "production", "rights", "volunteer", "member"}
# Who may stand in for a branch secretary without an onboarded record (the smartphone exception).
BRANCH_COMMITTEE = GENERAL_BRANCH_SCOPE - {"secretary"}


def matched_members(dues: pd.DataFrame, valid: pd.Series,
                    members: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(member id number, quarantine reason) per dues row: by 身份证号码 when present, else by
    团员姓名 + 手机号码 among members of its 所在团支部 or its 团员当前所属支部."""
    member_id = pd.Series(None, index=dues.index, dtype=object)
    reason = pd.Series(None, index=dues.index, dtype=object)
    known = set(members["id_number"])

    by_id = valid & dues["id_number"].notna()
    found = dues["id_number"].isin(known)
    member_id[by_id & found] = dues.loc[by_id & found, "id_number"]
    reason[by_id & ~found] = "member not found"

    by_name = valid & dues["id_number"].isna()
    rows = dues.loc[by_name, ["branch_id", "current_branch_id", "name", "mobile"]]
    candidates = pd.concat([
        rows[["branch_id", "name", "mobile"]],
        rows[["current_branch_id", "name", "mobile"]].set_axis(
            ["branch_id", "name", "mobile"], axis=1),
    ]).dropna().reset_index(names="row")
    pool = members.loc[members["mobile"].notna(), ["branch_id", "name", "mobile", "id_number"]]
    hits = candidates.merge(pool, on=["branch_id", "name", "mobile"]).drop_duplicates(
        ["row", "id_number"])
    per_row = hits.groupby("row")["id_number"].agg(["first", "size"])
    one = per_row[per_row["size"] == 1]
    member_id[one.index] = one["first"]
    reason[per_row.index[per_row["size"] > 1]] = "member is ambiguous"
    reason[by_name & ~by_name.index.isin(per_row.index)] = "member not found"
    return member_id, reason


def cadre_in_scope(cadres: pd.DataFrame, org_types: dict[str, str]) -> pd.Series:
    """Whether each loaded cadre record is within the entry scope (团干部录入范围)."""
    kind = cadres["org_id"].map(org_types)
    position = cadres["position"]
    in_scope = ((kind.isin(["1", "2", "3"]) & position.ne("other"))
                | (kind.eq("4") & position.isin(GENERAL_BRANCH_SCOPE))
                | (kind.eq("5") & position.eq("secretary")))
    branch = cadres[kind.eq("5")]
    onboarded = branch["wecom_status"].eq("1")
    covered = set(branch.loc[branch["position"].eq("secretary") & onboarded, "org_id"])
    stand_ins = branch[branch["position"].isin(BRANCH_COMMITTEE) & branch["is_operator"].eq("1")
                       & ~branch["org_id"].isin(covered)]
    # Several qualify: the onboarded one first, then the smallest ID number (then file order).
    stand_ins = stand_ins.assign(_not_onboarded=stand_ins["wecom_status"].ne("1")).sort_values(
        ["_not_onboarded", "id_number", "_order"])
    chosen = stand_ins.drop_duplicates("org_id").index
    in_scope[chosen] = True
    return in_scope.astype(bool)
