"""cadre_scope: the entry-scope rule (团干部录入范围) of CONTRACT.md §2 and etl/RULES.md, case by case."""

from __future__ import annotations

import pytest

from tests.queries import province
from tests.queries.conftest import make_id, rows, run_pipeline

# Branches for the smartphone exception, besides the province's own (B11, B12, B21, B31, XB).
EXTRA_BRANCHES = [
    {"org_id": "B13", "parent_org_id": "G1", "org_type": "团支部", "full_name": "计算机学院2024级3班团支部"},
    {"org_id": "B14", "parent_org_id": "G1", "org_type": "团支部", "full_name": "计算机学院2024级4班团支部"},
    {"org_id": "B15", "parent_org_id": "G1", "org_type": "团支部", "full_name": "计算机学院2024级5班团支部"},
]

# Where ID order decides, the numbers are chosen: 1990 < 1999 as the 7th-14th characters.
LOW_ID, HIGH_ID = make_id("19900101", 1), make_id("19990101", 1)

# case id, organization, 团内现任职务, 是否入驻企业号, 是否本组织运营者, ID number (None = by case),
# then whether the record is in scope and the rule that decided it.
CASES = [
    # A: leading bodies, 团委, 团工委: every position except 其他.
    ("leading-secretary", "P", "书记", "是", None, None, True, "A1"),
    ("leading-deputy", "P", "副书记", "否", None, None, True, "A1"),
    ("leading-standing", "P", "常委", "否", None, None, True, "A1"),
    ("leading-member", "P", "委员", "否", None, None, True, "A1"),
    ("leading-alternate", "P", "候补委员", "否", None, None, True, "A1"),
    ("leading-staff", "P", "工作人员", "是", None, None, True, "A1"),
    ("leading-staff-by-code", "P", "5", "是", None, None, True, "A1"),
    ("leading-other", "P", "其他", "是", None, None, False, "A2"),
    ("committee-organization", "U", "组织委员", "否", None, None, True, "A1"),
    ("committee-staff", "U", "工作人员", "否", None, None, True, "A1"),
    ("committee-other", "U", "其他", "是", None, None, False, "A2"),
    ("committee-other-by-code", "U", "9", "否", None, None, False, "A2"),
    ("working-committee-secretary", "W", "书记", "否", None, None, True, "A1"),
    ("working-committee-standing", "W", "常委", "否", None, None, True, "A1"),
    ("working-committee-other", "W", "其他", "否", None, None, False, "A2"),
    # B: 团总支: the committee (书记, 副书记, the committee roles, 委员) only.
    ("general-secretary", "G1", "书记", "是", None, None, True, "B1"),
    ("general-deputy", "G1", "副书记", "否", None, None, True, "B1"),
    ("general-organization", "G1", "组织委员", "否", None, None, True, "B1"),
    ("general-publicity", "G1", "宣传委员", "否", None, None, True, "B1"),
    ("general-culture", "G1", "文体委员", "否", None, None, True, "B1"),
    ("general-production", "G1", "生产委员", "否", None, None, True, "B1"),
    ("general-rights", "G1", "权益委员", "否", None, None, True, "B1"),
    ("general-volunteer", "G1", "志愿委员", "否", None, None, True, "B1"),
    ("general-member", "G1", "委员", "否", None, None, True, "B1"),
    ("general-staff", "G1", "工作人员", "是", None, None, False, "B2"),
    ("general-other", "G1", "其他", "否", None, None, False, "B2"),
    ("general-standing", "G1", "常委", "否", None, None, False, "B2"),
    ("general-alternate", "G1", "候补委员", "否", None, None, False, "B2"),
    # C: 团支部. B11: the secretary is onboarded, so no exception.
    ("onboarded-secretary", "B11", "书记", "是", None, None, True, "C1"),
    ("operator-beside-onboarded-secretary", "B11", "组织委员", "否", "是", None, False, "C4"),
    ("deputy-beside-onboarded-secretary", "B11", "副书记", "是", "否", None, False, "C4"),
    # B12: the secretary is not onboarded: the operator among the committee comes in.
    ("secretary-not-onboarded", "B12", "书记", "否", "否", None, True, "C1"),
    ("operator-beside-secretary-not-onboarded", "B12", "宣传委员", "否", "是", None, True, "C2"),
    ("committee-member-not-operator", "B12", "文体委员", "是", "否", None, False, "C5"),
    # XB: a disabled (已禁用) secretary is not onboarded either.
    ("secretary-disabled", "XB", "书记", "已禁用", None, None, True, "C1"),
    ("operator-beside-disabled-secretary", "XB", "副书记", "否", "是", None, True, "C2"),
    # B21: no secretary; two candidates: the onboarded one wins over the smaller ID number.
    ("onboarded-candidate-with-larger-id", "B21", "组织委员", "是", "是", HIGH_ID, True, "C2"),
    ("candidate-not-onboarded-with-smaller-id", "B21", "委员", "否", "是", LOW_ID, False, "C3"),
    # B31: no secretary; two candidates, neither onboarded: the smaller ID number wins.
    ("candidate-with-smaller-id", "B31", "权益委员", "否", "是", LOW_ID, True, "C2"),
    ("candidate-with-larger-id", "B31", "志愿委员", "否", "是", HIGH_ID, False, "C3"),
    # B13: no secretary; an ordinary member entered as 其他, though the operator, is out.
    ("ordinary-member-as-other", "B13", "其他", "是", "是", None, False, "C5"),
    # B14: no secretary; staff and alternates are not committee members of a branch.
    ("branch-staff-operator", "B14", "工作人员", "是", "是", None, False, "C5"),
    ("branch-alternate-operator", "B14", "候补委员", "否", "是", None, False, "C5"),
    # B15: no secretary at all; the only committee member, not the operator, stays out.
    ("no-secretary-no-operator", "B15", "副书记", "是", "否", None, False, "C5"),
]


def _id_number(i: int, fixed: str | None) -> str:
    return fixed or make_id("19950601", i)


CADRE_ROWS = [
    {"name": case_id, "id_number": _id_number(i, fixed), "org_id": org, "position": position,
     "wecom_status": wecom, "is_operator": operator}
    for i, (case_id, org, position, wecom, operator, fixed, _, _) in enumerate(CASES, 1)
]


@pytest.fixture(scope="module")
def con():
    return run_pipeline({"orgs": province.ORGS + EXTRA_BRANCHES, "cadres": CADRE_ROWS})


@pytest.mark.parametrize(
    "case_id, org_id, position, is_in_scope, rule_code",
    [(c[0], c[1], c[2], c[6], c[7]) for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_cadre_scope_judges_each_record(con, case_id, org_id, position, is_in_scope, rule_code):
    """Each cadre record is in or out of scope by the rule of its organization's type."""
    got = rows(con, "select org_id, is_in_scope is true, rule_code from cadre_scope where name = ?",
               [case_id])
    assert got == [(org_id, is_in_scope, rule_code)]


def test_cadre_scope_keeps_every_loaded_record_once(con):
    """One row per cadre record: nothing is dropped or repeated by the exception logic."""
    got = rows(con, "select count(*), count(distinct name) from cadre_scope")
    assert got == [(len(CASES), len(CASES))]


@pytest.mark.parametrize("org_id, in_scope", [
    ("B11", ["onboarded-secretary"]),
    ("B12", ["operator-beside-secretary-not-onboarded", "secretary-not-onboarded"]),
    ("B21", ["onboarded-candidate-with-larger-id"]),
    ("B31", ["candidate-with-smaller-id"]),
    ("B13", []),
    ("B14", []),
    ("B15", []),
    ("XB", ["operator-beside-disabled-secretary", "secretary-disabled"]),
])
def test_cadre_scope_admits_at_most_one_exception_per_branch(con, org_id, in_scope):
    """A branch's in-scope records are its 书记 records plus at most one operator."""
    got = rows(con, "select name from cadre_scope where org_id = ? and is_in_scope order by name",
               [org_id])
    assert [r[0] for r in got] == in_scope


def test_cadre_scope_carries_onboarding_and_operator_flags(con):
    """is_onboarded is 是 only (not 已禁用, not 否); is_operator is 是 only; wecom_status coded."""
    got = rows(con, "select name, wecom_status, is_onboarded, is_operator from cadre_scope "
                    "where name in ('secretary-disabled', 'onboarded-candidate-with-larger-id', "
                    "'secretary-not-onboarded') order by name")
    assert got == [
        ("onboarded-candidate-with-larger-id", 1, True, True),
        ("secretary-disabled", 2, False, False),
        ("secretary-not-onboarded", 4, False, False),
    ]


OUT_OF_SCOPE = sorted(c[0] for c in CASES if not c[6])


def test_cadre_scope_marks_every_out_of_scope_record_false(con):
    """is_in_scope is a true/false flag: filtering on `not is_in_scope` finds every record out."""
    got = rows(con, "select name from cadre_scope where not is_in_scope order by name")
    assert [r[0] for r in got] == OUT_OF_SCOPE
