"""The dues page's callbacks on the hand-written province (dues March-September 2024)."""

from __future__ import annotations

import csv
import io

import plotly.graph_objects as go
import pytest

from dashboard import navigator
from dashboard.grids import download, rows_response
from dashboard.pages import dues
from dashboard.view import parse
from etl.metrics import compute, connect
from tests.dashboard.conftest import find, render_all, revealed, text

FIRST_PAGE = {"startRow": 0, "endRow": 100}


@pytest.mark.parametrize("org, month", [("P", None), ("U", None), ("B11", None),
                                        ("P", "2024-08"), ("B31", "2024-07")])
def test_dues_cards_match_zhtj_metrics(store, province_db, org, month):
    """Compliance, paid of billed, amounts and 6+ months in arrears: as `zhtj metrics
    --month` says (its default month is the latest, as the page's)."""
    with connect(province_db) as conn:
        m = compute(conn, org, month=month)["dues"]
    page = render_all(store, "/dues", f"?org={org}" + (f"&month={month}" if month else ""))
    assert text(find(page, "dues-compliance-value")) == f"{m['compliance']:.1%}"
    sub = text(find(page, "dues-compliance"))
    assert f"已交 {m['paid_members']} / 应交 {m['billed_members']} 人" in sub
    assert text(find(page, "dues-amounts-value")) == f"{m['amount_paid_yuan']:,.2f} 元"
    assert f"应交 {m['amount_due_yuan']:,.2f} 元" in text(find(page, "dues-amounts"))
    assert text(find(page, "dues-lapsing-value")) == str(m["arrears_6plus_members"])


def test_the_cards_compare_with_the_month_before(store):
    """P: 20% in September as in August (±0); 6+ months in arrears 2, one more than August."""
    page = render_all(store, "/dues", "?org=P")
    assert text(find(page, "dues-compliance-delta")) == "±0.0 个百分点 较上月"
    assert text(find(page, "dues-lapsing-delta")) == "+1 较上月"
    assert "另有 1 人连续4–5个月未交" in text(find(page, "dues-lapsing"))
    assert text(find(page, "dues-range-value")) == f"{3 / 28:.1%}"  # March-September: 3 of 28


def test_an_unknown_month_falls_back_to_the_latest(store):
    page = render_all(store, "/dues", "?org=P&month=2019-01&lang=en")
    assert text(find(page, "dues-reading")).startswith("Sep 2024: compliance 20.0%")
    assert find(page, "dues-month").value == "2024-09"


def test_a_month_without_bills_in_the_subtree_says_so(store):
    page = render_all(store, "/dues", "?org=X&month=2024-08")
    assert "2024年8月本组织没有团费账单" in text(find(page, "dues-empty-month"))


def test_children_are_worst_first_and_link_down(store):
    page = render_all(store, "/dues", "?org=P")
    table = find(page, "dues-children-table")
    rows = table.children[1].children
    assert [r.children[0].children.children for r in rows] == ["共青团某工业园区工作委员会",
                                                               "共青团某大学委员会"]
    assert rows[0].children[0].children.href == "/dues?org=W&lang=zh"
    assert "2 个下级组织中有 0 个2024年9月交费率低于上月" in text(find(page, "dues-children-reading"))


def test_the_heatmap_has_a_row_per_child_and_a_click_drills_into_it(store):
    page = render_all(store, "/dues", "?org=P&month=2024-09&since=2024-07")
    fig = go.Figure(find(page, "dues-heatmap").figure)
    (trace,) = fig.data
    assert list(trace.x) == ["2024年7月", "2024年8月", "2024年9月"]
    assert list(trace.y) == ["共青团某大学委员会", "共青团某工业园区工作委员会"]  # worst on top
    assert list(trace.z[1]) == [0.0, 0.0, 0.0]
    assert list(trace.z[0]) == [0.0, 0.25, 0.25]
    click = {"points": [{"customdata": trace.customdata[1][2]}]}
    view = parse("/dues", "?org=P&month=2024-09&since=2024-07")
    assert navigator.drill_target(store, click, view) == "?org=W&month=2024-09&since=2024-07&lang=zh"


def test_trend_ageing_and_voluntary_figures_are_valid(store):
    page = render_all(store, "/dues", "?org=P&lang=en")
    for graph in ("dues-trend", "dues-ageing", "dues-ageing-months", "dues-voluntary-chart",
                  "dues-children-chart"):
        go.Figure(find(page, graph).figure)  # raises on an invalid figure
    ageing = go.Figure(find(page, "dues-ageing").figure).data[0]
    assert list(ageing.y) == [1, 1, 1, 2]
    assert "Voluntary payments over the range: ¥2.00" in text(page)


def test_the_standard_table_shows_the_default_standard(store):
    page = render_all(store, "/dues", "?org=P")
    table = text(find(page, "dues-standard-table"))
    assert "学生 0.20 元" in table and "在职·月收入10000元以上 20.00 元" in table


def test_arrears_list_is_masked_longest_run_first(store):
    got = rows_response(dues.arrears_spec(), store, "/dues", "?org=P", FIRST_PAGE)
    assert [r["name"] for r in got["rowData"]] == ["m*", "m*", "m*", "m*", "m*"]
    assert [r["unpaid_months"] for r in got["rowData"]] == [7, 6, 4, 3, 1]
    assert got["rowData"][0]["status"] == "⚠ 满6个月：可按自行脱团处理"
    assert got["rowData"][2]["status"] == "即将满6个月"
    assert got["rowCount"] == 5


def test_arrears_list_follows_the_month_and_filters_by_branch(store):
    request = {**FIRST_PAGE, "filterModel": {"branch_name": {"filter": "2024级2班"}}}
    with revealed():
        got = rows_response(dues.arrears_spec(), store, "/dues", "?org=P&month=2024-07",
                            request)
    assert [(r["name"], r["unpaid_months"]) for r in got["rowData"]] == [("m6", 2)]


def test_arrears_download_is_the_whole_list_for_the_branch(store):
    """The file a branch gets: named for the list, organization and as-of date; masked."""
    sent = download(dues.arrears_spec(), store, "/dues", "?org=B11", None, "csv")
    assert sent["filename"] == "欠费团员名单_计算机学院2024级1班团支部_20241008.csv"
    rows = list(csv.DictReader(io.StringIO(sent["content"].lstrip("\ufeff"))))
    assert [(r["姓名"], r["连续未交月数"], r["累计欠交（元）"]) for r in rows] == [
        ("m*", "7", "1.4"), ("m*", "3", "0.6"), ("m*", "1", "0.0")]
    xlsx = download(dues.arrears_spec(), store, "/dues", "?org=B11", None, "xlsx")
    assert xlsx["filename"].endswith(".xlsx") and xlsx["base64"]


def test_branch_summary_lists_branches_lowest_compliance_first(store):
    got = rows_response(dues.branches_spec(), store, "/dues", "?org=P", FIRST_PAGE)
    assert [r["branch_name"] for r in got["rowData"]] == [
        "计算机学院2024级1班团支部", "某公司团支部", "计算机学院2024级2班团支部"]
    assert got["rowData"][0]["operator_name"] == "c*"
    assert got["rowData"][2]["compliance"] == "50.0%"


def test_the_period_pickers_write_the_url_only_on_a_change(store):
    view = parse("/dues", "?org=P")
    assert dues.period_search(store, view, "2024-09", "2024-03") is None  # the period in effect
    assert dues.period_search(store, view, "2024-08", "2024-03") == (
        "?org=P&month=2024-08&since=2024-03&lang=zh")
    assert dues.period_search(store, view, "2024-05", "2024-07") == (
        "?org=P&month=2024-05&lang=zh")


def test_the_quality_page_counts_bills_off_standard(store):
    page = render_all(store, "/quality", "?org=P")
    assert "团费与标准不符" in text(page)


def test_a_branch_filter_in_the_arrears_grid_tests_branch_names_only(store):
    """Typed in the branch column, 'm' matches no branch (every member's name has one)."""
    by_branch = {**FIRST_PAGE, "filterModel": {"branch_name": {"filter": "m"}}}
    by_name = {**FIRST_PAGE, "filterModel": {"name": {"filter": "m9"}}}
    assert rows_response(dues.arrears_spec(), store, "/dues", "?org=P", by_branch)["rowCount"] == 0
    assert rows_response(dues.arrears_spec(), store, "/dues", "?org=P", by_name)["rowCount"] == 1
