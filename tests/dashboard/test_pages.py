"""The pages' callbacks, called directly on the hand-written province."""

from __future__ import annotations

import csv
import io

from urllib.parse import quote

import pytest

from dashboard import navigator
from dashboard.app import render_view
from dashboard.grids import download, rows_response
from dashboard.pages import overview, registration
from dashboard.view import View
from etl.metrics import compute, connect
from tests.dashboard.conftest import find, render_all, revealed, text


def test_the_default_view_is_the_first_root_in_chinese(store):
    page = render_all(store, "/", "")
    assert text(find(page, "breadcrumb")) == "共青团另一省委员会"
    assert "数据截至 2024年10月8日 12:00" in text(find(page, "freshness"))
    assert find(page, "lang-switch").href == "/?lang=en"


@pytest.mark.parametrize("org", ["P", "U", "G1", "B11"])
def test_overview_cards_match_zhtj_metrics(store, province_db, org):
    with connect(province_db) as conn:
        m = compute(conn, org)
    page = render_all(store, "/", f"?org={org}")
    assert text(find(page, "kpi-members-value")) == f"{m['members_active']:,}"
    assert text(find(page, "kpi-reviews-value")) == f"{m['reviews_pending']:,}"
    assert text(find(page, "kpi-transfers-out-value")) == str(m["transfers"]["pending_out"])
    assert text(find(page, "kpi-transfers-in-value")) == str(m["transfers"]["pending_in"])
    rate = m["cadres"]["onboarding_rate"]
    assert text(find(page, "kpi-cadres-value")) == ("—" if rate is None else f"{rate:.1%}")
    reg = m["registration"]
    if reg is not None and reg["completion_approved"] is not None:
        assert text(find(page, "kpi-completion-value")) == f"{reg['completion_approved']:.1%}"


def test_overview_in_english_and_an_unknown_organization(store):
    page = render_all(store, "/", "?org=U&lang=en")
    assert "Active members" in text(find(page, "kpi-members"))
    assert find(page, "lang-switch").href == "/?org=U&lang=zh"
    missing = render_all(store, "/", "?org=nope")
    assert "没有这个组织" in text(find(missing, "problem"))


def test_overview_ranks_children_worst_first_on_the_chosen_figure(store):
    page = render_all(store, "/", "?org=U&rank=completion_approved&campaign=2024级新生报到")
    table = text(find(page, "overview-rank-table"))
    # G1 40.0% is worse than G2 50.0%
    assert table.index("计算机学院") < table.index("数学学院")
    assert overview.register  # the rank picker writes the URL:
    assert View(org="U").search(rank="reviews_pending") == "?org=U&rank=reviews_pending&lang=zh"


def test_breadcrumb_links_go_up_the_tree(store):
    page = render_all(store, "/registration", "?org=B11&lang=en")
    crumbs = find(page, "breadcrumb")
    links = [li.children for li in crumbs.children.children]
    assert [getattr(a, "href", None) for a in links] == [
        "/registration?org=P&lang=en", "/registration?org=U&lang=en",
        "/registration?org=G1&lang=en", None]


def test_search_finds_by_name_and_by_pinyin_initials(store):
    view = View(page="registration", org="P")
    by_name = navigator.search_results(store, "计算机", view)
    by_initials = navigator.search_results(store, "jsj", view)
    for found in (by_name, by_initials):
        hrefs = [r.href for r in found]
        assert "/registration?org=G1&lang=zh" in hrefs and "/registration?org=B11&lang=zh" in hrefs
    assert "没有找到" in text(navigator.search_results(store, "zzzz", view)[0])
    assert navigator.search_results(store, "  ", view) == []


def test_tree_click_drills_down_and_the_centre_goes_up(store):
    view = View(page="overview", org="U", lang="en")
    assert navigator.drill_target(store, {"points": [{"customdata": "G1"}]}, view) == \
        "?org=G1&lang=en"
    assert navigator.drill_target(store, {"points": [{"customdata": "U"}]}, view) == \
        "?org=P&lang=en"
    assert navigator.drill_target(store, {"points": [{}]}, view) is None
    assert navigator.drill_target(store, None, view) is None


def test_drilling_keeps_a_campaign_only_where_it_concerns_the_target(store):
    view = View(org="U", campaign="2024级转专业报到")  # run by G2
    assert navigator.drill_target(store, {"points": [{"customdata": "G2"}]}, view) == \
        "?org=G2&campaign=" + quote("2024级转专业报到") + "&lang=zh"
    assert navigator.drill_target(store, {"points": [{"customdata": "G1"}]}, view) == \
        "?org=G1&lang=zh"


def test_registration_page_shows_the_campaign_and_children_completion(store):
    page = render_all(store, "/registration", "?org=U&campaign=2024级新生报到")
    assert find(page, "registration-campaign").value == "2024级新生报到"
    assert text(find(page, "reg-roster-value")) == "7"
    assert text(find(page, "reg-approved-value")) == "42.9%"
    table = text(find(page, "registration-children-table"))
    assert "计算机学院" in table and "40.0%" in table and "50.0%" in table


def test_registration_without_a_campaign_says_so(store):
    page = render_all(store, "/registration", "?org=W")
    assert find(page, "registration-none") is not None


def test_lagging_branches_grid_pages_and_download(store):
    spec = registration.branches_spec()
    got = rows_response(spec, store, "/registration", "?org=U&campaign=2024级新生报到",
                        {"startRow": 0, "endRow": 100})
    names = [r["branch_name"] for r in got["rowData"]]
    assert got["rowCount"] == 3 and len(names) == 3
    assert set(names) == {"计算机学院2024级1班团支部", "计算机学院2024级2班团支部",
                          "数学学院2024级1班团支部"}
    with revealed():
        shown = rows_response(registration.branches_spec(), store, "/registration",
                              "?org=U&campaign=2024级新生报到", {"startRow": 0, "endRow": 100})
    b11 = next(r for r in shown["rowData"] if r["branch_name"].startswith("计算机学院2024级1班"))
    assert b11["operator_name"] == "c6"  # the operator (c6), not the secretary (c5)
    sent = download(spec, store, "/registration", "?org=U&campaign=2024级新生报到&lang=en",
                    None, "csv")
    assert sent["filename"].endswith(".csv") and "共青团某大学委员会" in sent["filename"]
    rows = list(csv.reader(io.StringIO(sent["content"].lstrip("\ufeff"))))
    assert rows[0][0] == "Branch" and len(rows) == 4


def test_contacts_are_masked_unless_revealed(store):
    masked = rows_response(registration.branches_spec(), store, "/registration",
                           "?org=B21&campaign=2024级新生报到", {"startRow": 0, "endRow": 10})
    with revealed():
        shown = rows_response(registration.branches_spec(), store, "/registration",
                              "?org=B21&campaign=2024级新生报到", {"startRow": 0, "endRow": 10})
    assert masked["rowData"][0]["operator_name"] == "c*"
    assert shown["rowData"][0]["operator_name"] == "c7"


def test_grid_sort_and_filter_come_only_from_fixed_lists():
    from dashboard.grids import request_params

    spec = registration.branches_spec()
    req = {"sortModel": [{"colId": "branch_name; drop table x", "sort": "asc"},
                         {"colId": "roster", "sort": "desc"}],
           "filterModel": {"parent_name": {"filter": "数学", "type": "contains"},
                           "roster": {"filter": "1"}}}
    assert request_params(spec, req) == {"sort": "roster", "descending": True,
                                         "name_filter": "数学"}
