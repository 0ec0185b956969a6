"""The cadres page's SQL: the marts org_rollup_cadres, cadre_org_gaps, cadre_findings and
cadre_followup_items, and the reports cadres_summary, cadres_children, cadres_by_rule,
cadre_detections, cadre_empty_orgs, cadre_seats, cadre_followup and cadre_settings, on a
hand-written province with seat quotas."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

import queries
from etl.history import carry_history, record_load
from etl.load import build, prepare
from etl.metrics import connect
from etl.settings import Settings
from tests.queries.conftest import create_raw, make_id

AS_OF = dt.datetime(2024, 10, 8, 12, 0, 0)

# Tree (pre-order, siblings by 团组织全称: 园 sorts before 大):
#   seq  id  type  full name
#    1   P   1     共青团测试省委员会
#    2   W   3       园区团工委
#    3   C1  5         C公司团支部
#    4   U   2       大学团委
#    5   GA  4         A学院团总支 (简称 A院)
#    6   A1  5           A学院1班团支部
#    7   A2  5           A学院2班团支部   (2 active members: hollow)
#    8   A3  5           A学院3班团支部
#    9   GB  4         B学院团总支
#   10   B1  5           B学院1班团支部   (no cadre, no member: both)
#   11   GE  4         E学院团总支       (nothing under it: a hollow committee)
ORGS = [
    {"org_id": "P", "org_type": "领导机关团组织", "full_name": "共青团测试省委员会"},
    {"org_id": "W", "parent_org_id": "P", "org_type": "团工委", "full_name": "园区团工委"},
    {"org_id": "C1", "parent_org_id": "W", "org_type": "团支部", "full_name": "C公司团支部"},
    {"org_id": "U", "parent_org_id": "P", "org_type": "团委", "full_name": "大学团委"},
    {"org_id": "GA", "parent_org_id": "U", "org_type": "团总支", "full_name": "A学院团总支",
     "short_name": "A院"},
    {"org_id": "A1", "parent_org_id": "GA", "org_type": "团支部", "full_name": "A学院1班团支部"},
    {"org_id": "A2", "parent_org_id": "GA", "org_type": "团支部", "full_name": "A学院2班团支部"},
    {"org_id": "A3", "parent_org_id": "GA", "org_type": "团支部", "full_name": "A学院3班团支部"},
    {"org_id": "GB", "parent_org_id": "U", "org_type": "团总支", "full_name": "B学院团总支"},
    {"org_id": "B1", "parent_org_id": "GB", "org_type": "团支部", "full_name": "B学院1班团支部"},
    {"org_id": "GE", "parent_org_id": "U", "org_type": "团总支", "full_name": "E学院团总支"},
]
NAME = {o["org_id"]: o["full_name"] for o in ORGS}
SEQ = {"P": 1, "W": 2, "C1": 3, "U": 4, "GA": 5, "A1": 6, "A2": 7, "A3": 8, "GB": 9, "B1": 10,
       "GE": 11}
LAST = {"P": 11, "W": 3, "C1": 3, "U": 11, "GA": 8, "A1": 6, "A2": 7, "A3": 8, "GB": 10,
        "B1": 10, "GE": 11}

# Active members per branch: A1 3, A2 2 (and one disabled), A3 5, C1 3, B1 none.
_COUNTS = {"A1": 3, "A2": 3, "A3": 5, "C1": 3}
MEMBERS = [
    {"name": f"{b}m{i}", "id_number": make_id("20060101", n), "branch": NAME[b],
     "registration_status": "审核通过",
     "membership_status": "禁用" if (b, i) == ("A2", 3) else None}
    for n, (b, i) in enumerate(((b, i) for b, k in _COUNTS.items() for i in range(1, k + 1)), 1)
]

LOW_ID, HIGH_ID = make_id("19900101", 1), make_id("19990101", 1)
_IDS: dict[str, str] = {}


def _cadre(key, org, position, wecom, operator=None, id_number=None, mobile=None):
    _IDS[key] = id_number or make_id("19950101", len(_IDS) + 1)
    return {"name": key, "id_number": _IDS[key], "org_id": org, "position": position,
            "wecom_status": wecom, "is_operator": operator, "mobile": mobile}


# Each comment: the rule, and whether the record takes a seat (onboarded).
CADRES = [
    _cadre("p1", "P", "书记", "是", "是", mobile="13800000001"),  # A1, seat
    _cadre("p2", "P", "其他", "是"),                              # A2, seat out of scope
    _cadre("p3", "P", "工作人员", "否"),                          # A1, to onboard
    _cadre("w1", "W", "其他", "否"),                              # A2
    _cadre("c1", "C1", "书记", "是"),                             # C1, seat
    _cadre("u1", "U", "副书记", "是"),                            # A1, seat
    _cadre("ga1", "GA", "书记", "是"),                            # B1, seat
    _cadre("ga2", "GA", "工作人员", "是"),                        # B2, seat out of scope
    _cadre("a1s", "A1", "书记", "是"),                            # C1, seat
    _cadre("a1o", "A1", "组织委员", "否", "是", mobile="13800000002"),  # C4
    _cadre("a1p", "A1", "宣传委员", "是"),                        # C4, seat out of scope
    _cadre("a2s", "A2", "书记", "否"),                            # C1, to onboard
    _cadre("a2d", "A2", "副书记", "否", "是"),                    # C2, to onboard
    _cadre("a2x", "A2", "其他", "是"),                            # C5, seat out of scope
    _cadre("a3a", "A3", "组织委员", "否", "是", LOW_ID),          # C3
    _cadre("a3b", "A3", "宣传委员", "是", "是", HIGH_ID),         # C2 (onboarded first), seat
]
ID = dict(_IDS)

SEATS = {"P": 1, "A1": 2, "GA": 5, "NOPE": 3}  # P is over (2 seats); A1 exactly at its quota


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cadres") / "zhtj.duckdb"
    con = duckdb.connect(str(path))
    try:
        prepare(con)
        create_raw(con, {"orgs": ORGS, "members": MEMBERS, "cadres": CADRES})
        build(con, as_of=AS_OF, settings=Settings(seats=SEATS))
        carry_history(con, None)
        record_load(con, as_of=AS_OF, source="test", seconds=0)
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def native(db):
    """A native DuckDB connection with the file attached read-only, as the dashboard opens it."""
    con = duckdb.connect(":memory:")
    con.execute("attach ? as zhtj (read_only)", [str(db)])
    con.execute("use zhtj")
    yield con
    con.close()


@pytest.fixture(scope="module")
def conn(db):
    """A read-only SQLAlchemy connection, as `zhtj metrics` opens one."""
    with connect(db) as c:
        yield c


def records(df: pd.DataFrame) -> list[tuple]:
    return [tuple(None if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v))
                  else v for v in r) for r in df.itertuples(index=False)]


def approx(rows: list[tuple]) -> list[tuple]:
    return [tuple(pytest.approx(v) if isinstance(v, float) else v for v in r) for r in rows]


def test_the_fixture_loads_without_quarantine(native):
    """Every hand-written row loads, and the tree is numbered as the comment above says."""
    assert native.execute("select count(*) from quarantine").fetchone() == (0,)
    assert native.execute("select org_id, seq, seq_last from org_tree order by seq").fetchall() \
        == [(o, SEQ[o], LAST[o]) for o in sorted(SEQ, key=SEQ.get)]


# --- org_rollup_cadres ------------------------------------------------------------------------
OWN_COLUMNS = ("org_id, own_members_active, own_cadre_records, own_seats_used, "
               "own_seats_out_of_scope, seat_quota, is_over_quota, is_without_cadre, "
               "is_hollow_committee, is_hollow_branch")
OWN = [
    ("P", 0, 3, 2, 1, 1, True, False, False, False),
    ("W", 0, 1, 0, 0, None, False, False, False, False),
    ("C1", 3, 1, 1, 0, None, False, False, False, False),
    ("U", 0, 1, 1, 0, None, False, False, False, False),
    ("GA", 0, 2, 2, 1, 5, False, False, False, False),
    ("A1", 3, 3, 2, 1, 2, False, False, False, False),
    ("A2", 2, 3, 1, 1, None, False, False, False, True),
    ("A3", 5, 2, 1, 0, None, False, False, False, False),
    ("GB", 0, 0, 0, 0, None, False, False, False, False),
    ("B1", 0, 0, 0, 0, None, False, True, False, True),
    ("GE", 0, 0, 0, 0, None, False, False, True, False),
]


def test_org_rollup_cadres_gives_each_organization_its_own_figures(native):
    """Own figures: active members, records, seats (onboarded, in scope or not), the quota and
    whether it is exceeded (A1 uses exactly its 2), and the three kinds of emptiness."""
    got = native.execute(f"select {OWN_COLUMNS} from org_rollup_cadres order by seq").fetchall()
    assert got == OWN


SUBTREE_COLUMNS = ("org_id, orgs, branches, cadre_records, cadres_in_scope, cadres_out_of_scope, "
                   "cadres_onboarded_in_scope, branches_without_cadre, hollow_committees, "
                   "hollow_branches, seats_used, seats_out_of_scope, orgs_with_quota, "
                   "orgs_over_quota")
SUBTREE = {
    "P": ("P", 11, 5, 16, 9, 7, 6, 1, 1, 2, 10, 4, 3, 1),
    "W": ("W", 2, 1, 2, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0),
    "U": ("U", 8, 4, 11, 6, 5, 4, 1, 1, 2, 7, 3, 2, 0),
    "GA": ("GA", 4, 3, 10, 5, 5, 3, 0, 0, 1, 6, 3, 2, 0),
    "GB": ("GB", 2, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0),
    "GE": ("GE", 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0),
    "A2": ("A2", 1, 1, 3, 2, 1, 0, 0, 0, 1, 1, 1, 0, 0),
}


@pytest.mark.parametrize("org_id", list(SUBTREE))
def test_org_rollup_cadres_sums_each_subtree(native, org_id):
    got = native.execute(f"select {SUBTREE_COLUMNS} from org_rollup_cadres where org_id = ?",
                         [org_id]).fetchall()
    assert got == [SUBTREE[org_id]]


def test_org_rollup_cadres_agrees_with_org_rollup_on_the_contract_figures(native):
    """The figures `zhtj metrics` reports come out the same from both rollups."""
    cols = ("org_id, cadre_records, cadres_in_scope, cadres_out_of_scope, "
            "cadres_onboarded_in_scope, branches_without_cadre")
    assert native.execute(f"select {cols} from org_rollup_cadres order by seq").fetchall() == \
        native.execute(f"select {cols} from org_rollup order by seq").fetchall()


# --- cadres_summary ---------------------------------------------------------------------------
def test_cadres_summary_gives_the_subtree_figures_and_the_onboarding_rate(conn):
    got = records(queries.run("cadres_summary", conn, seq=SEQ["P"]))
    assert approx(got) == approx([
        (1, "P", 11, 5, 16, 9, 7, 6, 6 / 9, 1, 1, 2, 10, 4, 3, 1, 1, 2, True)])
    assert list(queries.run("cadres_summary", conn, seq=1).columns) == [
        "seq", "org_id", "orgs", "branches", "cadre_records", "cadres_in_scope",
        "cadres_out_of_scope", "cadres_onboarded_in_scope", "onboarding_rate",
        "branches_without_cadre", "hollow_committees", "hollow_branches", "seats_used",
        "seats_out_of_scope", "orgs_with_quota", "orgs_over_quota", "seat_quota",
        "own_seats_used", "is_over_quota"]


def test_cadres_summary_rate_is_null_with_nothing_in_scope(conn):
    got = queries.rows("cadres_summary", conn, seq=SEQ["GB"])
    assert (got[0]["cadres_in_scope"], got[0]["onboarding_rate"]) == (0, None)


# --- cadres_children --------------------------------------------------------------------------
def _children(c, org):
    return records(queries.run("cadres_children", c, org_id=org, seq=SEQ[org],
                               seq_last=LAST[org])[["org_id", "org_name", "cadres_in_scope",
                                                    "cadres_out_of_scope",
                                                    "cadres_onboarded_in_scope",
                                                    "onboarding_rate", "branches_without_cadre",
                                                    "hollow_committees", "hollow_branches",
                                                    "seats_used", "seats_out_of_scope"]])


def test_cadres_children_lists_the_lowest_onboarding_rate_first(conn):
    """U (4 of 6) before W (1 of 1)."""
    assert approx(_children(conn, "P")) == approx([
        ("U", "大学团委", 6, 5, 4, 4 / 6, 1, 1, 2, 7, 3),
        ("W", "园区团工委", 1, 1, 1, 1.0, 0, 0, 0, 1, 0),
    ])


def test_cadres_children_puts_children_with_nothing_in_scope_last(native):
    """GA has a rate; GB and GE have none and follow, by tree order (the short name is shown)."""
    assert approx(_children(native, "U")) == approx([
        ("GA", "A院", 5, 5, 3, 0.6, 0, 0, 1, 6, 3),
        ("GB", "B学院团总支", 0, 0, 0, None, 1, 0, 1, 0, 0),
        ("GE", "E学院团总支", 0, 0, 0, None, 0, 1, 0, 0, 0),
    ])


def test_cadres_children_orders_equal_rates_by_more_out_of_scope_first(native):
    """A1 and A3 both have 1 of 1 onboarded; A1 has 2 records out of scope, A3 one."""
    got = [r[0] for r in _children(native, "GA")]
    assert got == ["A2", "A1", "A3"]


# --- cadres_by_rule ---------------------------------------------------------------------------
def test_cadres_by_rule_counts_the_out_of_scope_records_by_rule(conn):
    got = records(queries.run("cadres_by_rule", conn, seq=1, seq_last=11))
    assert [(r[0], r[5], r[6], r[7]) for r in got] == [
        ("A2", 2, 1, 2), ("C4", 2, 1, 1), ("B2", 1, 1, 1), ("C3", 1, 0, 1), ("C5", 1, 1, 1)]
    c4 = got[1]
    assert c4[1:5] == ("团支部：书记已入驻，其他支委不应录入",
                       "Branch: the secretary is onboarded, so no other committee member",
                       "团支部仅需录入团支部书记：本支部书记已入驻，该职务不应录入",
                       "A branch enters only its secretary: this branch's secretary is onboarded, "
                       "so the position should not be entered")


def test_cadres_by_rule_stays_inside_the_subtree(native):
    got = records(queries.run("cadres_by_rule", native, seq=SEQ["W"], seq_last=LAST["W"]))
    assert [(r[0], r[5]) for r in got] == [("A2", 1)]


# --- cadre_findings and cadre_detections --------------------------------------------------------
DETECTIONS = [  # in tree order, then position order
    ("p2", "P", "其他", True, False, "A2"),
    ("w1", "W", "其他", False, False, "A2"),
    ("ga2", "GA", "工作人员", True, False, "B2"),
    ("a1o", "A1", "组织委员", False, True, "C4"),
    ("a1p", "A1", "宣传委员", True, False, "C4"),
    ("a2x", "A2", "其他", True, False, "C5"),
    ("a3a", "A3", "组织委员", False, True, "C3"),
]


def test_cadre_findings_lists_each_out_of_scope_record_in_tree_order(native):
    got = native.execute("select finding_no, name, org_id, position_label, is_onboarded, "
                         "is_operator, rule_code from cadre_findings order by finding_no"
                         ).fetchall()
    assert got == [(i, *d) for i, d in enumerate(DETECTIONS, 1)]


def _detections(c, **kw):
    params = dict(seq=1, seq_last=11, rule_code=None, name_filter=None, sort=None,
                  descending=None, limit=None, offset=0)
    params.update(kw)
    return queries.run("cadre_detections", c, **params)


def test_cadre_detections_gives_each_record_with_its_rule_explained(conn):
    df = _detections(conn, limit=2)
    assert list(df.columns) == [
        "seq", "org_id", "org_name", "parent_name", "name", "id_number", "mobile", "position",
        "position_label", "wecom_status", "is_onboarded", "is_operator", "rule_code",
        "explanation_zh", "explanation_en", "total_rows"]
    assert records(df) == [
        (1, "P", NAME["P"], None, "p2", ID["p2"], None, "other", "其他", 1, True, False, "A2",
         "领导机关团组织、团委、团工委只录入委员会成员和工作人员：其他不在录入范围，不应录入",
         "Leading bodies, committees and working committees enter only committee members and "
         "staff: the 'other' position is out of scope and should not be entered", 7),
        (2, "W", NAME["W"], NAME["P"], "w1", ID["w1"], None, "other", "其他", 4, False, False,
         "A2", "领导机关团组织、团委、团工委只录入委员会成员和工作人员：其他不在录入范围，不应录入",
         "Leading bodies, committees and working committees enter only committee members and "
         "staff: the 'other' position is out of scope and should not be entered", 7),
    ]


def test_cadre_detections_fills_the_example_sentence(native):
    df = _detections(native, rule_code="C4")
    assert records(df[["name", "explanation_zh"]]) == [
        ("a1o", "团支部仅需录入团支部书记：本支部书记已入驻，组织委员不应录入"),
        ("a1p", "团支部仅需录入团支部书记：本支部书记已入驻，宣传委员不应录入"),
    ]
    assert set(df["total_rows"]) == {2}


@pytest.mark.parametrize("kw, names", [
    ({}, [d[0] for d in DETECTIONS]),
    ({"sort": "unknown"}, [d[0] for d in DETECTIONS]),
    ({"sort": "org", "descending": True}, ["a3a", "a2x", "a1p", "a1o", "ga2", "w1", "p2"]),
    ({"sort": "onboarded"}, ["p2", "ga2", "a1p", "a2x", "w1", "a1o", "a3a"]),
    ({"sort": "rule", "descending": True}, ["a2x", "a1o", "a1p", "a3a", "ga2", "p2", "w1"]),
    ({"sort": "position"}, ["ga2", "a1o", "a3a", "a1p", "p2", "w1", "a2x"]),
    ({"sort": "parent"}, ["a1o", "a1p", "a2x", "a3a", "w1", "ga2", "p2"]),  # 共 < 大; null last
    ({"name_filter": "A学院"}, ["ga2", "a1o", "a1p", "a2x", "a3a"]),
    ({"name_filter": "园区"}, ["w1"]),
    ({"limit": 2, "offset": 2}, ["ga2", "a1o"]),
    ({"seq": SEQ["GA"], "seq_last": LAST["GA"]}, ["ga2", "a1o", "a1p", "a2x", "a3a"]),
])
def test_cadre_detections_sorts_filters_and_pages(native, kw, names):
    """Sorts from a fixed list (unknown: tree order), ties by tree order; filters on the names of
    the organization and its parent; pages after sorting."""
    df = _detections(native, **kw)
    assert list(df["name"]) == names


def test_cadre_detections_counts_all_rows_that_pass_the_filters(native):
    df = _detections(native, name_filter="A学院", limit=1)
    assert (len(df), int(df["total_rows"].iloc[0])) == (1, 5)


# --- cadre_org_gaps and cadre_empty_orgs --------------------------------------------------------
def test_cadre_org_gaps_lists_each_empty_organization_by_kind(native):
    got = native.execute("select gap_no, org_id, kind, members, parent_name from cadre_org_gaps "
                         "order by gap_no").fetchall()
    assert got == [(1, "A2", "hollow_branch", 2, NAME["GA"]),
                   (2, "B1", "no_cadre", 0, NAME["GB"]),
                   (3, "B1", "hollow_branch", 0, NAME["GB"]),
                   (4, "GE", "hollow_committee", 0, NAME["U"])]


def _empty(c, **kw):
    params = dict(seq=1, seq_last=11, kind=None, name_filter=None, sort=None, descending=None,
                  limit=None, offset=0)
    params.update(kw)
    return queries.run("cadre_empty_orgs", c, **params)


def test_cadre_empty_orgs_gives_the_organizations_and_why(conn):
    df = _empty(conn)
    assert list(df.columns) == ["seq", "org_id", "org_type", "full_name", "parent_name", "kind",
                                "members", "total_rows"]
    assert records(df) == [
        (7, "A2", 5, NAME["A2"], NAME["GA"], "hollow_branch", 2, 4),
        (10, "B1", 5, NAME["B1"], NAME["GB"], "no_cadre", 0, 4),
        (10, "B1", 5, NAME["B1"], NAME["GB"], "hollow_branch", 0, 4),
        (11, "GE", 4, NAME["GE"], NAME["U"], "hollow_committee", 0, 4),
    ]


@pytest.mark.parametrize("kw, got", [
    ({"kind": "no_cadre"}, [("B1", "no_cadre")]),
    ({"kind": "hollow_branch"}, [("A2", "hollow_branch"), ("B1", "hollow_branch")]),
    ({"sort": "kind"}, [("B1", "no_cadre"), ("GE", "hollow_committee"), ("A2", "hollow_branch"),
                        ("B1", "hollow_branch")]),
    ({"sort": "members", "descending": True}, [("A2", "hollow_branch"), ("B1", "no_cadre"),
                                               ("B1", "hollow_branch"),
                                               ("GE", "hollow_committee")]),
    ({"name_filter": "B学院"}, [("B1", "no_cadre"), ("B1", "hollow_branch")]),
    ({"seq": SEQ["GA"], "seq_last": LAST["GA"]}, [("A2", "hollow_branch")]),
    ({"limit": 1, "offset": 3}, [("GE", "hollow_committee")]),
])
def test_cadre_empty_orgs_sorts_filters_and_pages(native, kw, got):
    assert records(_empty(native, **kw)[["org_id", "kind"]]) == got


# --- cadre_seats ------------------------------------------------------------------------------
def test_cadre_seats_lists_organizations_with_a_quota_over_quota_first(conn):
    df = queries.run("cadre_seats", conn, seq=1, seq_last=11)
    assert list(df.columns) == ["seq", "org_id", "org_name", "seat_quota", "seats_used",
                                "seats_out_of_scope", "seats_over", "is_over_quota",
                                "seats_used_subtree"]
    assert records(df) == [
        (1, "P", NAME["P"], 1, 2, 1, 1, True, 10),
        (5, "GA", NAME["GA"], 5, 2, 1, 0, False, 6),
        (6, "A1", NAME["A1"], 2, 2, 1, 0, False, 2),
    ]


def test_cadre_seats_stays_inside_the_subtree(native):
    assert list(queries.run("cadre_seats", native, seq=SEQ["GA"],
                            seq_last=LAST["GA"])["org_id"]) == ["GA", "A1"]


# --- cadre_followup_items and cadre_followup ----------------------------------------------------
# (org, contact, is_parent_contact, item kind, person, rule)
FOLLOWUP = [
    ("P", "p1", False, "remove_out_of_scope", "p2", "A2"),
    ("P", "p1", False, "onboard_in_scope", "p3", "A1"),
    ("P", "p1", False, "over_quota", None, None),
    ("W", "p1", True, "remove_out_of_scope", "w1", "A2"),   # W has no operator or 书记: P's
    ("GA", "ga1", False, "remove_out_of_scope", "ga2", "B2"),
    ("A1", "a1o", False, "remove_out_of_scope", "a1o", "C4"),  # the operator, though out
    ("A1", "a1o", False, "remove_out_of_scope", "a1p", "C4"),
    ("A2", "a2d", False, "remove_out_of_scope", "a2x", "C5"),
    ("A2", "a2d", False, "onboard_in_scope", "a2s", "C1"),
    ("A2", "a2d", False, "onboard_in_scope", "a2d", "C2"),
    ("A3", "a3b", False, "remove_out_of_scope", "a3a", "C3"),  # the in-scope operator
    ("B1", None, False, "add_cadre", None, None),           # neither B1 nor GB has a contact
]


def test_cadre_followup_items_lists_what_each_organization_must_fix(native):
    got = native.execute("select item_no, org_id, contact_name, is_parent_contact, item_kind, "
                         "name, rule_code from cadre_followup_items order by item_no").fetchall()
    assert got == [(i, *f) for i, f in enumerate(FOLLOWUP, 1)]


def _followup(c, **kw):
    params = dict(seq=1, seq_last=11, item_kind=None, name_filter=None, sort=None,
                  descending=None, limit=None, offset=0)
    params.update(kw)
    return queries.run("cadre_followup", c, **params)


def test_cadre_followup_gives_whole_rows_for_the_download(conn):
    df = _followup(conn)
    assert list(df.columns) == [
        "seq", "org_id", "org_name", "parent_name", "contact_name", "contact_mobile",
        "contact_position", "is_parent_contact", "item_kind", "action_zh", "action_en", "name",
        "id_number", "mobile", "position", "position_label", "wecom_status", "is_onboarded",
        "rule_code", "explanation_zh", "explanation_en", "seat_quota", "seats_used",
        "seats_out_of_scope", "total_rows"]
    got = records(df)
    assert len(got) == len(FOLLOWUP) and {r[-1] for r in got} == {len(FOLLOWUP)}
    by_key = {(r[1], r[8], r[11]): r for r in got}
    assert by_key[("P", "over_quota", None)][2:-1] == (
        NAME["P"], None, "p1", "13800000001", "secretary", False, "over_quota",
        "将入驻企业号的人数减至席位数以内", "Bring the onboarded records within the seat quota",
        None, None, None, None, None, None, None, None,
        "企业号席位1个，本组织已入驻2人（其中1人不在录入范围）",
        "Seat quota 1: 2 of this organization's records are onboarded (1 of them out of scope)",
        1, 2, 1)
    assert by_key[("A1", "remove_out_of_scope", "a1p")][2:-1] == (
        NAME["A1"], NAME["GA"], "a1o", "13800000002", "organization", False,
        "remove_out_of_scope", "删除该团干部记录", "Remove this cadre record", "a1p", ID["a1p"],
        None, "publicity", "宣传委员", 1, True, "C4",
        "团支部仅需录入团支部书记：本支部书记已入驻，宣传委员不应录入",
        "A branch enters only its secretary: this branch's secretary is onboarded, so the "
        "publicity officer should not be entered", None, None, None)
    assert by_key[("A2", "onboard_in_scope", "a2d")][8:21] == (
        "onboard_in_scope", "请该团干部入驻企业号", "Get this cadre onboarded to the mobile app",
        "a2d", ID["a2d"], None, "deputy", "副书记", 4, False, "C2",
        "智能手机例外：本支部书记未入驻企业号，副书记作为本支部运营者可录入（每个团支部限一人）",
        "Smartphone exception: the branch secretary is not onboarded, so the deputy secretary, "
        "who operates the branch, may be entered (one per branch)")
    assert by_key[("B1", "add_cadre", None)][8:] == (
        "add_cadre", "录入团支部书记", "Enter the branch secretary", None, None, None, None, None,
        None, None, None, "无团干团支部：本支部没有任何团干部记录",
        "Branch without a cadre: this branch has no cadre record at all", None, None, None, 12)


@pytest.mark.parametrize("kw, got", [
    ({"item_kind": "onboard_in_scope"}, [("P", "p3"), ("A2", "a2s"), ("A2", "a2d")]),
    ({"item_kind": "over_quota"}, [("P", None)]),
    ({"name_filter": "A学院"}, [("GA", "ga2"), ("A1", "a1o"), ("A1", "a1p"), ("A2", "a2x"),
                               ("A2", "a2s"), ("A2", "a2d"), ("A3", "a3a")]),
    ({"sort": "kind", "limit": 4}, [("P", "p2"), ("W", "w1"), ("GA", "ga2"), ("A1", "a1o")]),
    ({"sort": "kind", "descending": True, "limit": 3}, [("P", None), ("B1", None), ("P", "p3")]),
    ({"sort": "name", "limit": 3}, [("A1", "a1o"), ("A1", "a1p"), ("A2", "a2x")]),
    ({"sort": "org", "descending": True, "limit": 2}, [("B1", None), ("A3", "a3a")]),
    ({"limit": 2, "offset": 10}, [("A3", "a3a"), ("B1", None)]),
    ({"seq": SEQ["W"], "seq_last": LAST["W"]}, [("W", "w1")]),
])
def test_cadre_followup_sorts_filters_and_pages(native, kw, got):
    assert records(_followup(native, **kw)[["org_id", "name"]]) == got


# --- cadre_settings ---------------------------------------------------------------------------
def test_cadre_settings_shows_the_applied_settings_and_warnings(conn):
    """The quota for NOPE names no loaded organization: counted apart and warned about."""
    got = queries.rows("cadre_settings", conn)
    assert got == [{
        "settings_file": None, "branch_extra_positions": [], "branch_extra_labels": [],
        "seat_quotas": 3, "seat_quotas_unknown": 1,
        "warnings": ["组织不存在，该席位设置未使用 / organization not found; the quota is not used "
                     "(seats.NOPE)"]}]
