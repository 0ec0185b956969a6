"""checked_transfers and stg_transfers: both ends resolved, outside receivers, statuses, steps."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.queries.conftest import StagedBase, make_id, outcomes, rows, staged_once

ORGS = [
    {"org_id": "P", "org_type": "领导机关团组织", "full_name": "共青团某省委员会"},
    {"org_id": "U", "parent_org_id": "P", "org_type": "团委", "full_name": "某大学团委"},
    {"org_id": "B1", "parent_org_id": "U", "org_type": "团支部", "full_name": "一班团支部"},
    {"org_id": "B2", "parent_org_id": "U", "org_type": "团支部", "full_name": "二班团支部"},
    {"org_id": "S1", "parent_org_id": "U", "org_type": "团支部", "full_name": "同名团支部"},
    {"org_id": "S2", "parent_org_id": "P", "org_type": "团支部", "full_name": "同名团支部"},
]
ID = make_id("20030303", 5)
TRANSFER = {"name": "王五", "id_number": ID, "created_at": "2024-09-01 10:00:00",
            "from_org": "一班团支部", "to_org": "二班团支部", "status": "转入团支部待审核"}
OUTSIDE = "某外省大学某班团支部"


@pytest.fixture(scope="module")
def base():
    base = StagedBase({"orgs": ORGS})
    yield base
    base.close()


@pytest.fixture
def staged(base):
    """staged(transfer rows): the connection with those transfers staged on ORGS."""
    with base.staging() as run:
        yield lambda transfers: run({"transfers": transfers}, "transfers")


STATUSES = [
    ("已撤回", 0), ("转出团支部待审核", 1), ("转出团支部上级待审核", 2), ("转入团支部待审核", 3),
    ("转入团支部上级待审核", 4), ("接转成功", 5), ("转出团支部退回", 6), ("转出团支部上级退回", 7),
    ("转入团支部退回", 8), ("转入团支部上级退回", 9), ("0", 0), ("4", 4), ("5", 5), ("9", 9),
]


@pytest.fixture(scope="module")
def statuses():
    transfers = [dict(TRANSFER, id_number=make_id("20030303", i + 1), row_no=i + 2, status=label)
                 for i, (label, _) in enumerate(STATUSES)]
    return staged_once({"orgs": ORGS, "transfers": transfers}, "transfers")


@pytest.mark.parametrize("number, label, code",
                         [(make_id("20030303", i + 1), *case) for i, case in enumerate(STATUSES)],
                         ids=[label for label, _ in STATUSES])
def test_status_is_read_from_its_label_or_code(statuses, number, label, code):
    """处理状态 labels and codes 0-9 give the status code."""
    assert rows(statuses, "select status from stg_transfers where id_number = ?", [number]) == [
        (code,)]


def test_a_loaded_transfer_has_typed_ends_times_and_steps(staged):
    """stg_transfers keeps both ends' ids, the step times of every form, 转往 and 原因 coded."""
    con = staged([dict(
        TRANSFER, from_org="B1", to_org="二班团支部", status="接转成功", completed_at="2024/9/9 9:00",
        destination_kind="省内", cause="升学或转学",
        from_branch_reviewed_at="2024-09-02 08:00:00", from_superior_reviewed_at="2024年9月3日",
        to_branch_reviewed_at="45543.5", to_superior_reviewed_at="2024/9/8")])
    assert rows(con, "select name, id_number, created_at, from_org_id, to_org_id, to_outside_name, "
                     "status, completed_at, destination_kind, cause, from_branch_reviewed_at, "
                     "from_superior_reviewed_at, to_branch_reviewed_at, to_superior_reviewed_at "
                     "from stg_transfers") == [(
        "王五", ID, dt.datetime(2024, 9, 1, 10), "B1", "B2", None,
        5, dt.datetime(2024, 9, 9, 9), 1, 2, dt.datetime(2024, 9, 2, 8), dt.datetime(2024, 9, 3),
        dt.datetime(2024, 9, 8, 12), dt.datetime(2024, 9, 8))]


@pytest.mark.parametrize("destination, to_org, expected", [
    pytest.param("转出省外", OUTSIDE, (None, OUTSIDE, 2), id="out-of-province-label"),
    pytest.param("省外", OUTSIDE, (None, OUTSIDE, 2), id="out-of-province-alias"),
    pytest.param("2", OUTSIDE, (None, OUTSIDE, 2), id="out-of-province-code"),
    pytest.param("退回原籍", OUTSIDE, (None, OUTSIDE, 3), id="back-home-label"),
    pytest.param("3", OUTSIDE, (None, OUTSIDE, 3), id="back-home-code"),
    pytest.param("转出省外", "二班团支部", ("B2", None, 2), id="out-of-province-but-known"),
    pytest.param("省内", "B2", ("B2", None, 1), id="in-province-known"),
    pytest.param(None, "B2", ("B2", None, None), id="no-destination-known"),
])
def test_an_unknown_receiver_is_kept_as_outside_only_for_out_of_province_or_back_home(
        staged, destination, to_org, expected):
    """转往 转出省外 or 退回原籍 keeps an unknown 转入团组织 as outside; a known one still resolves."""
    con = staged([dict(TRANSFER, destination_kind=destination, to_org=to_org)])
    assert rows(con, "select to_org_id, to_outside_name, destination_kind "
                     "from stg_transfers") == [expected]


NOT_FOUND = ("组织不存在", "organization not found")
AMBIGUOUS = ("组织名称不唯一（2个组织同名）", "organization name is ambiguous (2 organizations share it)")
BAD_ID = ID[:17] + ("0" if ID[17] != "0" else "1")

BAD = [
    pytest.param({"destination_kind": "省内", "to_org": OUTSIDE},
                 ("转入团组织", OUTSIDE, *NOT_FOUND), id="unknown-receiver-in-province"),
    pytest.param({"to_org": OUTSIDE},
                 ("转入团组织", OUTSIDE, *NOT_FOUND), id="unknown-receiver-no-destination"),
    pytest.param({"destination_kind": "转出省外", "to_org": "同名团支部"},
                 ("转入团组织", "同名团支部", *AMBIGUOUS), id="ambiguous-receiver-out-of-province"),
    pytest.param({"destination_kind": "转出省外", "to_org": None},
                 ("转入团组织", None, "缺少转入团组织", "missing 转入团组织"),
                 id="missing-receiver-out-of-province"),
    pytest.param({"from_org": OUTSIDE},
                 ("转出团组织", OUTSIDE, *NOT_FOUND), id="unknown-sender"),
    pytest.param({"from_org": OUTSIDE, "destination_kind": "转出省外"},
                 ("转出团组织", OUTSIDE, *NOT_FOUND), id="unknown-sender-out-of-province"),
    pytest.param({"from_org": "同名团支部"},
                 ("转出团组织", "同名团支部", *AMBIGUOUS), id="ambiguous-sender"),
    pytest.param({"from_org": None},
                 ("转出团组织", None, "缺少转出团组织", "missing 转出团组织"), id="missing-sender"),
    pytest.param({"destination_kind": "国外"},
                 ("转往", "国外", "未知的转往：国外", "unknown value in 转往"), id="unknown-destination"),
    pytest.param({"status": "审核中"},
                 ("处理状态", "审核中", "未知的处理状态：审核中", "unknown value in 处理状态"),
                 id="unknown-status-label"),
    pytest.param({"status": "10"},
                 ("处理状态", "10", "未知的处理状态：10", "unknown value in 处理状态"),
                 id="status-code-out-of-range"),
    pytest.param({"status": None},
                 ("处理状态", None, "缺少处理状态", "missing 处理状态"), id="missing-status"),
    pytest.param({"cause": "结婚"},
                 ("原因", "结婚", "未知的原因：结婚", "unknown value in 原因"), id="unknown-cause"),
    pytest.param({"created_at": "昨天"},
                 ("申请时间", "昨天", "申请时间不是有效日期", "申请时间 is not a valid date"),
                 id="unparseable-application-time"),
    pytest.param({"created_at": None},
                 ("申请时间", None, "缺少申请时间", "missing 申请时间"), id="missing-application-time"),
    pytest.param({"completed_at": "2024-02-30"},
                 ("完成时间", "2024-02-30", "完成时间不是有效日期", "完成时间 is not a valid date"),
                 id="unparseable-completion-time"),
    pytest.param({"from_branch_reviewed_at": "x"},
                 ("转出团支部审核时间", "x", "转出团支部审核时间不是有效日期",
                  "转出团支部审核时间 is not a valid date"), id="unparseable-step-1"),
    pytest.param({"from_superior_reviewed_at": "2024-13-01"},
                 ("转出团支部上级审核时间", "2024-13-01", "转出团支部上级审核时间不是有效日期",
                  "转出团支部上级审核时间 is not a valid date"), id="unparseable-step-2"),
    pytest.param({"to_branch_reviewed_at": "2024年9月"},
                 ("转入团支部审核时间", "2024年9月", "转入团支部审核时间不是有效日期",
                  "转入团支部审核时间 is not a valid date"), id="unparseable-step-3"),
    pytest.param({"to_superior_reviewed_at": "9/8/2024"},
                 ("转入团支部上级审核时间", "9/8/2024", "转入团支部上级审核时间不是有效日期",
                  "转入团支部上级审核时间 is not a valid date"), id="unparseable-step-4"),
    pytest.param({"id_number": BAD_ID},
                 ("身份证号码", BAD_ID, "身份证号码校验码错误", "ID number check character is wrong"),
                 id="bad-check-character"),
    pytest.param({"name": "名" * 501},
                 ("姓名", "名" * 200, "值过长（超过500字）", "value too long (over 500 characters)"),
                 id="value-over-500-characters"),
]


@pytest.fixture(scope="module")
def bad_transfers():
    transfers = [{**TRANSFER, "id_number": make_id("20030303", 100 + i), "row_no": i + 2,
                  **p.values[0]} for i, p in enumerate(BAD)]
    return staged_once({"orgs": ORGS, "transfers": transfers}, "transfers")


@pytest.mark.parametrize("row_no, problem",
                         [pytest.param(i + 2, p.values[1], id=p.id) for i, p in enumerate(BAD)])
def test_a_transfer_row_with_a_bad_value_is_quarantined(bad_transfers, row_no, problem):
    """Each bad value quarantines the row with its column, value and reason."""
    assert [o for o in outcomes(bad_transfers, "checked_transfers") if o[0] == row_no] == [
        (row_no, "invalid", *problem)]


def test_no_transfer_with_a_bad_value_is_loaded(bad_transfers):
    """Not one of the bad rows reaches stg_transfers."""
    assert rows(bad_transfers, "select count(*) from stg_transfers") == [(0,)]


def test_a_sending_org_of_any_type_is_allowed(staged):
    """Transfers may start from a 团委 as well as from a 团支部 (no branch rule)."""
    con = staged([dict(TRANSFER, from_org="某大学团委")])
    assert rows(con, "select from_org_id, to_org_id from stg_transfers") == [("U", "B2")]


DUPLICATE_ZH = "同一人同一申请时间有多条转接记录，保留transfers_4.xlsx第2行"
DUPLICATE_EN = "same person and application time in several rows; kept transfers_4.xlsx row 2"


@pytest.mark.parametrize("second, expected, loaded", [
    pytest.param({}, ("merged", None, None, None, None), 1, id="identical-merged"),
    pytest.param({"created_at": "2024/9/1 10:00", "status": "3", "to_org": "B2"},
                 ("merged", None, None, None, None), 1, id="same-typed-values-merged"),
    pytest.param({"destination_kind": "转出省外", "to_org": OUTSIDE},
                 ("duplicate", "申请时间", "2024-09-01 10:00:00", DUPLICATE_ZH, DUPLICATE_EN), 1,
                 id="differing-receiver-quarantined"),
    pytest.param({"status": "接转成功", "created_at": "2024/9/1 10:00"},
                 ("duplicate", "申请时间", "2024/9/1 10:00", DUPLICATE_ZH, DUPLICATE_EN), 1,
                 id="differing-status-quarantined"),
    pytest.param({"created_at": "2024-09-01 10:00:01"}, ("loaded", None, None, None, None), 2,
                 id="other-application-time-loaded"),
    pytest.param({"id_number": make_id("20030303", 6)}, ("loaded", None, None, None, None), 2,
                 id="other-person-loaded"),
])
def test_one_transfer_per_person_and_application_time(staged, second, expected, loaded):
    """Key ID + 申请时间, first kept; identical rows merge, differing ones are quarantined."""
    con = staged([dict(TRANSFER, file_id=4, row_no=2), {**TRANSFER, "file_id": 7, "row_no": 2,
                                                        **second}])
    got = rows(con, "select file_id, row_no, disposition, problem.column_name, problem.value, "
                    "problem.reason_zh, problem.reason_en from checked_transfers "
                    "order by file_id, row_no")
    assert got == [(4, 2, "loaded", None, None, None, None), (7, 2, *expected)]
    assert rows(con, "select count(*) from stg_transfers") == [(loaded,)]
