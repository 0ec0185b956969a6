"""The pandas approach on hand-written export files: each rule of etl/RULES.md, by construction."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from stdnum.cn import ric

from bench.pandas_reference import compute_all


def pid(seq: int, birth: str = "20050101") -> str:
    body = f"440106{birth}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def write(path: Path, rows, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)


ORGS = [("组织ID", "上级组织ID", "组织类型", "团组织全称"),
        ("P", "", "领导机关团组织", "省委"), ("U", "P", "团委", "大学团委"),
        ("G", "U", "团总支", "学院团总支"), ("B1", "G", "团支部", "一班团支部"),
        ("B2", "G", "团支部", "二班团支部"), ("B3", "U", "5", "三班团支部"),
        ("Q", "P", "团委", "另一团委"),
        ("X", "NOPE", "团支部", "孤儿支部"), ("Y", "X", "团支部", "孤儿的孩子"),
        ("U", "P", "团委", "大学团委"), ("U", "P", "团委", "大学团委（重名）")]
MEMBER_HEADER = ("姓名", "身份证号码", "所在团支部", "报到资料状态", "资料审核时间", "手机号码",
                 "团籍状态")


@pytest.fixture
def province(tmp_path: Path) -> Path:
    write(tmp_path / "orgs.csv", ORGS)
    write(tmp_path / "m" / "b1.csv", [
        ("一班团员名单",), MEMBER_HEADER,
        ("甲", pid(1), "一班团支部", "审核通过", "2024-09-02 10:00:00", "13800000001", ""),
        ("乙", pid(2), "一班团支部", "报到待审核", "", "13800000002", ""),
        ("丙", pid(3), "B1", "修改资料待审核", "2024/9/3", "13800000003", "正常"),
        ("丁", pid(4)[:-1] + ("0" if pid(4)[-1] != "0" else "1"), "B1", "审核通过", "", "", ""),
        ("戊", pid(5), "学院团总支", "审核通过", "", "", ""),
        ("己", pid(6), "一班团支部", "审核通过", "2024-09-01", "", "禁用"),
        ("庚", pid(8), "一班团支部", "审核中", "", "", ""),
        ("辛", pid(9), "一班团支部", "审核通过", "2024-02-30", "", ""),
    ], "gbk")
    write(tmp_path / "m" / "b2.csv", [
        ("姓名", "身份证号码", "所在团支部ID", "报到资料状态", "资料审核时间", "手机号码"),
        ("甲", pid(1), "B2", "审核通过", "2024-09-05", "13800000001"),
        ("乙", pid(2), "B1", "报到待审核", "", "13800000002"),
        ("庚", pid(7), "B2", "3", "45536.5", "13800000007"),
    ])
    write(tmp_path / "cadres.csv", [
        ("姓名", "身份证号码", "所在组织", "团内现任职务", "是否入驻企业号", "是否本组织运营者"),
        ("a", pid(11), "P", "书记", "是", ""), ("b", pid(12), "P", "5", "否", ""),
        ("c", pid(13), "G", "工作人员", "是", ""), ("d", pid(14), "G", "组织委员", "是", ""),
        ("e", pid(15), "B1", "书记", "否", "否"), ("f", pid(16), "B1", "组织委员", "是", "是"),
        ("g", pid(17), "B1", "宣传委员", "是", "是"), ("h", pid(18), "B2", "书记", "是", ""),
        ("i", pid(19), "B2", "组织委员", "是", "是"), ("j", pid(20), "B2", "9", "是", ""),
    ])
    write(tmp_path / "transfers.csv", [
        ("姓名", "身份证号码", "申请时间", "转出团组织", "转入团组织", "处理状态", "转往"),
        ("甲", pid(1), "2024-09-01", "B2", "外省某支部", "转入团支部待审核", "转出省外"),
        ("乙", pid(2), "2024-09-01", "B3", "B1", "接转成功", ""),
        ("丙", pid(3), "2024-09-01", "B3", "外省", "1", ""),
        ("丁", pid(30), "2024-09-01", "Q", "B1", "转入团支部上级待审核", ""),
        ("戊", pid(31), "2024-09-02", "B1", "Q", "转出团支部退回", ""),
    ])
    write(tmp_path / "campaigns.csv", [
        ("任务名称", "截止日期", "组织ID"), ("2024新生", "2024-09-30", "U"),
        ("全省", "2024-06-30", "P"), ("另一任务", "2024-12-31", "Q")])
    write(tmp_path / "roster.csv", [
        ("任务名称", "姓名", "身份证号码", "所在团支部"), ("2024新生", "甲", pid(1), "B1"),
        ("2024新生", "乙", pid(2), "B1"), ("2024新生", "己", pid(6), "B1"),
        ("2024新生", "庚", pid(7), "三班团支部"), ("无此任务", "己", pid(6), "B1")])
    write(tmp_path / "dues" / "2024-09.csv", [
        ("2024年09月团费交纳明细",),
        ("团员姓名", "所在团支部", "当月应交金额（元）", "当月交纳状态", "手机号码", "身份证号码"),
        ("甲", "B2", "0.20", "已交", "", pid(1)),
        ("乙", "B1", "0.2", "未交", "13800000002", ""),
        ("乙", "B1", "0.2", "未交", "13800000002", ""),
        ("乙", "B1", "0.2", "已交", "13800000002", ""),
        ("无名", "B1", "3", "未交", "1", ""),
        ("丙", "B1", "5", "未交", "", pid(3))])
    for month in range(3, 9):
        write(tmp_path / "dues" / f"2024-0{month}.csv", [
            ("月份", "团员姓名", "所在团支部", "当月应交金额（元）", "当月交纳状态", "身份证号码"),
            (f"2024年{month}月", "丙", "B1", "-1" if month == 3 else "5", "未交", pid(3))])
    write(tmp_path / "notes.txt", [("not an export",)])
    return tmp_path


def test_each_row_is_loaded_merged_or_quarantined_for_its_reason(province):
    """Bad IDs, labels, dates, organizations and duplicates are quarantined; same rows merge."""
    fates = compute_all(province).dispositions
    by_kind = fates.groupby(["kind", "disposition"]).size().to_dict()
    assert by_kind == {
        ("orgs", "loaded"): 7, ("orgs", "merged"): 1, ("orgs", "invalid"): 2,
        ("orgs", "duplicate"): 1,
        ("members", "loaded"): 5, ("members", "merged"): 1, ("members", "invalid"): 4,
        ("members", "duplicate"): 1,
        ("cadres", "loaded"): 10, ("transfers", "loaded"): 4, ("transfers", "invalid"): 1,
        ("campaigns", "loaded"): 3, ("roster", "loaded"): 4, ("roster", "invalid"): 1,
        ("dues", "loaded"): 8, ("dues", "invalid"): 2, ("dues", "duplicate"): 2,
    }
    reasons = set(fates["reason"].dropna())
    assert {"invalid ID number", "not a branch", "negative amount", "member not found",
            "campaign not found", "duplicate"} <= reasons
    assert any(r.startswith("unknown label") for r in reasons)
    assert any(r.startswith("date does not parse") for r in reasons)


def test_a_member_in_two_branches_counts_once_where_last_reviewed(province):
    ref = compute_all(province)
    assert ref.members.set_index("name").loc["甲", "branch_id"] == "B2"
    assert ref.metrics("B1")["members_active"] == 2  # 乙 and 丙; 己 is disabled


@pytest.mark.parametrize("org, expected", [
    ("P", {"records": 10, "in_scope": 6, "out_of_scope": 4, "onboarded_in_scope": 4,
           "onboarding_rate": 0.6667, "branches_without_cadre": 1}),
    ("B1", {"records": 3, "in_scope": 2, "out_of_scope": 1, "onboarded_in_scope": 1,
            "onboarding_rate": 0.5, "branches_without_cadre": 0}),
    ("B2", {"records": 3, "in_scope": 1, "out_of_scope": 2, "onboarded_in_scope": 1,
            "onboarding_rate": 1.0, "branches_without_cadre": 0}),
])
def test_cadre_scope_with_the_smartphone_exception(province, org, expected):
    """A branch's operator stands in only when no secretary of the branch is onboarded."""
    assert compute_all(province).metrics(org)["cadres"] == expected


def test_dues_keep_the_paid_line_and_count_six_unpaid_months(province):
    dues = compute_all(province).metrics("P")["dues"]
    assert dues == {"month": "2024-09", "billed_members": 3, "paid_members": 2,
                    "compliance": 0.6667, "amount_due_yuan": 5.4, "amount_paid_yuan": 0.4,
                    "arrears_6plus_members": 1}  # 丙: April to September unpaid
    august = compute_all(province).metrics("B1", month="2024-08")["dues"]
    assert august["arrears_6plus_members"] == 0  # March's line was quarantined: no six in a row


def test_transfers_by_direction_across_the_subtree(province):
    ref = compute_all(province)
    assert ref.metrics("U")["transfers"] == {"pending_out": 1, "pending_in": 1, "completed": 1,
                                             "returned": 1}
    assert ref.metrics("P")["transfers"] == {"pending_out": 1, "pending_in": 0, "completed": 1,
                                             "returned": 1}


def test_campaign_is_the_latest_of_ancestors_and_descendants(province):
    ref = compute_all(province)
    reg = ref.metrics("B1")["registration"]
    assert reg == {"campaign": "2024新生", "deadline": "2024-09-30", "roster": 3, "approved": 1,
                   "pending": 1, "completion_approved": 0.3333, "completion_submitted": 0.6667}
    assert ref.metrics("P")["registration"]["campaign"] == "另一任务"
    assert ref.metrics("U", campaign="2024新生")["registration"]["roster"] == 4
