"""checked_members and stg_members: coding, ID checks, branch resolution and one row per person."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import ric

from tests.queries.conftest import StagedBase, make_id, outcomes, rows, staged_once

ORGS = [
    {"org_id": "P", "org_type": "领导机关团组织", "full_name": "共青团某省委员会"},
    {"org_id": "U", "parent_org_id": "P", "org_type": "团委", "full_name": "某大学团委"},
    {"org_id": "Z", "parent_org_id": "U", "org_type": "团总支", "full_name": "计算机学院团总支"},
    {"org_id": "B1", "parent_org_id": "Z", "org_type": "团支部", "full_name": "一班团支部"},
    {"org_id": "B2", "parent_org_id": "Z", "org_type": "团支部", "full_name": "二班团支部"},
    {"org_id": "S1", "parent_org_id": "U", "org_type": "团支部", "full_name": "同名团支部"},
    {"org_id": "S2", "parent_org_id": "Z", "org_type": "团支部", "full_name": "同名团支部"},
    {"org_id": "Q", "parent_org_id": "gone", "org_type": "团支部", "full_name": "孤立团支部"},
]
ID = make_id("20050101", 1)
MEMBER = {"name": "张三", "id_number": ID, "branch": "一班团支部", "registration_status": "审核通过"}


def with_check(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


@pytest.fixture(scope="module")
def base():
    base = StagedBase({"orgs": ORGS})
    yield base
    base.close()


@pytest.fixture
def staged(base):
    """staged(member rows): the connection with those members staged on ORGS."""
    with base.staging() as run:
        yield lambda members: run({"members": members}, "members")


TYPED = [
    ("registration_status", "审核通过", 3),
    ("registration_status", "3", 3),
    ("registration_status", "报到待审核", 1),
    ("registration_status", "0", 0),
    ("registration_status", "修改资料被退回", 5),
    ("membership_status", None, 0),
    ("membership_status", "\u3000", 0),
    ("membership_status", "正常", 0),
    ("membership_status", "自行脱团", 4),
    ("membership_status", "9", 9),
    ("id_type", "普通居民身份证", 1),
    ("id_type", "居民身份证", 1),
    ("id_type", "1", 1),
    ("political_status", "共青团员", 1),
    ("political_status", "团员", 1),
    ("political_status", "2", 2),
    ("occupation", "学生", 6),
    ("occupation", "14", 14),
    ("income_band", "2000-5000元", 2),
    ("income_band", "<2000元", 1),
    ("income_band", "5", 5),
    ("education", "大学本科", "大学本科"),
    ("joined_month", "2019年5月", dt.date(2019, 5, 1)),
    ("joined_month", "201905", dt.date(2019, 5, 1)),
    ("reviewed_at", "2024/9/2 10:30", dt.datetime(2024, 9, 2, 10, 30)),
    ("registered_at", "45536.5", dt.datetime(2024, 9, 1, 12, 0)),
    ("mobile", " 13800000000 ", "13800000000"),
]


@pytest.fixture(scope="module")
def typed_members():
    """One member row per case of TYPED, each its own person, staged once."""
    members = [dict(MEMBER, id_number=make_id("20050101", i + 1), row_no=i + 2, **{col: raw})
               for i, (col, raw, _) in enumerate(TYPED)]
    return staged_once({"orgs": ORGS, "members": members}, "members")


@pytest.mark.parametrize("row_no, column, raw, expected",
                         [(i + 2, *case) for i, case in enumerate(TYPED)],
                         ids=[f"{c}={r!r}" for c, r, _ in TYPED])
def test_member_values_are_typed_from_labels_or_codes(typed_members, row_no, column, raw, expected):
    """Coded columns take the label or the numeric code; 团籍状态 empty is 正常 (0)."""
    assert rows(typed_members, f"select disposition, {column} from checked_members "
                               "where row_no = ?", [row_no]) == [("loaded", expected)]


@pytest.mark.parametrize("registration, membership, flags", [
    ("审核通过", None, (True, True, False)),
    ("修改资料待审核", "正常", (True, True, False)),
    ("5", "0", (True, True, False)),
    ("报到待审核", None, (True, False, True)),
    ("报到被退回", None, (True, False, False)),
    ("审核通过", "满28周岁离团", (False, True, False)),
])
def test_member_flags_follow_the_contract(staged, registration, membership, flags):
    """is_active = 团籍状态 正常; approved = status 3, 4, 5; pending = status 1 (CONTRACT §2)."""
    con = staged([dict(MEMBER, registration_status=registration,
                              membership_status=membership)])
    assert rows(con, "select is_active, is_registered_approved, is_registration_pending "
                     "from stg_members") == [flags]


@pytest.mark.parametrize("number, birth, gender", [
    (make_id("20050101", 1), dt.date(2005, 1, 1), "male"),
    (make_id("19990228", 12), dt.date(1999, 2, 28), "female"),
    (make_id("20040229", 7, "110101"), dt.date(2004, 2, 29), "male"),
])
def test_birth_date_and_gender_come_from_the_id_number(staged, number, birth, gender):
    """Birth date is digits 7-14 of the ID number; the 17th digit odd is male, even female."""
    con = staged([dict(MEMBER, id_number=number)])
    assert rows(con, "select id_number, birth_date, gender from stg_members") == [
        (number, birth, gender)]


def test_an_id_number_is_upper_cased_and_stripped_of_spaces(staged):
    """'4401 0619 ... x' is stored as the 18-character number with a capital X."""
    number = next(n for n in (make_id("19950615", s) for s in range(100)) if n.endswith("X"))
    spaced = f"{number[:6]} {number[6:14]} {number[14:].lower()}"
    con = staged([dict(MEMBER, id_number=spaced)])
    assert rows(con, "select id_number from stg_members") == [(number,)]


def test_an_overseas_id_number_needs_only_to_be_present(staged):
    """境外身份证 numbers are not checked; birth date and gender stay unknown."""
    con = staged([dict(MEMBER, id_type="境外身份证", id_number="H12345678")])
    assert rows(con, "select id_number, id_type, birth_date, gender from stg_members") == [
        ("H12345678", 2, None, None)]


BAD_ID = ID[:17] + ("0" if ID[17] != "0" else "1")
UNKNOWN_PLACE = make_id("20050101", 1, "999999")
BAD_BIRTH = with_check("44010620050230001")
LONG = "团" * 501


BAD_VALUES = [
    pytest.param({"id_number": BAD_ID},
                 ("身份证号码", BAD_ID, "身份证号码校验码错误", "ID number check character is wrong"),
                 id="bad-check-character"),
    pytest.param({"id_number": UNKNOWN_PLACE},
                 ("身份证号码", UNKNOWN_PLACE, "身份证号码地区码无效", "unknown county code in ID number"),
                 id="unknown-county-code"),
    pytest.param({"id_number": BAD_BIRTH},
                 ("身份证号码", BAD_BIRTH, "身份证号码中的出生日期无效", "invalid birth date in ID number"),
                 id="impossible-birth-date"),
    pytest.param({"id_number": ID[:17]},
                 ("身份证号码", ID[:17], "身份证号码应为18位", "ID number must have 18 characters"),
                 id="seventeen-characters"),
    pytest.param({"id_number": "44010620050101001Y"},
                 ("身份证号码", "44010620050101001Y", "身份证号码格式错误",
                  "ID number must be 17 digits and a check character"),
                 id="letter-in-number"),
    pytest.param({"id_number": None},
                 ("身份证号码", None, "缺少身份证号码", "missing ID number"),
                 id="missing-id-number"),
    pytest.param({"id_type": "护照"},
                 ("证件类型", "护照", "未知的证件类型：护照", "unknown value in 证件类型"),
                 id="unknown-id-type"),
    pytest.param({"branch": "三班团支部"},
                 ("所在团支部", "三班团支部", "组织不存在", "organization not found"),
                 id="unknown-branch"),
    pytest.param({"branch": "孤立团支部"},
                 ("所在团支部", "孤立团支部", "组织不存在", "organization not found"),
                 id="branch-quarantined-itself"),
    pytest.param({"branch": "同名团支部"},
                 ("所在团支部", "同名团支部", "组织名称不唯一（2个组织同名）",
                  "organization name is ambiguous (2 organizations share it)"),
                 id="ambiguous-branch"),
    pytest.param({"branch": "计算机学院团总支"},
                 ("所在团支部", "计算机学院团总支", "不是团支部", "not a branch (团支部)"),
                 id="non-branch-by-name"),
    pytest.param({"branch": None, "branch_org_id": "U"},
                 ("所在团支部", "U", "不是团支部", "not a branch (团支部)"),
                 id="non-branch-by-id"),
    pytest.param({"branch": None},
                 ("所在团支部", None, "缺少所在团支部", "missing 所在团支部"),
                 id="missing-branch"),
    pytest.param({"registration_status": "已报到"},
                 ("报到资料状态", "已报到", "未知的报到资料状态：已报到", "unknown value in 报到资料状态"),
                 id="unknown-registration-label"),
    pytest.param({"registration_status": "6"},
                 ("报到资料状态", "6", "未知的报到资料状态：6", "unknown value in 报到资料状态"),
                 id="registration-code-out-of-range"),
    pytest.param({"registration_status": None},
                 ("报到资料状态", None, "缺少报到资料状态", "missing registration status"),
                 id="missing-registration-status"),
    pytest.param({"membership_status": "退团"},
                 ("团籍状态", "退团", "未知的团籍状态：退团", "unknown value in 团籍状态"),
                 id="unknown-membership-label"),
    pytest.param({"political_status": "群众"},
                 ("政治面貌", "群众", "未知的政治面貌：群众", "unknown value in 政治面貌"),
                 id="unknown-political-status"),
    pytest.param({"occupation": "工人"},
                 ("职业", "工人", "未知的职业：工人", "unknown value in 职业"),
                 id="unknown-occupation"),
    pytest.param({"income_band": "15"},
                 ("收入", "15", "未知的收入：15", "unknown value in 收入"),
                 id="income-code-out-of-range"),
    pytest.param({"reviewed_at": "2024-13-01"},
                 ("资料审核时间", "2024-13-01", "资料审核时间不是有效日期", "资料审核时间 is not a valid date"),
                 id="unparseable-review-time"),
    pytest.param({"registered_at": "昨天"},
                 ("申请报到时间", "昨天", "申请报到时间不是有效日期", "申请报到时间 is not a valid date"),
                 id="unparseable-registration-time"),
    pytest.param({"joined_month": "2019-13"},
                 ("入团年月", "2019-13", "入团年月不是有效月份", "入团年月 is not a valid month"),
                 id="unparseable-joined-month"),
    pytest.param({"name": LONG},
                 ("姓名", LONG[:200], "值过长（超过500字）", "value too long (over 500 characters)"),
                 id="name-over-500-characters"),
    pytest.param({"education": LONG},
                 ("全日制学历", LONG[:200], "值过长（超过500字）", "value too long (over 500 characters)"),
                 id="education-over-500-characters"),
    pytest.param({"name": None},
                 ("姓名", None, "缺少姓名", "missing name (姓名)"),
                 id="missing-name"),
]


@pytest.fixture(scope="module")
def bad_members():
    """One member row per case of BAD_VALUES (a person of its own unless the case sets the ID
    number), staged once."""
    members = [{**MEMBER, "id_number": make_id("20050101", 100 + i), "row_no": i + 2,
                **p.values[0]} for i, p in enumerate(BAD_VALUES)]
    return staged_once({"orgs": ORGS, "members": members}, "members")


@pytest.mark.parametrize("row_no, problem",
                         [pytest.param(i + 2, p.values[1], id=p.id)
                          for i, p in enumerate(BAD_VALUES)])
def test_a_member_row_with_a_bad_value_is_quarantined(bad_members, row_no, problem):
    """Each bad value quarantines the row with its column, value and reason."""
    assert [o for o in outcomes(bad_members, "checked_members") if o[0] == row_no] == [
        (row_no, "invalid", *problem)]


def test_no_member_with_a_bad_value_is_loaded(bad_members):
    """Not one of the bad rows reaches stg_members."""
    assert rows(bad_members, "select count(*) from stg_members") == [(0,)]


@pytest.mark.parametrize("change, branch", [
    ({"branch": None, "branch_org_id": "B2"}, "B2"),
    ({"branch": "一班团支部", "branch_org_id": "B2"}, "B2"),
    ({"branch": "B2"}, "B2"),
    ({"branch": " 二班团支部\u3000"}, "B2"),
    ({"branch": None, "branch_org_id": "S1"}, "S1"),
])
def test_the_branch_is_found_by_its_id_or_its_full_name(staged, change, branch):
    """所在团支部ID wins over 所在团支部; either may be an 组织ID or a unique full name."""
    con = staged([dict(MEMBER, **change)])
    assert rows(con, "select branch_org_id from stg_members") == [(branch,)]


def member_at(file_id, row_no, **values):
    return dict(MEMBER, file_id=file_id, row_no=row_no, **values)


SAME_PERSON_ZH = "同一人有多条团员记录（保留审核时间最新的），保留members_{f}.xlsx第{r}行"
SAME_PERSON_EN = "same person in several member rows (the latest reviewed is kept); kept members_{f}.xlsx row {r}"


def same_person(kept_file, kept_row):
    return ("duplicate", "身份证号码", ID, SAME_PERSON_ZH.format(f=kept_file, r=kept_row),
            SAME_PERSON_EN.format(f=kept_file, r=kept_row))


@pytest.mark.parametrize("members, expected, kept_branch", [
    pytest.param(
        [member_at(2, 2, reviewed_at="2024-09-05 10:00:00"),
         member_at(3, 2, branch="二班团支部", reviewed_at="2024-09-02 10:00:00")],
        [(2, 2, "loaded", None, None, None, None), (3, 2, *same_person(2, 2))],
        "B1", id="earlier-file-reviewed-later-kept"),
    pytest.param(
        [member_at(2, 2, reviewed_at="2024-09-02 10:00:00"),
         member_at(3, 2, branch="二班团支部", reviewed_at="2024/9/5")],
        [(2, 2, *same_person(3, 2)), (3, 2, "loaded", None, None, None, None)],
        "B2", id="later-file-reviewed-later-kept"),
    pytest.param(
        [member_at(2, 2, reviewed_at=None, registered_at="2024-09-09"),
         member_at(3, 2, branch="二班团支部", reviewed_at="2024-09-01")],
        [(2, 2, *same_person(3, 2)), (3, 2, "loaded", None, None, None, None)],
        "B2", id="missing-review-time-comes-last"),
    pytest.param(
        [member_at(2, 2, reviewed_at="2024-09-05", registered_at="2024-09-01"),
         member_at(3, 2, branch="二班团支部", reviewed_at="2024-09-05", registered_at="2024-09-03")],
        [(2, 2, *same_person(3, 2)), (3, 2, "loaded", None, None, None, None)],
        "B2", id="same-review-time-latest-registration-kept"),
    pytest.param(
        [member_at(2, 7, branch="二班团支部"), member_at(2, 3)],
        [(2, 3, "loaded", None, None, None, None), (2, 7, *same_person(2, 3))],
        "B1", id="no-times-file-order"),
    pytest.param(
        [member_at(2, 2, reviewed_at="2024-09-02"),
         member_at(3, 2, reviewed_at="2024-09-09", registration_status="审核中")],
        [(2, 2, "loaded", None, None, None, None),
         (3, 2, "invalid", "报到资料状态", "审核中", "未知的报到资料状态：审核中",
          "unknown value in 报到资料状态")],
        "B1", id="invalid-row-does-not-compete"),
])
def test_the_same_person_twice_keeps_the_latest_review(staged, members, expected, kept_branch):
    """One row per ID: latest review, then registration, then file order; others quarantined."""
    con = staged(members)
    assert rows(con, "select file_id, row_no, disposition, problem.column_name, problem.value, "
                     "problem.reason_zh, problem.reason_en from checked_members "
                     "order by file_id, row_no") == expected
    assert rows(con, "select id_number, branch_org_id from stg_members") == [(ID, kept_branch)]


@pytest.mark.parametrize("first, second", [
    pytest.param({}, {}, id="identical"),
    pytest.param({"reviewed_at": "2024-09-02 10:00:00", "registration_status": "审核通过"},
                 {"reviewed_at": "2024/9/2 10:00", "registration_status": "3"},
                 id="same-typed-values"),
    pytest.param({"id_number": ID, "branch": "一班团支部"},
                 {"id_number": f" {ID[:9]} {ID[9:]}", "branch_org_id": "B1", "branch": None},
                 id="same-person-and-branch-written-differently"),
])
def test_identical_member_rows_are_merged(staged, first, second):
    """Rows equal on their typed values are merged: one member, nothing quarantined."""
    con = staged([member_at(2, 2, **first), member_at(3, 2, **second)])
    assert rows(con, "select file_id, disposition, problem from checked_members "
                     "order by file_id") == [(2, "loaded", None), (3, "merged", None)]
    assert rows(con, "select id_number, branch_org_id from stg_members") == [(ID, "B1")]


def test_two_people_in_one_branch_are_two_members(staged):
    """Different 身份证号码 are different members, even with the same name."""
    other = make_id("20050101", 2)
    con = staged([MEMBER, dict(MEMBER, id_number=other)])
    assert rows(con, "select id_number, name, gender from stg_members order by id_number") == [
        (ID, "张三", "male"), (other, "张三", "female")]
