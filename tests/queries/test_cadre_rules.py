"""The entry-scope rule as data (etl/cadre_rules.py -> cadre_rules -> cadre_scope): each rule with a
case it decides and a near miss it does not, the smartphone exception, and the one setting
(branch_extra_positions) reaching cadre_scope, the rollups and `zhtj metrics`."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

import queries
from etl import cadre_rules
from etl.history import carry_history, record_load
from etl.load import build, build_table, prepare
from etl.metrics import compute, connect
from etl.settings import Settings
from tests.queries.conftest import create_raw, make_id, rows

ORG_TYPES = {1: "领导机关团组织", 2: "团委", 3: "团工委", 4: "团总支", 5: "团支部"}
# A root of each type but 团支部, and one branch per case below (created as cases need them).
BASE_ORGS = [
    {"org_id": "L", "org_type": "领导机关团组织", "full_name": "共青团某市委员会"},
    {"org_id": "T", "parent_org_id": "L", "org_type": "团委", "full_name": "共青团某校委员会"},
    {"org_id": "W", "parent_org_id": "L", "org_type": "团工委", "full_name": "共青团某园区工作委员会"},
    {"org_id": "G", "parent_org_id": "T", "org_type": "团总支", "full_name": "某学院团总支"},
]
LOW_ID, HIGH_ID = make_id("19900101", 1), make_id("19990101", 1)
SHARED_ID = make_id("19920101", 1)  # one person in two branches

# (case id, organization, 团内现任职务, 是否入驻企业号, 是否本组织运营者, fixed ID or None,
#  in scope, rule). Organizations starting with "S" are branches made for the case.
CASES = [
    # A1 admits committee members and staff of leading bodies, 团委, 团工委 ...
    ("A1+leading-alternate", "L", "候补委员", "否", None, None, True, "A1"),
    ("A1+committee-standing", "T", "常委", "是", None, None, True, "A1"),
    ("A1+working-committee-staff", "W", "工作人员", "否", None, None, True, "A1"),
    ("A1+committee-rights", "T", "权益委员", "否", None, None, True, "A1"),
    # ... and A2 keeps out anyone else (其他), however onboarded or operating.
    ("A2+leading-other-operator", "L", "其他", "是", "是", None, False, "A2"),
    ("A2+committee-other", "T", "其他", "否", None, None, False, "A2"),
    # B1 admits the general branch's committee ...
    ("B1+general-member", "G", "委员", "否", None, None, True, "B1"),
    ("B1+general-secretary", "G", "书记", "是", None, None, True, "B1"),
    # ... and B2 keeps out staff, 其他, and the leading-body posts 常委 and 候补委员.
    ("B2+general-staff", "G", "工作人员", "是", "是", None, False, "B2"),
    ("B2+general-standing", "G", "常委", "否", None, None, False, "B2"),
    ("B2+general-alternate", "G", "候补委员", "否", None, None, False, "B2"),
    # C1: a branch's 书记, onboarded or not.
    ("C1+secretary-onboarded", "S1", "书记", "是", None, None, True, "C1"),
    ("C4+operator-beside-onboarded-secretary", "S1", "组织委员", "否", "是", None, False, "C4"),
    ("C4+deputy-beside-onboarded-secretary", "S1", "副书记", "是", None, None, False, "C4"),
    ("C5+other-beside-onboarded-secretary", "S1", "其他", "否", None, None, False, "C5"),
    # The smartphone exception: the secretary is not onboarded (否), so the operator comes in.
    ("C1+secretary-not-onboarded", "S2", "书记", "否", None, None, True, "C1"),
    ("C2+operator-beside-secretary-not-onboarded", "S2", "宣传委员", "否", "是", None, True, "C2"),
    ("C5+committee-member-not-operator", "S2", "文体委员", "是", "否", None, False, "C5"),
    # ... also when the secretary is disabled (已禁用).
    ("C1+secretary-disabled", "S3", "书记", "已禁用", None, None, True, "C1"),
    ("C2+operator-beside-disabled-secretary", "S3", "委员", "是", "是", None, True, "C2"),
    # No secretary at all: the operator comes in; a non-committee operator does not.
    ("C2+operator-without-secretary", "S4", "生产委员", "否", "是", None, True, "C2"),
    ("C5+staff-operator-without-secretary", "S5", "工作人员", "是", "是", None, False, "C5"),
    ("C5+other-operator-without-secretary", "S5", "其他", "是", "是", None, False, "C5"),
    ("C5+no-secretary-no-operator", "S6", "副书记", "是", "否", None, False, "C5"),
    # Two candidates: the onboarded one first, then the smaller ID number; the other is C3.
    ("C2+onboarded-candidate-larger-id", "S7", "组织委员", "是", "是", HIGH_ID, True, "C2"),
    ("C3+candidate-not-onboarded-smaller-id", "S7", "志愿委员", "否", "是", LOW_ID, False, "C3"),
    ("C2+candidate-smaller-id", "S8", "权益委员", "否", "是", LOW_ID, True, "C2"),
    ("C3+candidate-larger-id", "S8", "宣传委员", "否", "是", HIGH_ID, False, "C3"),
    # Two secretaries, one onboarded: both are in scope, and the exception is closed.
    ("C1+second-secretary-onboarded", "S9", "书记", "是", None, make_id("19930101", 1), True, "C1"),
    ("C1+second-secretary-not-onboarded", "S9", "书记", "否", None, make_id("19930101", 2), True,
     "C1"),
    ("C4+operator-beside-two-secretaries", "S9", "副书记", "否", "是", None, False, "C4"),
    # An onboarded secretary of another branch does not close this branch's exception.
    ("C1+secretary-onboarded-elsewhere", "S10", "书记", "是", None, SHARED_ID, True, "C1"),
    ("C2+operator-where-that-person-is-not-secretary", "S11", "组织委员", "否", "是", SHARED_ID,
     True, "C2"),
]

BRANCHES = sorted({c[1] for c in CASES if c[1].startswith("S")}, key=lambda s: int(s[1:]))
ORGS = BASE_ORGS + [{"org_id": b, "parent_org_id": "G", "org_type": "团支部",
                     "full_name": f"某学院{int(b[1:]):02d}班团支部"} for b in BRANCHES]


def cadre_rows(cases) -> list[dict]:
    return [{"name": case_id, "id_number": fixed or make_id("19950601", i), "org_id": org,
             "position": position, "wecom_status": wecom, "is_operator": operator}
            for i, (case_id, org, position, wecom, operator, fixed, _, _) in enumerate(cases, 1)]


def pipeline(data: dict, settings: Settings | None = None, path=None,
             as_of: dt.datetime | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path) if path else ":memory:")
    prepare(con)
    create_raw(con, data)
    build(con, as_of=as_of, settings=settings)
    if path:  # as a load publishes it, for `zhtj metrics`
        carry_history(con, None)
        record_load(con, as_of=as_of, source="test", seconds=0)
    return con


@pytest.fixture(scope="module")
def con():
    return pipeline({"orgs": ORGS, "cadres": cadre_rows(CASES)})


@pytest.mark.parametrize("case_id, org_id, is_in_scope, rule_code",
                         [(c[0], c[1], c[6], c[7]) for c in CASES], ids=[c[0] for c in CASES])
def test_each_rule_decides_its_cases(con, case_id, org_id, is_in_scope, rule_code):
    """The case id names the rule expected; near misses of each rule sit beside it."""
    assert rows(con, "select org_id, is_in_scope, rule_code from cadre_scope where name = ?",
                [case_id]) == [(org_id, is_in_scope, rule_code)]


def test_every_rule_but_the_setting_has_a_positive_case_here():
    """Each rule of the default set decides at least one case above (C6 is tested below)."""
    decided = {c[7] for c in CASES}
    assert {r.code for r in cadre_rules.rules()} - decided == {"C6"}


# --- the rules as data -------------------------------------------------------------------------
def test_rule_codes_are_unique_and_each_rule_says_what_and_why():
    """Codes and priorities are unique; every rule has a title, an explanation and its source in
    Chinese and English; only the settings rule reads the settings."""
    rules = cadre_rules.rules(("deputy",))
    assert len({r.code for r in rules}) == len({r.priority for r in rules}) == len(rules)
    for r in rules:
        assert all([r.title_zh, r.title_en, r.explanation_zh, r.explanation_en, r.source_zh,
                    r.source_en]), r.code
        assert r.requires in (None, *cadre_rules.REQUIRES)
    assert [r.code for r in rules if r.is_setting] == ["C6"]


def test_every_organization_type_and_position_is_decided_by_some_rule():
    """Whatever the position and state, a record gets a rule: each type has a fallback."""
    for org_type in ORG_TYPES:
        fallbacks = [r for r in cadre_rules.rules()
                     if org_type in r.org_types and r.positions is None and r.requires is None]
        assert len(fallbacks) == 1 and not fallbacks[0].in_scope


def test_the_load_writes_the_rules_table_as_the_module_lists_them(con):
    """cadre_rules holds the module's rules, in priority order; C6 has no positions by default."""
    got = rows(con, "select rule_code, org_types, positions, requires, is_in_scope "
                    "from cadre_rules order by priority")
    assert got == [(r.code, list(r.org_types), None if r.positions is None else list(r.positions),
                    r.requires, r.in_scope) for r in cadre_rules.rules()]
    assert rows(con, "select positions from cadre_rules where rule_code = 'C6'") == [([],)]


def test_cadre_scope_reads_its_decisions_from_the_rules_table(con):
    """Change a rule in the table and rebuild: the records follow, with no change to the SQL."""
    con.execute("begin")
    try:
        con.execute("update cadre_rules set is_in_scope = true where rule_code = 'A2'")
        build_table(con, "cadre_scope")
        got = rows(con, "select name, is_in_scope, rule_code from cadre_scope "
                        "where rule_code = 'A2' order by name")
        assert got == [("A2+committee-other", True, "A2"),
                       ("A2+leading-other-operator", True, "A2")]
    finally:
        con.execute("rollback")


def test_explanations_name_the_position_in_each_language(con):
    """cadre_findings fills {position} with the position's label: 组织委员 / organization officer."""
    got = rows(con, "select explanation_zh, explanation_en from cadre_findings "
                    "where name = 'C4+operator-beside-onboarded-secretary'")
    assert got == [("团支部仅需录入团支部书记：本支部书记已入驻，组织委员不应录入",
                    "A branch enters only its secretary: this branch's secretary is onboarded, "
                    "so the organization officer should not be entered")]


def test_the_rule_list_report_shows_each_rule_for_the_page(con):
    """cadre_rule_list: every rule in priority order; C6 is inactive without the setting."""
    df = queries.run("cadre_rule_list", con)
    assert list(df["rule_code"]) == ["A1", "A2", "B1", "B2", "C1", "C6", "C2", "C3", "C4", "C5"]
    c6 = df.set_index("rule_code").loc["C6"]
    assert (bool(c6["is_active"]), bool(c6["is_setting"]), c6["positions_zh"]) == (
        False, True, "（未设置）")
    c2 = df.set_index("rule_code").loc["C2"]
    assert c2["source_en"].startswith("Exception: where the secretary cannot use a smartphone")
    assert list(df.columns) == [
        "rule_code", "priority", "org_types", "org_types_zh", "positions", "positions_zh",
        "requires", "is_in_scope", "is_setting", "is_active", "title_zh", "title_en",
        "explanation_zh", "explanation_en", "source_zh", "source_en"]


# --- the setting: a province that allows 副书记 in branches -------------------------------------
SETTING_CASES = [
    # The deputy is in scope wherever it is, by C6, before the exception is considered.
    ("deputy-beside-onboarded-secretary", "S1", "副书记", "是", None, None, True, "C6"),
    ("organization-beside-onboarded-secretary", "S1", "组织委员", "否", "是", None, False, "C4"),
    ("secretary", "S1", "书记", "是", None, None, True, "C1"),
    # The deputy who operates the branch is C6, so the exception stays open to another operator.
    ("deputy-operator", "S2", "副书记", "否", "是", LOW_ID, True, "C6"),
    ("organization-operator", "S2", "组织委员", "否", "是", HIGH_ID, True, "C2"),
    # Other organization types do not change.
    ("general-deputy", "G", "副书记", "否", None, None, True, "B1"),
    ("general-staff", "G", "工作人员", "否", None, None, False, "B2"),
    ("committee-other", "T", "其他", "否", None, None, False, "A2"),
]
DEFAULT_RULE = {  # the same records without the setting
    "deputy-beside-onboarded-secretary": (False, "C4"),
    "deputy-operator": (True, "C2"),
    "organization-operator": (False, "C3"),
}


SETTING_DATA = {"orgs": [o for o in ORGS if o["org_id"] in ("L", "T", "W", "G", "S1", "S2")],
                "cadres": cadre_rows(SETTING_CASES)}


@pytest.fixture(scope="module")
def setting_cons():
    data = SETTING_DATA
    return pipeline(data), pipeline(data, Settings(branch_extra_positions=("deputy",)))


@pytest.mark.parametrize("case_id, is_in_scope, rule_code",
                         [(c[0], c[6], c[7]) for c in SETTING_CASES],
                         ids=[c[0] for c in SETTING_CASES])
def test_the_branch_positions_setting_changes_only_what_it_names(setting_cons, case_id,
                                                                 is_in_scope, rule_code):
    """With 副书记 allowed in branches, branch deputies are in scope by C6; nothing else moves
    except the exception slot the deputy no longer takes."""
    default, with_deputy = setting_cons
    sql = "select is_in_scope, rule_code from cadre_scope where name = ?"
    assert rows(with_deputy, sql, [case_id]) == [(is_in_scope, rule_code)]
    assert rows(default, sql, [case_id]) == [DEFAULT_RULE.get(case_id, (is_in_scope, rule_code))]


def test_the_setting_is_kept_beside_the_rules(setting_cons):
    """setting_cadre_scope records the positions; C6 lists them in cadre_rules."""
    _, with_deputy = setting_cons
    assert rows(with_deputy, "select settings_file, branch_extra_positions, branch_extra_labels "
                             "from setting_cadre_scope") == [(None, ["deputy"], ["副书记"])]
    assert rows(with_deputy, "select positions, positions_zh from cadre_rules "
                             "where rule_code = 'C6'") == [(["deputy"], "副书记")]


@pytest.mark.parametrize("table", ["org_rollup", "org_rollup_cadres"])
def test_the_setting_reaches_the_rollups(setting_cons, table):
    """S1 gains an in-scope cadre (its deputy), onboarded; G's subtree gains it too."""
    default, with_deputy = setting_cons
    sql = (f"select org_id, cadres_in_scope, cadres_out_of_scope, cadres_onboarded_in_scope "
           f"from {table} where org_id in ('S1', 'S2', 'G') order by org_id")
    assert rows(default, sql) == [("G", 3, 4, 1), ("S1", 1, 2, 1), ("S2", 1, 1, 0)]
    assert rows(with_deputy, sql) == [("G", 5, 2, 2), ("S1", 2, 1, 2), ("S2", 2, 0, 0)]


def test_the_setting_reaches_zhtj_metrics(tmp_path):
    """`zhtj metrics` reads the rollups, so its cadre figures follow the setting."""
    data = SETTING_DATA
    as_of = dt.datetime(2024, 10, 8, 12)
    figures = {}
    for label, settings in (("default", None),
                            ("deputy", Settings(branch_extra_positions=("deputy",)))):
        path = tmp_path / f"{label}.duckdb"
        pipeline(data, settings, path=path, as_of=as_of).close()
        with connect(path) as conn:
            figures[label] = compute(conn, "G")["cadres"]
    assert figures["default"] == {"records": 7, "in_scope": 3, "out_of_scope": 4,
                                  "onboarded_in_scope": 1, "onboarding_rate": 0.3333,
                                  "branches_without_cadre": 0}
    assert figures["deputy"] == {"records": 7, "in_scope": 5, "out_of_scope": 2,
                                 "onboarded_in_scope": 2, "onboarding_rate": 0.4,
                                 "branches_without_cadre": 0}
