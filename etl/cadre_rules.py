"""The entry-scope rule for cadres (团干部录入范围) as data: one record per rule, written to `cadre_rules`.

`queries/marts/cadre_scope.sql` decides every record from this table (first matching rule by
priority), so the rollups, `zhtj metrics` and the cadres page all follow it. The one per-province
setting, the branch positions allowed besides the secretary (`[cadre_scope]
branch_extra_positions`), fills the positions of rule C6; with the default (none) C6 matches
nothing and the rule is CONTRACT.md §2's exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from etl import labels

# Position codes (stg_cadres.position) in display order, with their English labels; the Chinese
# label is the platform's (etl/labels.py).
POSITIONS_EN = {
    "secretary": "secretary", "deputy": "deputy secretary", "standing": "standing committee member",
    "member": "committee member", "alternate": "alternate committee member",
    "staff": "staff member",
    "organization": "organization officer", "publicity": "publicity officer",
    "culture": "culture and sports officer", "production": "production officer",
    "rights": "rights officer", "volunteer": "volunteer officer", "other": "'other' position",
}
POSITIONS = tuple(POSITIONS_EN)


def position_label(position: str) -> str:
    """The platform's Chinese label of a position code (书记 for 'secretary')."""
    for key in ("position_other", "position_leading"):
        if position in labels.CODES[key].values():
            return labels.label_for(key, position)
    return position


# The committee of a 团总支 or 团支部: 书记 aside, these may stand in for a branch's secretary.
BRANCH_COMMITTEE = ("deputy", "organization", "publicity", "culture", "production", "rights",
                    "volunteer", "member")
LEADING_BODY_POSITIONS = tuple(p for p in POSITIONS if p != "other")
GENERAL_BRANCH_POSITIONS = ("secretary",) + BRANCH_COMMITTEE

# What a rule needs besides organization type and position; cadre_scope.sql knows these states.
REQUIRES = ("exception_chosen", "exception_not_chosen", "secretary_onboarded")

_SOURCE_A_EN = ("A. Leading bodies, 团委 and 团工委: members of the committee (书记, 副书记, 常委, "
                "委员, 候补委员, and the committee roles 组织委员 … 志愿委员) and the body's staff "
                "(工作人员).")
_SOURCE_A_ZH = ("领导机关团组织、团委、团工委：录入委员会成员（书记、副书记、常委、委员、候补委员，"
                "以及组织委员至志愿委员等委员）和本机关工作人员。")
_SOURCE_B_EN = "B. 团总支: the members of the general branch's committee only."
_SOURCE_B_ZH = "团总支：只录入团总支委员会成员。"
_SOURCE_C_EN = "C. 团支部: the branch secretary (书记) only."
_SOURCE_C_ZH = "团支部：只录入团支部书记。"
_SOURCE_EXC_EN = ("Exception: where the secretary cannot use a smartphone, one other committee "
                  "member may be entered and made the branch's operator.")
_SOURCE_EXC_ZH = "例外：团支部书记无法使用智能手机的，可录入一名其他支部委员，并设为本支部运营者。"
_SOURCE_SETTING_EN = ("Settings file, [cadre_scope] branch_extra_positions: this province also "
                      "counts these positions of a 团支部.")
_SOURCE_SETTING_ZH = "设置文件 [cadre_scope] branch_extra_positions：本省团支部还录入这些职务。"


@dataclass(frozen=True)
class Rule:
    code: str
    priority: int                      # the first matching rule (lowest priority) decides
    org_types: tuple[int, ...]         # 1 领导机关团组织, 2 团委, 3 团工委, 4 团总支, 5 团支部
    positions: tuple[str, ...] | None  # None: any position (a fallback)
    requires: str | None               # None, or one of REQUIRES
    in_scope: bool
    title_zh: str
    title_en: str
    explanation_zh: str                # {position}: the record's position, in that language
    explanation_en: str
    source_zh: str
    source_en: str
    is_setting: bool = False           # positions come from the settings file


def rules(branch_extra_positions: tuple[str, ...] = ()) -> list[Rule]:
    """The rules in priority order; branch_extra_positions are position codes (see settings)."""
    return [
        Rule("A1", 10, (1, 2, 3), LEADING_BODY_POSITIONS, None, True,
             "领导机关、团委、团工委：委员会成员和工作人员",
             "Leading body, committee, working committee: committee members and staff",
             "领导机关团组织、团委、团工委录入委员会成员和工作人员：{position}在录入范围内",
             "Leading bodies, committees and working committees enter their committee members "
             "and staff: the {position} is in scope",
             _SOURCE_A_ZH, _SOURCE_A_EN),
        Rule("A2", 19, (1, 2, 3), None, None, False,
             "领导机关、团委、团工委：委员会成员和工作人员以外的人员",
             "Leading body, committee, working committee: anyone else",
             "领导机关团组织、团委、团工委只录入委员会成员和工作人员：{position}不在录入范围，不应录入",
             "Leading bodies, committees and working committees enter only committee members and "
             "staff: the {position} is out of scope and should not be entered",
             _SOURCE_A_ZH, _SOURCE_A_EN),
        Rule("B1", 20, (4,), GENERAL_BRANCH_POSITIONS, None, True,
             "团总支：总支委员会成员",
             "General branch: members of its committee",
             "团总支录入总支委员会成员：{position}在录入范围内",
             "A general branch enters the members of its committee: the {position} is in scope",
             _SOURCE_B_ZH, _SOURCE_B_EN),
        Rule("B2", 29, (4,), None, None, False,
             "团总支：委员会成员以外的人员",
             "General branch: anyone outside its committee",
             "团总支只录入总支委员会成员：{position}不是委员会成员，不应录入",
             "A general branch enters only the members of its committee: the {position} is not a "
             "committee member and should not be entered",
             _SOURCE_B_ZH, _SOURCE_B_EN),
        Rule("C1", 30, (5,), ("secretary",), None, True,
             "团支部：团支部书记",
             "Branch: the branch secretary",
             "团支部录入团支部书记：{position}在录入范围内",
             "A branch enters its secretary: the {position} is in scope",
             _SOURCE_C_ZH, _SOURCE_C_EN),
        Rule("C6", 31, (5,), tuple(branch_extra_positions), None, True,
             "团支部：本省设置允许录入的其他职务",
             "Branch: positions this province's settings also allow",
             "本省设置：团支部还可录入{position}",
             "This province's settings: a branch may also enter its {position}",
             _SOURCE_SETTING_ZH, _SOURCE_SETTING_EN, is_setting=True),
        Rule("C2", 32, (5,), BRANCH_COMMITTEE, "exception_chosen", True,
             "团支部智能手机例外：书记未入驻时的一名运营者支委",
             "Branch smartphone exception: one committee member who operates the branch",
             "智能手机例外：本支部书记未入驻企业号，{position}作为本支部运营者可录入（每个团支部限一人）",
             "Smartphone exception: the branch secretary is not onboarded, so the {position}, "
             "who operates the branch, may be entered (one per branch)",
             _SOURCE_EXC_ZH, _SOURCE_EXC_EN),
        Rule("C3", 33, (5,), BRANCH_COMMITTEE, "exception_not_chosen", False,
             "团支部智能手机例外限一人：其余运营者支委",
             "Branch smartphone exception is for one person: other committee operators",
             "智能手机例外每个团支部限一人：本支部另一名运营者支委已在录入范围，{position}不应录入",
             "The smartphone exception admits one person per branch: another committee member "
             "who operates this branch is already in scope, so the {position} should not be "
             "entered",
             _SOURCE_EXC_ZH, _SOURCE_EXC_EN),
        Rule("C4", 34, (5,), BRANCH_COMMITTEE, "secretary_onboarded", False,
             "团支部：书记已入驻，其他支委不应录入",
             "Branch: the secretary is onboarded, so no other committee member",
             "团支部仅需录入团支部书记：本支部书记已入驻，{position}不应录入",
             "A branch enters only its secretary: this branch's secretary is onboarded, so the "
             "{position} should not be entered",
             _SOURCE_C_ZH, _SOURCE_C_EN),
        Rule("C5", 39, (5,), None, None, False,
             "团支部：书记以外的人员",
             "Branch: anyone but the secretary",
             "团支部仅需录入团支部书记：{position}不在录入范围，不应录入"
             "（书记无法使用智能手机的，可录入一名支部委员并设为本支部运营者）",
             "A branch enters only its secretary: the {position} is out of scope and should not be "
             "entered (if the secretary cannot use a smartphone, one committee member may be "
             "entered and made the branch's operator)",
             _SOURCE_C_ZH, _SOURCE_C_EN),
    ]


# The follow-up list's kinds of item, in the order an operator sees them. {quota},
# {seats_used} and {seats_out_of_scope} are filled for over_quota.
FOLLOWUP_KINDS = (
    ("remove_out_of_scope", 1, "删除该团干部记录", "Remove this cadre record", None, None),
    ("onboard_in_scope", 2, "请该团干部入驻企业号", "Get this cadre onboarded to the mobile app",
     None, None),
    ("add_cadre", 3, "录入团支部书记", "Enter the branch secretary",
     "无团干团支部：本支部没有任何团干部记录",
     "Branch without a cadre: this branch has no cadre record at all"),
    ("over_quota", 4, "将入驻企业号的人数减至席位数以内",
     "Bring the onboarded records within the seat quota",
     "企业号席位{quota}个，本组织已入驻{seats_used}人（其中{seats_out_of_scope}人不在录入范围）",
     "Seat quota {quota}: {seats_used} of this organization's records are onboarded "
     "({seats_out_of_scope} of them out of scope)"),
)

_ORG_TYPE_ZH = {1: "领导机关团组织", 2: "团委", 3: "团工委", 4: "团总支", 5: "团支部"}


def write_rules(con: duckdb.DuckDBPyConnection,
                branch_extra_positions: tuple[str, ...] = ()) -> None:
    """Create `cadre_rules`, `cadre_positions` and `cadre_followup_kinds` (before cadre_scope)."""
    con.execute("""
        create or replace table cadre_rules (
            rule_code varchar, priority integer, org_types integer[], positions varchar[],
            requires varchar, is_in_scope boolean, is_setting boolean,
            org_types_zh varchar, positions_zh varchar,
            title_zh varchar, title_en varchar, explanation_zh varchar, explanation_en varchar,
            source_zh varchar, source_en varchar)""")
    con.executemany(
        "insert into cadre_rules values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(r.code, r.priority, list(r.org_types),
          None if r.positions is None else list(r.positions), r.requires, r.in_scope,
          r.is_setting, "、".join(_ORG_TYPE_ZH[t] for t in r.org_types),
          "其他职务" if r.positions is None
          else "、".join(position_label(p) for p in r.positions) or "（未设置）",
          r.title_zh, r.title_en, r.explanation_zh, r.explanation_en, r.source_zh, r.source_en)
         for r in rules(tuple(branch_extra_positions))])
    con.execute("create or replace table cadre_positions (position varchar, label_zh varchar, "
                "label_en varchar, sort_order integer)")
    con.executemany("insert into cadre_positions values (?, ?, ?, ?)",
                    [(p, position_label(p), POSITIONS_EN[p], i)
                     for i, p in enumerate(POSITIONS, 1)])
    con.execute("create or replace table cadre_followup_kinds (item_kind varchar, "
                "sort_order integer, action_zh varchar, action_en varchar, "
                "explanation_zh varchar, explanation_en varchar)")
    con.executemany("insert into cadre_followup_kinds values (?, ?, ?, ?, ?, ?)",
                    list(FOLLOWUP_KINDS))
