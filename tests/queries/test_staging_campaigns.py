"""checked_campaigns, stg_campaigns, checked_roster and stg_roster: campaigns and who is on them."""

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
CAMPAIGN = {"campaign": "2024年新生报到", "deadline": "2024-10-31", "org_id": "U"}
ID = make_id("20060606", 3)
ENTRY = {"campaign": "2024年新生报到", "name": "赵六", "id_number": ID, "branch": "一班团支部"}
LOADED = (None, None, None, None)
NOT_FOUND = ("组织不存在", "organization not found")
AMBIGUOUS = ("组织名称不唯一（2个组织同名）", "organization name is ambiguous (2 organizations share it)")


@pytest.fixture(scope="module")
def base():
    base = StagedBase({"orgs": ORGS})
    yield base
    base.close()


@pytest.fixture
def staged(base):
    """staged(campaign rows, roster rows): the connection with both staged on ORGS."""
    with base.staging() as run:
        yield lambda campaigns, roster=(): run(
            {"campaigns": campaigns, "roster": list(roster)}, "roster")


@pytest.mark.parametrize("change, expected", [
    pytest.param({}, (dt.date(2024, 10, 31), "U"), id="by-org-id"),
    pytest.param({"org_id": "某大学团委"}, (dt.date(2024, 10, 31), "U"), id="by-full-name"),
    pytest.param({"org_id": "一班团支部"}, (dt.date(2024, 10, 31), "B1"), id="run-by-a-branch"),
    pytest.param({"deadline": "2024/10/31"}, (dt.date(2024, 10, 31), "U"), id="slashed-date"),
    pytest.param({"deadline": "2024年10月31日"}, (dt.date(2024, 10, 31), "U"), id="chinese-date"),
    pytest.param({"deadline": "2024-10-31 23:59:59"}, (dt.date(2024, 10, 31), "U"), id="timestamp"),
    pytest.param({"deadline": "45596"}, (dt.date(2024, 10, 31), "U"), id="excel-serial"),
])
def test_a_campaign_has_a_deadline_date_and_a_running_org(staged, change, expected):
    """截止日期 in any date form is a date; 组织ID names any organization by id or full name."""
    con = staged([dict(CAMPAIGN, **change)])
    assert rows(con, "select campaign, deadline, org_id from stg_campaigns") == [
        ("2024年新生报到", *expected)]


BAD_CAMPAIGNS = [
    pytest.param({"campaign": None},
                 ("任务名称", None, "缺少任务名称", "missing 任务名称"), id="missing-name"),
    pytest.param({"deadline": None},
                 ("截止日期", None, "缺少截止日期", "missing 截止日期"), id="missing-deadline"),
    pytest.param({"deadline": "十月底"},
                 ("截止日期", "十月底", "截止日期不是有效日期", "截止日期 is not a valid date"),
                 id="unparseable-deadline"),
    pytest.param({"org_id": "X"}, ("组织ID", "X", *NOT_FOUND), id="unknown-org"),
    pytest.param({"org_id": "同名团支部"}, ("组织ID", "同名团支部", *AMBIGUOUS), id="ambiguous-org"),
    pytest.param({"org_id": None}, ("组织ID", None, "缺少组织ID", "missing 组织ID"), id="missing-org"),
    pytest.param({"campaign": "任" * 501},
                 ("任务名称", "任" * 200, "值过长（超过500字）", "value too long (over 500 characters)"),
                 id="name-over-500-characters"),
]


@pytest.fixture(scope="module")
def bad_campaigns():
    """One campaign row per case of BAD_CAMPAIGNS, each its own name, staged once."""
    campaigns = [{**CAMPAIGN, "campaign": f"任务{i + 2}", "row_no": i + 2, **p.values[0]}
                 for i, p in enumerate(BAD_CAMPAIGNS)]
    return staged_once({"orgs": ORGS, "campaigns": campaigns}, "campaigns")


@pytest.mark.parametrize("row_no, problem", [pytest.param(i + 2, p.values[1], id=p.id)
                                             for i, p in enumerate(BAD_CAMPAIGNS)])
def test_a_campaign_row_with_a_bad_value_is_quarantined(bad_campaigns, row_no, problem):
    """A campaign without name or valid deadline, or run by no single org, is quarantined."""
    assert [o for o in outcomes(bad_campaigns, "checked_campaigns") if o[0] == row_no] == [
        (row_no, "invalid", *problem)]


def test_no_campaign_with_a_bad_value_is_loaded(bad_campaigns):
    """Not one of the bad campaign rows reaches stg_campaigns."""
    assert rows(bad_campaigns, "select count(*) from stg_campaigns") == [(0,)]


@pytest.mark.parametrize("second, expected, loaded", [
    pytest.param({}, ("merged", *LOADED), 1, id="identical-merged"),
    pytest.param({"deadline": "2024/10/31", "org_id": "某大学团委"}, ("merged", *LOADED), 1,
                 id="same-typed-values-merged"),
    pytest.param({"deadline": "2024-11-30"},
                 ("duplicate", "任务名称", "2024年新生报到",
                  "同名报到任务有多条不同记录，保留campaigns_6.xlsx第2行",
                  "campaign defined twice differently; kept campaigns_6.xlsx row 2"), 1,
                 id="differing-quarantined"),
    pytest.param({"campaign": "2025年新生报到"}, ("loaded", *LOADED), 2, id="other-campaign"),
])
def test_one_campaign_per_name_first_in_file_order(staged, second, expected, loaded):
    """任务名称 is the key: identical rows merge, a differing one is quarantined naming the kept."""
    con = staged([dict(CAMPAIGN, file_id=6, row_no=2), {**CAMPAIGN, "file_id": 9, "row_no": 2,
                                                        **second}])
    assert rows(con, "select file_id, row_no, disposition, problem.column_name, problem.value, "
                     "problem.reason_zh, problem.reason_en from checked_campaigns "
                     "order by file_id") == [(6, 2, "loaded", *LOADED), (9, 2, *expected)]
    assert rows(con, "select count(*) from stg_campaigns") == [(loaded,)]


def test_campaign_ids_follow_deadline_then_name(staged):
    """campaign_id numbers campaigns by deadline, then name."""
    con = staged([dict(CAMPAIGN, campaign="B任务", deadline="2024-12-01"),
                  dict(CAMPAIGN, campaign="A任务", deadline="2024-12-01"),
                  dict(CAMPAIGN, campaign="C任务", deadline="2024-09-01")])
    assert rows(con, "select campaign_id, campaign from stg_campaigns order by campaign_id") == [
        (1, "C任务"), (2, "A任务"), (3, "B任务")]


@pytest.mark.parametrize("change, branch", [
    pytest.param({}, "B1", id="by-full-name"),
    pytest.param({"branch": "B2"}, "B2", id="by-org-id"),
    pytest.param({"branch": "S1"}, "S1", id="one-of-a-shared-name-by-id"),
])
def test_a_roster_entry_names_its_campaign_and_branch(staged, change, branch):
    """A roster entry is tied to its campaign's id and to the branch of its 所在团支部."""
    con = staged([CAMPAIGN], [dict(ENTRY, **change)])
    assert rows(con, "select r.campaign_id = c.campaign_id, r.name, r.id_number, r.branch_org_id "
                     "from stg_roster r, stg_campaigns c") == [(True, "赵六", ID, branch)]


OUT_OF_SCOPE = ("团支部不在该报到任务的组织范围内", "branch is outside the organization running the campaign")


@pytest.mark.parametrize("campaign_org, branch, expected", [
    pytest.param("U", "B1", ("loaded", *LOADED), id="branch-under-the-running-org"),
    pytest.param("P", "B1", ("loaded", *LOADED), id="branch-two-levels-under"),
    pytest.param("B1", "B1", ("loaded", *LOADED), id="campaign-run-by-the-branch-itself"),
    pytest.param("U", "S2", ("invalid", "所在团支部", "S2", *OUT_OF_SCOPE), id="branch-elsewhere"),
    pytest.param("B2", "一班团支部", ("invalid", "所在团支部", "一班团支部", *OUT_OF_SCOPE),
                 id="sibling-branch"),
])
def test_a_roster_branch_must_lie_under_the_campaigns_org(staged, campaign_org, branch, expected):
    """A roster entry's 所在团支部 outside the campaign org's subtree is quarantined (RULES.md)."""
    con = staged([dict(CAMPAIGN, org_id=campaign_org)], [dict(ENTRY, branch=branch)])
    assert outcomes(con, "checked_roster") == [(2, *expected)]


BAD_ID = ID[:17] + ("0" if ID[17] != "0" else "1")


BAD_ENTRIES = [
    pytest.param({"campaign": "2023年报到"},
                 ("任务名称", "2023年报到", "报到任务不存在", "campaign not found"),
                 id="campaign-not-found"),
    pytest.param({"campaign": "坏任务"},
                 ("任务名称", "坏任务", "报到任务不存在", "campaign not found"),
                 id="campaign-quarantined"),
    pytest.param({"campaign": None},
                 ("任务名称", None, "缺少任务名称", "missing 任务名称"), id="missing-campaign"),
    pytest.param({"branch": "某大学团委"},
                 ("所在团支部", "某大学团委", "不是团支部", "not a branch (团支部)"),
                 id="branch-not-a-branch"),
    pytest.param({"branch": "P"},
                 ("所在团支部", "P", "不是团支部", "not a branch (团支部)"),
                 id="branch-id-not-a-branch"),
    pytest.param({"branch": "三班团支部"},
                 ("所在团支部", "三班团支部", *NOT_FOUND), id="unknown-branch"),
    pytest.param({"branch": "同名团支部"},
                 ("所在团支部", "同名团支部", *AMBIGUOUS), id="ambiguous-branch"),
    pytest.param({"branch": None},
                 ("所在团支部", None, "缺少所在团支部", "missing 所在团支部"), id="missing-branch"),
    pytest.param({"name": None},
                 ("姓名", None, "缺少姓名", "missing name (姓名)"), id="missing-name"),
    pytest.param({"id_number": BAD_ID},
                 ("身份证号码", BAD_ID, "身份证号码校验码错误", "ID number check character is wrong"),
                 id="bad-check-character"),
    pytest.param({"id_number": None},
                 ("身份证号码", None, "缺少身份证号码", "missing ID number"), id="missing-id-number"),
]


@pytest.fixture(scope="module")
def bad_entries():
    """One roster row per case of BAD_ENTRIES (a person of its own unless the case sets the ID
    number), with a loaded campaign and a quarantined one (坏任务), staged once."""
    campaigns = [CAMPAIGN, dict(CAMPAIGN, campaign="坏任务", org_id="X")]
    roster = [{**ENTRY, "id_number": make_id("20060606", 100 + i), "row_no": i + 2,
               **p.values[0]} for i, p in enumerate(BAD_ENTRIES)]
    return staged_once({"orgs": ORGS, "campaigns": campaigns, "roster": roster}, "roster")


@pytest.mark.parametrize("row_no, problem", [pytest.param(i + 2, p.values[1], id=p.id)
                                             for i, p in enumerate(BAD_ENTRIES)])
def test_a_roster_row_with_a_bad_value_is_quarantined(bad_entries, row_no, problem):
    """A roster entry needs a loaded campaign, a 团支部, a name and a valid ID number."""
    assert [o for o in outcomes(bad_entries, "checked_roster") if o[0] == row_no] == [
        (row_no, "invalid", *problem)]


def test_no_roster_row_with_a_bad_value_is_loaded(bad_entries):
    """Not one of the bad roster rows reaches stg_roster."""
    assert rows(bad_entries, "select count(*) from stg_roster") == [(0,)]


@pytest.mark.parametrize("second, expected, loaded", [
    pytest.param({}, ("merged", *LOADED), 1, id="identical-merged"),
    pytest.param({"branch": "B1", "id_number": ID.lower()}, ("merged", *LOADED), 1,
                 id="same-typed-values-merged"),
    pytest.param({"branch": "二班团支部"},
                 ("duplicate", "身份证号码", ID, "同一人在同一报到任务名单中出现多次，保留roster_7.xlsx第2行",
                  "same person twice in one campaign roster; kept roster_7.xlsx row 2"), 1,
                 id="differing-quarantined"),
    pytest.param({"campaign": "2025年新生报到"}, ("loaded", *LOADED), 2,
                 id="same-person-other-campaign"),
    pytest.param({"id_number": make_id("20060606", 4)}, ("loaded", *LOADED), 2,
                 id="other-person"),
])
def test_one_roster_entry_per_campaign_and_person(staged, second, expected, loaded):
    """任务名称 + 身份证号码 is the key, first in file order kept; differing rows quarantined."""
    campaigns = [CAMPAIGN, dict(CAMPAIGN, campaign="2025年新生报到", deadline="2025-10-31")]
    con = staged(campaigns, [dict(ENTRY, file_id=7, row_no=2),
                             {**ENTRY, "file_id": 9, "row_no": 2, **second}])
    assert rows(con, "select file_id, row_no, disposition, problem.column_name, problem.value, "
                     "problem.reason_zh, problem.reason_en from checked_roster "
                     "order by file_id") == [(7, 2, "loaded", *LOADED), (9, 2, *expected)]
    assert rows(con, "select count(*) from stg_roster") == [(loaded,)]
