"""Dues: the standard's mapping (dues_standard, dues_mismatches, the data-quality check), the
arrears runs and amounts (member_arrears), and the dues page's reports on hand-written rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import duckdb
import pytest

import queries
from etl.load import build, prepare
from etl.settings import read_settings
from tests.queries import province
from tests.queries.conftest import create_raw, make_id, rows, run_pipeline
from tests.queries.province import M


def month(m: int, year: int = 2024) -> dt.date:
    return dt.date(year, m, 1)


# --- the standard ---------------------------------------------------------------------------

P = {k: make_id("20000101", i) for i, k in enumerate(
    ("s1", "s2", "s3", "f1", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "p1", "p2", "x1"), start=1)}
RECORDS = {  # member -> (政治面貌, 职业, 收入)
    "s1": (None, "学生", None), "s2": (None, "学生", None), "s3": ("共青团员", "学生", None),
    "f1": (None, "农民", "5000-8000元"),          # a farmer pays the farmer's rate whatever the income
    "e1": (None, "国有企业职工", "2000元以下"), "e2": (None, "非公企业职工", "2000-5000元"),
    "e3": (None, "机关事业单位职工", "5000-8000元"), "e4": (None, "社会组织员工", "8000-10000元"),
    "e5": (None, "自由职业者", "10000元以上"), "e6": (None, "其他", "10000元以上"),
    "e7": (None, "国有企业职工", None),            # employed, no income recorded: no standard
    "p1": ("中共党员", "学生", None), "p2": ("中共预备党员", "国有企业职工", "5000-8000元"),
    "x1": (None, None, "2000-5000元"),              # no occupation: employed by income band
}
BILLS = [  # (member, month, amount billed)
    ("s1", 6, "0.20"), ("s1", 7, "0.20"),       # July: the standard became 0.30
    ("s2", 6, "0.50"),                           # billed as a farmer
    ("s3", 6, "0.30"), ("s3", 7, "0.30"),       # June: a month too early for 0.30
    ("f1", 6, "0.50"),
    ("e1", 6, "3"), ("e2", 6, "5.00"),
    ("e3", 6, "0.20"), ("e3", 7, "12"),         # June: billed as a student; July: the new 12
    ("e4", 6, "15"), ("e5", 6, "20"),
    ("e6", 6, "20.01"), ("e6", 7, "20.01"),     # a cent over the cap: matches no category
    ("e7", 6, "3"), ("e7", 7, "99"),            # never compared
    ("p1", 6, "0"),                              # voluntary: nothing due is right
    ("p2", 6, "0.20"), ("p2", 7, "0.20"),       # a Party member billed as a student
    ("x1", 6, "5"),
]
# (member, month) -> (billed, expected, expected band, billed as)
MISMATCHES = {
    ("s1", 7): (D("0.20"), D("0.30"), "student", None),
    ("s2", 6): (D("0.50"), D("0.20"), "student", "farmer"),
    ("s3", 6): (D("0.30"), D("0.20"), "student", None),
    ("e3", 6): (D("0.20"), D("10.00"), "income_5000_8000", "student"),
    ("e6", 6): (D("20.01"), D("20.00"), "income_over_10000", None),
    ("e6", 7): (D("20.01"), D("20.00"), "income_over_10000", None),
    ("p2", 6): (D("0.20"), D("0.00"), "party", "student"),
    ("p2", 7): (D("0.20"), D("0.00"), "party", None),
}
SETTINGS = """
[[dues_standard]]
from = "2016-01"

[[dues_standard]]
from = "2024-07"
student = 0.30
income_5000_8000 = 12
"""


@pytest.fixture(scope="module")
def standard_con(tmp_path_factory):
    path = tmp_path_factory.mktemp("settings") / "settings.toml"
    path.write_text(SETTINGS, encoding="utf-8")
    data = {
        "orgs": [{"org_id": "R", "org_type": "团委", "full_name": "某团委"},
                 {"org_id": "B", "parent_org_id": "R", "org_type": "团支部", "full_name": "甲团支部"}],
        "members": [{"name": k, "id_number": P[k], "branch": "甲团支部",
                     "registration_status": "审核通过", "political_status": ps,
                     "occupation": occ, "income_band": inc}
                    for k, (ps, occ, inc) in RECORDS.items()],
        "dues": [{"month": f"2024-{m:02d}", "name": k, "id_number": P[k], "branch": "甲团支部",
                  "amount_due": amount, "paid_status": "已交"} for k, m, amount in BILLS],
    }
    con = duckdb.connect()
    prepare(con)
    create_raw(con, data)
    build(con, as_of=dt.datetime(2024, 7, 20), settings=read_settings(path))
    return con


def _member(con, key: int) -> str:
    return rows(con, "select name from stg_members where member_key = ?", [key])[0][0]


def test_dues_standard_lists_each_version_with_its_months(standard_con):
    """The first version applies to everything before the second; a version lists what changed
    and carries the rest over."""
    got = rows(standard_con, "select version_month, applies_from, applies_until, band_key, "
                             "amount_yuan from dues_standard order by version_month, band_no")
    v1, v2, first = month(1, 2016), month(7), dt.date(1900, 1, 1)
    amounts1 = [D("0.20"), D("0.50"), D("3"), D("5"), D("10"), D("15"), D("20"), D("0")]
    amounts2 = [D("0.30"), D("0.50"), D("3"), D("5"), D("12"), D("15"), D("20"), D("0")]
    keys = ["student", "farmer", "income_under_2000", "income_2000_5000", "income_5000_8000",
            "income_8000_10000", "income_over_10000", "party"]
    assert got == ([(v1, first, v2, k, a) for k, a in zip(keys, amounts1)]
                   + [(v2, v2, None, k, a) for k, a in zip(keys, amounts2)])


@pytest.mark.parametrize("member, m", [(k, m) for k, m, _ in BILLS])
def test_dues_mismatches_compares_each_bill_with_the_standard_of_its_month(standard_con,
                                                                            member, m):
    """Each band at its amount passes; students, farmers and Party members by category; a
    change of standard in July applies from July; no income recorded means no comparison."""
    got = rows(standard_con, "select x.amount_due_yuan, x.expected_yuan, x.expected_band_key, "
                             "x.billed_as_band_key from dues_mismatches x "
                             "join stg_members m using (member_key) "
                             "where m.id_number = ? and x.dues_month = ?", [P[member], month(m)])
    expected = MISMATCHES.get((member, m))
    assert got == ([expected] if expected else [])


def test_org_rollup_dues_counts_the_mismatched_lines(standard_con):
    got = rows(standard_con, "select org_id, dues_month, mismatched_lines from org_rollup_dues "
                             "order by seq, dues_month")
    assert got == [("R", month(6), 5), ("R", month(7), 3), ("B", month(6), 5), ("B", month(7), 3)]


def test_the_quality_check_flags_members_billed_off_standard_in_the_latest_month(standard_con):
    """member_checks: 'dues_standard_mismatch' for July's mismatches only (June's are past)."""
    got = rows(standard_con, "select name, detail from member_checks "
                             "where check_code = 'dues_standard_mismatch' order by name")
    assert got == [("e6", "2024-07: 20.01 ≠ 20.00"), ("p2", "2024-07: 0.20 ≠ 0.00"),
                   ("s1", "2024-07: 0.20 ≠ 0.30")]
    got = rows(standard_con, "select org_id, dues_standard_mismatch from org_rollup_quality "
                             "order by seq")
    assert got == [("R", 3), ("B", 3)]


def test_dues_mismatch_lines_names_both_categories(standard_con):
    """The list's row says what was billed and what the record says it should be."""
    df = queries.run("dues_mismatch_lines", standard_con, seq=1, seq_last=2, month=month(6),
                     name_filter=None, limit=10, offset=0)
    got = {(r.name, r.billed_as_zh if isinstance(r.billed_as_zh, str) else None, r.expected_zh,
            r.total_rows) for r in df.itertuples()}
    assert ("e3", "学生", "在职·月收入5000–8000元", 5) in got
    assert ("p2", "学生", "党员（自愿交纳）", 5) in got
    assert ("e6", None, "在职·月收入10000元以上", 5) in got
    assert len(df) == 5
    one = queries.run("dues_mismatch_lines", standard_con, seq=1, seq_last=2, month=month(6),
                      name_filter="e3", limit=10, offset=0)
    assert list(one["name"]) == ["e3"] and int(one["total_rows"].iloc[0]) == 1


def test_dues_standard_table_is_what_the_page_shows(standard_con):
    df = queries.run("dues_standard_table", standard_con)
    assert len(df) == 16
    assert list(df["label_zh"][:2]) == ["学生", "农民"]


# --- arrears --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def con():
    return run_pipeline(province.DATA)


RUN_YUAN = {  # member -> unpaid_run_yuan of each unpaid line (see test_marts_rollups ARREARS)
    "m1": [D("0.20") * n for n in range(1, 8)],
    "m2": [D("0.20"), D("0.40"), D("0.60"), D("0.20"), D("0.40"), D("0.60")],
    "m6": [D("3.00"), D("6.00"), D("3.00"), D("6.00"), D("9.00"), D("12.00")],
    "m9": [D("5.00") * n for n in range(1, 7)],  # the run follows the member to the new branch
}


@pytest.mark.parametrize("member", list(RUN_YUAN))
def test_member_arrears_sums_the_amount_due_over_the_run(con, member):
    got = rows(con, "select a.unpaid_run_yuan from member_arrears a "
                    "join stg_members m using (member_key) where m.id_number = ? "
                    "order by a.dues_month", [M[member]])
    assert [g[0] for g in got] == RUN_YUAN[member]


# --- the page's reports on the province -----------------------------------------------------

def _scope(con, org_id):
    seq, seq_last = rows(con, "select seq, seq_last from org_tree where org_id = ?", [org_id])[0]
    return {"org_id": org_id, "seq": seq, "seq_last": seq_last}


def test_dues_months_list_is_latest_first(con):
    got = [r["dues_month"] for r in queries.rows("dues_months_list", con)]
    assert got == [month(m) for m in range(9, 2, -1)]


def test_dues_summary_has_the_month_the_month_before_and_the_range(con):
    """P in September: 1 of 5 billed paid; August the same; March-September 3 of 28."""
    s = queries.rows("dues_summary", con, seq=_scope(con, "P")["seq"], month=month(9),
                     since=month(3))[0]
    assert (s["billed_members"], s["paid_members"], s["compliance"]) == (5, 1, 0.2)
    assert (s["amount_due_yuan"], s["amount_paid_yuan"], s["voluntary_yuan"],
            s["voluntary_members"]) == (D("11.40"), D("3.00"), D("2.00"), 1)
    assert (s["arrears_1_members"], s["arrears_2_3_members"], s["arrears_4_5_members"],
            s["arrears_6plus_members"]) == (1, 1, 1, 2)
    assert (s["prev_compliance"], s["prev_arrears_6plus_members"]) == (0.2, 1)
    assert (s["range_billed"], s["range_paid"]) == (28, 3)
    assert s["range_compliance"] == pytest.approx(3 / 28)


def test_dues_summary_of_a_month_without_bills_is_empty_but_present(con):
    s = queries.rows("dues_summary", con, seq=_scope(con, "X")["seq"], month=month(8),
                     since=month(8))[0]
    assert s["billed_members"] is None and s["range_billed"] is None


def test_dues_children_are_worst_first_with_change_and_range(con):
    df = queries.run("dues_children", con, **_scope(con, "P"), month=month(9), since=month(3))
    got = [(r.org_id, r.billed_members, r.paid_members, r.compliance, r.prev_compliance,
            r.compliance_change, round(r.range_compliance, 4), r.arrears_4_5_members,
            r.arrears_6plus_members) for r in df.itertuples()]
    assert got == [("W", 1, 0, 0.0, 0.0, 0.0, 0.0, 0, 1),
                   ("U", 4, 1, 0.25, 0.25, 0.0, round(3 / 25, 4), 1, 1)]


def test_dues_heatmap_has_a_cell_per_child_and_month_worst_child_first(con):
    df = queries.run("dues_heatmap", con, **_scope(con, "P"), month=month(9), since=month(7))
    got = [(r.org_id, r.child_rank, r.dues_month.date(), r.billed_members, r.paid_members)
           for r in df.itertuples()]
    assert got == [("W", 1, month(7), 1, 0), ("W", 1, month(8), 1, 0), ("W", 1, month(9), 1, 0),
                   ("U", 2, month(7), 3, 0), ("U", 2, month(8), 4, 1), ("U", 2, month(9), 4, 1)]


def test_dues_trend_is_the_subtree_month_by_month(con):
    df = queries.run("dues_trend", con, seq=_scope(con, "P")["seq"], month=month(9),
                     since=month(6))
    assert [(r.dues_month.date(), r.billed_members, r.paid_members)
            for r in df.itertuples()] == [
        (month(6), 4, 1), (month(7), 4, 0), (month(8), 5, 1), (month(9), 5, 1)]


ARREARS_ARGS = dict(min_months=None, name_filter=None, filter_on=None, sort=None, descending=None,
                    limit=100, offset=0)


def _arrears(con, org_id="P", **changes):
    args = {**ARREARS_ARGS, **changes}
    scope = _scope(con, org_id)
    return queries.run("dues_arrears", con, seq=scope["seq"], seq_last=scope["seq_last"],
                       month=month(9), **args)


def test_dues_arrears_lists_who_to_chase_longest_run_first(con):
    df = _arrears(con)
    got = [(r.name, r.branch_name, r.unpaid_months, r.unpaid_run_yuan, r.is_lapsing,
            r.is_near_lapsing) for r in df.itertuples()]
    assert got == [("m1", "计算机学院2024级1班团支部", 7, 1.40, True, False),
                   ("m9", "某公司团支部", 6, 30.00, True, False),
                   ("m6", "计算机学院2024级2班团支部", 4, 12.00, False, True),
                   ("m2", "计算机学院2024级1班团支部", 3, 0.60, False, False),
                   ("m5", "计算机学院2024级1班团支部", 1, 0.00, False, False)]
    assert set(df["total_rows"]) == {5}
    assert "id_number" not in df.columns  # a branch chases by name and mobile


@pytest.mark.parametrize("changes, names, total", [
    ({"sort": "amount"}, ["m9", "m6", "m1", "m2", "m5"], 5),
    ({"sort": "amount", "descending": False}, ["m5", "m2", "m1", "m6", "m9"], 5),
    ({"sort": "branch", "descending": False}, ["m1", "m2", "m5", "m6", "m9"], 5),
    ({"min_months": 6}, ["m1", "m9"], 2),
    ({"name_filter": "m9"}, ["m9"], 1),
    ({"name_filter": "2024级2班"}, ["m6"], 1),       # a branch's name
    ({"limit": 2, "offset": 2}, ["m6", "m2"], 5),
])
def test_dues_arrears_sorts_filters_and_pages(con, changes, names, total):
    df = _arrears(con, **changes)
    assert list(df["name"]) == names
    assert set(df["total_rows"]) == {total}


def test_dues_arrears_of_a_branch_is_only_its_members(con):
    assert list(_arrears(con, "B31")["name"]) == ["m9"]
    assert _arrears(con, "G2").empty  # m9 left B21 in July


BRANCH_ARGS = dict(name_filter=None, sort=None, descending=None, limit=100, offset=0)


@pytest.mark.parametrize("changes, branches", [
    ({}, ["B11", "B31", "B12"]),                          # lowest compliance first, then seq
    ({"sort": "unpaid"}, ["B11", "B12", "B31"]),
    ({"sort": "lapsing", "descending": False}, ["B12", "B11", "B31"]),
    ({"name_filter": "计算机"}, ["B11", "B12"]),             # the parent's name
    ({"limit": 1, "offset": 1}, ["B31"]),
])
def test_dues_branches_summarises_each_branch(con, changes, branches):
    df = queries.run("dues_branches", con, **{k: v for k, v in _scope(con, "P").items()
                                               if k != "org_id"},
                     month=month(9), **{**BRANCH_ARGS, **changes})
    assert list(df["org_id"]) == branches


def test_dues_branches_figures_and_contact(con):
    scope = _scope(con, "P")
    df = queries.run("dues_branches", con, seq=scope["seq"], seq_last=scope["seq_last"],
                     month=month(9), **BRANCH_ARGS)
    b11 = df[df["org_id"] == "B11"].iloc[0]
    assert (b11["billed_members"], b11["paid_members"], b11["compliance"], b11["unpaid_members"],
            b11["arrears_6plus_members"], b11["operator_name"], int(b11["total_rows"])) == (
        2, 0, 0.0, 2, 1, "c6", 3)


def test_dues_branch_months_has_each_branch_month_with_bills(con):
    """Branches only (not their parents), month first; compliance and unpaid per branch."""
    got = rows(con, "select dues_month, org_id, billed_members, paid_members, compliance, "
                    "unpaid_members from dues_branch_months where dues_month >= ? "
                    "order by dues_month, seq", [month(9)])
    assert got == [(month(9), "XB", 1, 1, 1.0, 0), (month(9), "B11", 2, 0, 0.0, 2),
                   (month(9), "B12", 2, 1, 0.5, 1), (month(9), "B31", 1, 0, 0.0, 1)]


def test_dues_child_months_groups_each_organizations_children(con):
    """Each organization's months under its parent's seq; the roots have no row."""
    p_seq = _scope(con, "P")["seq"]
    got = rows(con, "select org_id, org_name, dues_month, billed_members from dues_child_months "
                    "where parent_seq = ? and dues_month = ? order by seq", [p_seq, month(9)])
    assert got == [("U", "共青团某大学委员会", month(9), 4), ("W", "共青团某工业园区工作委员会", month(9), 1)]
    assert rows(con, "select count(*) from dues_child_months where org_id in ('P', 'X')") == [(0,)]


@pytest.mark.parametrize("text, filter_on, names", [
    ("m", None, ["m1", "m9", "m6", "m2", "m5"]),   # every member's name has an m
    ("m", "branch", []),                            # no branch's name has
    ("某公司", "branch", ["m9"]),
    ("某公司", "name", []),
    ("m6", "name", ["m6"]),
])
def test_dues_arrears_filters_the_column_the_text_was_typed_in(con, text, filter_on, names):
    """A filter typed in the branch column tests branch names only, in the name column names."""
    df = _arrears(con, name_filter=text, filter_on=filter_on)
    assert list(df["name"]) == names
