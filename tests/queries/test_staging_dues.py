"""checked_dues and stg_dues: the month, the member behind each bill line, amounts, duplicates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.queries.conftest import StagedBase, make_id, outcomes, rows, staged_once

ORGS = [
    {"org_id": "P", "org_type": "领导机关团组织", "full_name": "共青团某省委员会"},
    {"org_id": "U", "parent_org_id": "P", "org_type": "团委", "full_name": "某大学团委"},
    {"org_id": "B1", "parent_org_id": "U", "org_type": "团支部", "full_name": "一班团支部"},
    {"org_id": "B2", "parent_org_id": "U", "org_type": "团支部", "full_name": "二班团支部"},
    {"org_id": "B3", "parent_org_id": "U", "org_type": "团支部", "full_name": "三班团支部"},
    {"org_id": "S1", "parent_org_id": "U", "org_type": "团支部", "full_name": "同名团支部"},
    {"org_id": "S2", "parent_org_id": "P", "org_type": "团支部", "full_name": "同名团支部"},
]
ZHANG, LI, WANG_A, WANG_B, ZHAO = (make_id("20040404", s) for s in (1, 2, 3, 4, 5))


def member(name, number, branch, mobile, **more):
    return {"name": name, "id_number": number, "branch": branch, "mobile": mobile,
            "registration_status": "审核通过", **more}


MEMBERS = [
    member("张三", ZHANG, "B1", "13800000001"),
    member("李四", LI, "B2", "13800000002", membership_status="自行脱团"),
    member("王五", WANG_A, "B1", "13800000003"),
    member("王五", WANG_B, "B1", "13800000003"),
    member("赵六", ZHAO, "B1", "13800000005"),
]
LINE = {"month": "2024-09", "name": "张三", "branch": "一班团支部", "amount_due": "0.2",
        "paid_status": "已交", "id_number": ZHANG}
BY_NAME = {**LINE, "id_number": None, "mobile": "13800000001"}
DUES_FILE = 5  # the harness's default file for dues rows: /data/dues_5.xlsx


@pytest.fixture(scope="module")
def base():
    base = StagedBase({"orgs": ORGS, "members": MEMBERS})
    yield base
    base.close()


@pytest.fixture
def staged(base):
    """staged(dues rows, titles=None): the connection with those lines staged on MEMBERS."""
    with base.staging() as run:
        yield lambda dues, titles=None: run({"dues": dues}, "dues", titles)


def lines(con) -> list[tuple]:
    """(row_no, disposition, member's ID number, month, billing branch, current branch, amount
    due, paid, voluntary amount) of every bill line, in file order."""
    return rows(con, """
        select d.row_no, d.disposition, m.id_number, d.dues_month, b.org_id, cb.org_id,
               d.amount_due_yuan, d.is_paid, d.voluntary_yuan
        from checked_dues d
        left join stg_members m on m.member_key = d.member_key
        left join org_tree b on b.seq = d.branch_seq
        left join org_tree cb on cb.seq = d.current_branch_seq
        order by d.file_id, d.row_no""")


SEPT = dt.date(2024, 9, 1)


def loaded(number=ZHANG, month=SEPT, branch="B1", current=None, amount="0.20", paid=True,
           voluntary="0", row_no=2):
    return (row_no, "loaded", number, month, branch, current, Decimal(amount), paid,
            Decimal(voluntary))


@pytest.mark.parametrize("line, titles, expected", [
    pytest.param(LINE, None, loaded(), id="month-column"),
    pytest.param(dict(LINE, month="2024年9月"), None, loaded(), id="month-column-chinese"),
    pytest.param(dict(LINE, month="202409"), None, loaded(), id="month-column-digits"),
    pytest.param(dict(LINE, month="2024.09"), None, loaded(), id="month-column-dotted"),
    pytest.param(dict(LINE, month="2024-09-30"), None, loaded(), id="month-column-full-date"),
    pytest.param(dict(LINE, month=None), {DUES_FILE: "2024年09月团费交纳明细"}, loaded(),
                 id="month-from-title-row"),
    pytest.param(dict(LINE, month="2024-08"), {DUES_FILE: "2024年09月团费交纳明细"},
                 loaded(month=dt.date(2024, 8, 1)), id="month-column-wins-over-title"),
])
def test_the_month_comes_from_the_column_else_the_title_row(staged, line, titles, expected):
    """月份 when present (any month form), else the month named in the file's title row."""
    assert lines(staged([line], titles)) == [expected]


@pytest.mark.parametrize("line, expected", [
    pytest.param(LINE, loaded(), id="by-id-number"),
    pytest.param(dict(LINE, id_number=f" {ZHANG[:10]} {ZHANG[10:].lower()}"), loaded(),
                 id="by-id-number-written-loosely"),
    pytest.param(dict(LINE, name="李四", branch="二班团支部", id_number=LI),
                 loaded(number=LI, branch="B2"), id="by-id-number-any-membership-status"),
    pytest.param(dict(LINE, name="张叁", branch="二班团支部"), loaded(branch="B2"),
                 id="by-id-number-whatever-name-and-branch"),
    pytest.param(BY_NAME, loaded(), id="by-name-and-mobile-in-billing-branch"),
    pytest.param(dict(BY_NAME, branch="二班团支部", current_branch="一班团支部"),
                 loaded(branch="B2", current="B1"), id="by-name-and-mobile-in-current-branch"),
    pytest.param(dict(BY_NAME, branch="B2", current_branch="B1"),
                 loaded(branch="B2", current="B1"), id="branches-by-org-id"),
    pytest.param(dict(LINE, amount_due="1,000.5", paid_status="未交", voluntary_amount="5元"),
                 loaded(amount="1000.50", paid=False, voluntary="5.00"), id="amounts-and-unpaid"),
    pytest.param(dict(LINE, amount_due="0", paid_status="0"),
                 loaded(amount="0.00", paid=False), id="zero-due-and-status-code"),
])
def test_a_bill_line_is_tied_to_its_member_and_billing_branch(staged, line, expected):
    """Member by ID, else by name + mobile in the billing or current branch; counts for billing."""
    assert lines(staged([line])) == [expected]


NOT_FOUND = ("组织不存在", "organization not found")
NO_NAME_MATCH = ("在该团支部找不到同名同手机号的团员", "no member of this branch has this name and mobile")

# (line, title row of its file, problem)
BAD = [
    pytest.param(dict(LINE, month="2024-13"), None,
                 ("月份", "2024-13", "月份无效", "invalid month"), id="invalid-month"),
    pytest.param(dict(LINE, month=None), "团费交纳明细",
                 ("月份", "团费交纳明细", "缺少月份（既无“月份”列，标题行也未写明月份）",
                  "no month: neither a 月份 column nor a month in a title row"),
                 id="no-month-title-without-month"),
    pytest.param(dict(LINE, month=None), None,
                 ("月份", None, "缺少月份（既无“月份”列，标题行也未写明月份）",
                  "no month: neither a 月份 column nor a month in a title row"),
                 id="no-month-no-title"),
    pytest.param(dict(LINE, id_number=make_id("20040404", 9)), None,
                 ("身份证号码", make_id("20040404", 9), "找不到该身份证号码的团员",
                  "no member has this ID number"), id="id-number-of-no-member"),
    pytest.param(dict(BY_NAME, mobile="13900000000"), None,
                 ("团员姓名", "张三", *NO_NAME_MATCH), id="name-with-other-mobile"),
    pytest.param(dict(BY_NAME, branch="二班团支部"), None,
                 ("团员姓名", "张三", *NO_NAME_MATCH), id="name-in-another-branch"),
    pytest.param(dict(BY_NAME, branch="二班团支部", current_branch="三班团支部"), None,
                 ("团员姓名", "张三", *NO_NAME_MATCH), id="name-in-neither-branch"),
    pytest.param(dict(BY_NAME, name="王五", mobile="13800000003"), None,
                 ("团员姓名", "王五", "匹配到2名团员，无法确定", "matches 2 members"),
                 id="two-members-match"),
    pytest.param(dict(BY_NAME, mobile=None), None,
                 ("身份证号码", None, "无身份证号码和手机号码，无法确定团员",
                  "no ID number and no mobile: cannot identify the member"), id="no-id-no-mobile"),
    pytest.param(dict(LINE, branch="某大学团委"), None,
                 ("所在团支部", "某大学团委", "不是团支部", "not a branch (团支部)"),
                 id="billing-org-not-a-branch"),
    pytest.param(dict(LINE, branch="四班团支部"), None,
                 ("所在团支部", "四班团支部", *NOT_FOUND), id="unknown-billing-branch"),
    pytest.param(dict(LINE, branch="同名团支部"), None,
                 ("所在团支部", "同名团支部", "组织名称不唯一（2个组织同名）",
                  "organization name is ambiguous (2 organizations share it)"),
                 id="ambiguous-billing-branch"),
    pytest.param(dict(LINE, branch=None), None,
                 ("所在团支部", None, "缺少所在团支部", "missing 所在团支部"), id="missing-branch"),
    pytest.param(dict(LINE, amount_due="-0.2"), None,
                 ("当月应交金额（元）", "-0.2", "当月应交金额为负数", "negative amount due"),
                 id="negative-amount"),
    pytest.param(dict(LINE, amount_due="两毛"), None,
                 ("当月应交金额（元）", "两毛", "当月应交金额不是数字", "amount due is not a number"),
                 id="amount-not-a-number"),
    pytest.param(dict(LINE, amount_due=None), None,
                 ("当月应交金额（元）", None, "缺少当月应交金额", "missing amount due"),
                 id="missing-amount"),
    pytest.param(dict(LINE, voluntary_amount="-1"), None,
                 ("自愿交费金额（元）", "-1", "自愿交费金额为负数", "negative voluntary amount"),
                 id="negative-voluntary-amount"),
    pytest.param(dict(LINE, voluntary_amount="随意"), None,
                 ("自愿交费金额（元）", "随意", "自愿交费金额不是数字", "voluntary amount is not a number"),
                 id="voluntary-not-a-number"),
    pytest.param(dict(LINE, paid_status="部分交纳"), None,
                 ("当月交纳状态", "部分交纳", "未知的当月交纳状态：部分交纳", "unknown value in 当月交纳状态"),
                 id="unknown-paid-status"),
    pytest.param(dict(LINE, paid_status=None), None,
                 ("当月交纳状态", None, "缺少当月交纳状态", "missing payment status"),
                 id="missing-paid-status"),
    pytest.param(dict(LINE, name=None), None,
                 ("团员姓名", None, "缺少团员姓名", "missing member name (团员姓名)"), id="missing-name"),
    pytest.param(dict(LINE, name="张" * 501), None,
                 ("团员姓名", "张" * 200, "值过长（超过500字）", "value too long (over 500 characters)"),
                 id="value-over-500-characters"),
]


@pytest.fixture(scope="module")
def bad_lines():
    """Every case of BAD staged at once, each line in a file of its own (file 10, 11, ...)."""
    dues = [dict(p.values[0], file_id=10 + i, row_no=2) for i, p in enumerate(BAD)]
    titles = {10 + i: p.values[1] for i, p in enumerate(BAD) if p.values[1]}
    return staged_once({"orgs": ORGS, "members": MEMBERS, "dues": dues}, "dues", titles)


@pytest.mark.parametrize("file_id, problem",
                         [pytest.param(10 + i, p.values[2], id=p.id) for i, p in enumerate(BAD)])
def test_a_bill_line_with_a_bad_value_or_no_single_member_is_quarantined(bad_lines, file_id,
                                                                        problem):
    """Bad month, branch, amount or status, or a member found zero or two times: quarantined."""
    assert rows(bad_lines, "select row_no, disposition, problem.column_name, problem.value, "
                           "problem.reason_zh, problem.reason_en from checked_dues "
                           "where file_id = ?", [file_id]) == [(2, "invalid", *problem)]


def test_no_bill_line_with_a_bad_value_is_loaded(bad_lines):
    """Not one of the bad lines reaches stg_dues."""
    assert rows(bad_lines, "select count(*) from stg_dues") == [(0,)]


def duplicate_of(row_no):
    return ("duplicate", "月份", "2024-09", f"同一团员同月有多条团费记录，保留dues_5.xlsx第{row_no}行",
            f"two bill lines for one member and month; kept dues_5.xlsx row {row_no}")


@pytest.mark.parametrize("first, second, expected", [
    pytest.param(dict(LINE, paid_status="未交"), LINE,
                 [(2, *duplicate_of(3)), (3, "loaded", None, None, None, None)],
                 id="paid-line-kept-over-an-earlier-unpaid-one"),
    pytest.param(LINE, dict(LINE, paid_status="未交"),
                 [(2, "loaded", None, None, None, None), (3, *duplicate_of(2))],
                 id="paid-line-kept-over-a-later-unpaid-one"),
    pytest.param(LINE, dict(LINE, amount_due="0.5"),
                 [(2, "loaded", None, None, None, None), (3, *duplicate_of(2))],
                 id="both-paid-first-kept"),
    pytest.param(LINE, dict(BY_NAME, month="2024年9月", amount_due="0.20"),
                 [(2, "loaded", None, None, None, None), (3, "merged", None, None, None, None)],
                 id="identical-lines-merged"),
    pytest.param(LINE, dict(LINE, month="2024-10"),
                 [(2, "loaded", None, None, None, None), (3, "loaded", None, None, None, None)],
                 id="other-month-loaded"),
    pytest.param(LINE, dict(LINE, id_number=ZHAO, name="赵六"),
                 [(2, "loaded", None, None, None, None), (3, "loaded", None, None, None, None)],
                 id="other-member-loaded"),
])
def test_one_bill_line_per_member_and_month_keeps_the_paid_one(staged, first, second, expected):
    """Key member + month: 已交 first, then file order; identical lines merge, others quarantined."""
    con = staged([first, second])
    assert outcomes(con, "checked_dues") == expected


def test_a_title_month_and_a_column_month_are_one_key(staged):
    """The same member and month, once from a title row and once from a column, is one bill."""
    con = staged([dict(LINE, month=None, file_id=5, row_no=3),
                  dict(LINE, month="2024-09", paid_status="未交", file_id=8, row_no=2)],
                 {5: "2024年09月团费交纳明细"})
    assert rows(con, "select file_id, disposition, problem.reason_en from checked_dues "
                     "order by file_id") == [
        (5, "loaded", None), (8, "duplicate", "two bill lines for one member and month; "
                                              "kept dues_5.xlsx row 3")]


def test_stg_dues_keeps_the_loaded_lines(staged):
    """stg_dues has one row per member and month: the loaded lines only."""
    con = staged([LINE, dict(LINE, paid_status="未交"), dict(LINE, amount_due="-1"),
                  dict(BY_NAME, name="赵六", mobile="13800000005", month="2024-10")])
    assert rows(con, """
        select m.id_number, d.dues_month, d.amount_due_yuan, d.is_paid
        from stg_dues d join stg_members m on m.member_key = d.member_key
        order by d.dues_month""") == [
        (ZHANG, SEPT, Decimal("0.20"), True), (ZHAO, dt.date(2024, 10, 1), Decimal("0.20"), True)]


def test_a_voluntary_amount_left_out_equals_zero(staged):
    """自愿交费金额 empty and 0 are the same typed value (0 yuan): the lines merge."""
    assert outcomes(staged([LINE, dict(LINE, voluntary_amount="0")]), "checked_dues") == [
        (2, "loaded", None, None, None, None), (3, "merged", None, None, None, None)]


def test_lines_differing_in_current_branch_are_a_differing_duplicate(staged):
    """Two lines differing only in 团员当前所属支部 are not identical: the second is quarantined."""
    con = staged([dict(LINE, current_branch="B1"), dict(LINE, current_branch="B2")])
    assert outcomes(con, "checked_dues") == [
        (2, "loaded", None, None, None, None), (3, *duplicate_of(2))]


def test_typed_dues_types_every_line_and_dues_duplicates_holds_only_repeated_keys(staged):
    """typed_dues has each raw line with its own problem; dues_duplicates only lines sharing a key."""
    con = staged([LINE, dict(LINE, paid_status="未交"), dict(LINE, month="2024-10"),
                  dict(LINE, amount_due="-1")])
    assert rows(con, "select row_no, dues_month, paid_code, row_problem.reason_en from typed_dues "
                     "order by row_no") == [
        (2, SEPT, 1, None), (3, SEPT, 0, None), (4, dt.date(2024, 10, 1), 1, None),
        (5, SEPT, 1, "negative amount due")]
    assert rows(con, "select row_no, disposition from dues_duplicates order by row_no") == [
        (2, "loaded"), (3, "duplicate")]
