"""The progress page's callbacks on the hand-written province loaded three times, a week apart
(tests/followups/history.py): the cards against `zhtj progress`, the period in the URL, the
burn-down, the organizations below and their links, the lists (masked) and their downloads, and
the links under the overview's cards."""

from __future__ import annotations

import csv
import io
import re

import plotly.graph_objects as go
import pytest

from dashboard import navigator
from dashboard.grids import download, rows_response
from dashboard.pages import progress
from dashboard.progress_lists import spec
from dashboard.store import DataStore
from dashboard.view import parse
from etl.followup import KINDS, compute
from etl.metrics import connect
from tests.dashboard.conftest import find, render_all, revealed, text
from tests.followups import history

FIRST_PAGE = {"startRow": 0, "endRow": 100}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return history.build(tmp_path_factory.mktemp("progress_page"))


@pytest.fixture()
def store(db):
    return DataStore(db)


@pytest.mark.parametrize("search, since", [("?org=P", None), ("?org=U&from=1", "2024-10-08"),
                                           ("?org=G1&since=2024-10-16", "2024-10-15")])
def test_cards_are_zhtj_progress(store, db, search, since):
    """Each kind's card: open now, and new · resolved · over 14 days, as `zhtj progress` says
    for the same period (the URL's load, or the latest load on or before its day)."""
    import datetime as dt

    org = parse("/progress", search).org
    with connect(db) as conn:
        want = compute(conn, org, since=dt.date.fromisoformat(since) if since else None)
    page = render_all(store, "/progress", search)
    for kind in KINDS:
        c = want["items"][kind]
        assert text(find(page, f"progress-{kind}-value")) == f"{c['open']} 项"
        assert text(find(page, f"progress-{kind}-sub")) == (
            f"新增 {c['new']} · 已解决 {c['resolved']} · 超过14天 {c['open_over_14_days']}")


def test_the_default_period_reads_the_previous_load(store):
    """Load 2 to load 3 at P: the reading, the period line, a card's change since the start."""
    page = render_all(store, "/progress", "?org=P")
    assert text(find(page, "progress-period")) == (
        "对比 2024年10月15日（第 2 次导入） 与 2024年10月22日（第 3 次导入）")
    assert text(find(page, "progress-reading")) == (
        "自 2024年10月15日（第 2 次导入） 以来：已解决 2 项，新增 1 项；仍待办 18 项，"
        "其中 16 项已超过14天")
    assert text(find(page, "progress-stuck_transfer-delta")) == "−1 较 2024年10月15日"
    assert text(find(page, "progress-cadre_out_of_scope-delta")) == "±0 较 2024年10月15日"
    assert find(page, "progress-from").value == 2
    assert text(find(page, "progress-burndown-reading")) == "待办事项由 19 项 降至 18 项"


@pytest.mark.parametrize("search", ["?org=P&from=99", "?org=P&from=x", "?org=P&since=2024-13-01",
                                    "?org=P&since=yesterday", "?org=P&month=2024-09"])
def test_unknown_period_values_are_ignored(store, search):
    page = render_all(store, "/progress", search)
    assert "第 2 次导入" in text(find(page, "progress-period"))
    assert find(page, "progress-from").value == 2


def test_a_day_before_every_load_shows_the_open_items_only(store):
    page = render_all(store, "/progress", "?org=P&since=2024-09-01")
    assert text(find(page, "progress-period")) == (
        "没有更早的导入可对比：只显示 2024年10月22日（第 3 次导入） 的待办事项")
    assert text(find(page, "progress-reading")) == (
        "2024年10月22日（第 3 次导入）：待办 18 项，其中 16 项已超过14天")
    assert text(find(page, "progress-review_overdue-sub")) == "其中超过14天 2"


def test_burndown_stacks_the_kinds_over_the_loads_of_the_period(store):
    page = render_all(store, "/progress", "?org=P&from=1")
    fig = go.Figure(find(page, "progress-burndown").figure)
    assert fig.layout.title.text == "待办事项（各次导入）"
    x = ["2024年10月8日", "2024年10月15日", "2024年10月22日"]
    by_name = {trace.name: list(trace.y) for trace in fig.data}
    assert all(list(trace.x) == x for trace in fig.data)
    assert by_name["超出录入范围的团干部"] == [3, 2, 2]
    assert by_name["停滞超过7天的转接"] == [4, 4, 3]
    assert [a.text for a in fig.layout.annotations] == ["19 项", "19 项", "18 项"]


def test_children_are_ranked_and_link_down_keeping_the_period(store):
    page = render_all(store, "/progress", "?org=P&from=1")
    table = find(page, "progress-children-table")
    rows = table.children[1].children
    assert [r.children[0].children.children for r in rows] == [
        "共青团某工业园区工作委员会", "共青团某大学委员会"]
    assert rows[0].children[0].children.href == "/progress?org=W&from=1&lang=zh"
    cells = [text(c) for c in rows[1].children]
    assert cells[1:] == ["16", "2", "12.5%", "14 天", "16", "2", "14", "2024年10月8日起（14 天）"]
    assert text(find(page, "progress-children-reading")) == (
        "共青团某工业园区工作委员会 解决率最低：0.0%（已解决 0 / 期初待办 2）")
    fig = go.Figure(find(page, "progress-children-chart").figure)
    (bars,) = fig.data
    assert list(bars.customdata) == ["U", "W"]  # worst on top: last in the trace
    click = {"points": [{"customdata": "U"}]}
    view = parse("/progress", "?org=P&from=1")
    assert navigator.drill_target(store, click, view) == "?org=U&from=1&lang=zh"


def test_a_branch_has_no_ranking(store):
    page = render_all(store, "/progress", "?org=B11")
    assert find(page, "progress-children-table") is None
    assert text(find(page, "progress-reading")).startswith("自 2024年10月15日")


def test_lists_show_each_item_with_its_contact_masked(store):
    got = rows_response(spec("resolved"), store, "/progress", "?org=P", FIRST_PAGE)
    assert got["rowCount"] == 2
    first = got["rowData"][0]
    assert first["org_name"] == "计算机学院2024级1班团支部" and first["kind"] == "超出录入范围的团干部"
    assert first["detail"] == "c*（组织委员）" and first["contact_name"] == "c*"
    assert first["open_since"] == "2024年10月8日" and first["resolved_at"] == "2024年10月22日"
    assert first["days_to_resolve"] == 14
    with revealed():
        shown = rows_response(spec("resolved"), store, "/progress", "?org=P", FIRST_PAGE)
    assert shown["rowData"][0]["detail"] == "c6（组织委员）"
    new = rows_response(spec("new"), store, "/progress", "?org=P&from=1", FIRST_PAGE)
    assert [r["detail"] for r in new["rowData"]] == ["c*（其他）", "m*，2024年10月6日 提交"]
    over = rows_response(spec("over_14_days"), store, "/progress", "?org=P",
                         {**FIRST_PAGE, "sortModel": [{"colId": "kind", "sort": "asc"}],
                          "filterModel": {"org_name": {"filter": "计算机"}}})
    assert over["rowCount"] == 9
    assert over["rowData"][0]["detail"] == "2024级新生报到：已审核 1 / 名单 3 人"


def test_a_list_downloads_whole_and_masked(store):
    sent = download(spec("over_14_days"), store, "/progress", "?org=U", None, "csv")
    assert sent["filename"] == "超过14天未解决事项_共青团某大学委员会_20241022.csv"
    rows = list(csv.DictReader(io.StringIO(sent["content"].lstrip("\ufeff"))))
    assert len(rows) == 14
    assert list(rows[0]) == ["组织", "上级组织", "事项", "详情", "开始待办", "已待办（天）", "联系人",
                             "手机号码"]
    assert all(not r["联系人"] or "*" in r["联系人"] for r in rows)
    assert any("7个月" in r["详情"] or "连续 7 个月" in r["详情"] for r in rows)
    xlsx = download(spec("resolved"), store, "/progress", "?org=U", None, "xlsx")
    assert xlsx["filename"].endswith(".xlsx") and xlsx["base64"]


def test_the_pickers_write_the_url_only_on_a_change(store):
    view = parse("/progress", "?org=P")
    pick = progress.period_search
    assert pick(store, view, 2, None, {"progress-from", "progress-since"}) is None  # appearing
    assert pick(store, view, 1, None, {"progress-from"}) == "?org=P&from=1&lang=zh"
    assert pick(store, view, 2, "2024-10-14", {"progress-since"}) == (
        "?org=P&since=2024-10-14&lang=zh")
    dated = parse("/progress", "?org=P&since=2024-10-14")
    assert pick(store, dated, 1, "2024-10-14", {"progress-from", "progress-since"}) is None
    assert pick(store, dated, 2, "2024-10-14", {"progress-from"}) == "?org=P&from=2&lang=zh"
    assert pick(store, dated, 1, None, {"progress-since"}) == "?org=P&lang=zh"
    assert pick(store, view, 2, "14/10/2024", {"progress-since"}) is None  # not a day
    assert pick(store, view, 2, "2024-02-30", {"progress-since"}) is None


def test_the_chinese_page_shows_no_codes_and_the_english_one_no_chinese(store):
    zh = text(render_all(store, "/progress", "?org=P&from=1"))
    assert not any(kind in zh for kind in KINDS)
    assert not re.search(r"\b(None|nan|NaT|True|False)\b", zh)
    en = render_all(store, "/progress", "?org=P&from=1&lang=en")
    assert text(find(en, "progress-reading")) == (
        "Since 8 Oct 2024 (load 1): 3 resolved, 2 new; 18 still open, 16 of them for over "
        "14 days")
    assert text(find(en, "progress-lagging_branch-value")) == "4 items"
    words = text(find(en, "progress-page"))
    names = set(re.findall(r"[\u4e00-\u9fff]+", words))
    org_names = {"共青团某工业园区工作委员会", "共青团某大学委员会"}
    assert names <= org_names


def test_overview_cards_link_to_the_progress_page(store):
    page = render_all(store, "/", "?org=U")
    link = find(page, "kpi-cadres-progress")
    assert link.href == "/progress?org=U&lang=zh"
    assert text(link).strip() == "跟进：待办 5 · 已解决 1"  # c3, c4, c7, c9, B12; c6 resolved
    assert text(find(page, "kpi-transfers-out-progress")).strip() == "跟进：待办 3 · 已解决 1"
    assert find(page, "kpi-members-progress") is None
