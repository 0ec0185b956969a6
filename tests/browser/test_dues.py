"""The dues (团费) page end to end in headless Chromium, on the server the other browser tests
share: from the province, a click on the heatmap's worst row at each level down to the 团支部
with the worst compliance, then its members in arrears downloaded and compared with the query.
"""

from __future__ import annotations

import pytest

import queries
from dashboard.i18n import t
from accounts.masking import mask_mobile, mask_name
from dashboard.pages.dues import ARREARS_COLUMNS
from tests.browser.conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} missing (as root, `make test` installs chromium)",
                allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright for Python is not installed")

from tests.browser.test_cadres_quality import AS_OF_STAMP, download_csv, screenshot  # noqa: E402
from tests.browser.test_dashboard import (  # noqa: E402
    BRANCH_TYPE, display_name, href, org, path_names, pct, root_org)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]


def latest_month(conn):
    return queries.rows("dues_months_list", conn)[0]["dues_month"]


def worst_child(conn, o: dict, month) -> dict:
    """The heatmap's top row: the child with the lowest compliance in the month."""
    cells = queries.rows("dues_heatmap", conn, org_id=o["org_id"], seq=o["seq"],
                         seq_last=o["seq_last"], month=month, since=month)
    assert cells, f"{o['full_name']} has no child with dues"
    top = min(cells, key=lambda c: c["child_rank"])
    return {**org(conn, top["org_id"]), "org_name": top["org_name"]}


def click_heatmap_top_row(page) -> None:
    """Click the heatmap's top row in its latest month (the rightmost cell), where plotly
    draws it: the axes map a category's index to pixels."""
    page.locator("#dues-heatmap .nsewdrag").first.wait_for()
    page.locator("#dues-heatmap").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """() => { const gd = document.querySelector('#dues-heatmap .js-plotly-plot');
                   const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
                   const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
                   const nx = gd.data[0].x.length, ny = gd.data[0].y.length;
                   return [box.left + xa.l2p(nx - 1), box.top + ya.l2p(ny - 1)]; }""")
    page.mouse.click(x, y)


def test_drill_to_the_worst_branch_from_the_heatmap_and_download_its_arrears(tab, conn):
    page = tab.page
    month = latest_month(conn)
    here = root_org(conn)
    tab.open(href("/dues", org=here["org_id"]))
    summary = queries.rows("dues_summary", conn, seq=here["seq"], month=month, since=month)[0]
    assert page.locator("#dues-compliance-value").inner_text().strip() == pct(
        summary["paid_members"], summary["billed_members"])
    screenshot(tab, "dues-province")

    clicks = 0
    while here["org_type"] != BRANCH_TYPE:
        target = worst_child(conn, here, month)
        click_heatmap_top_row(page)
        tab.wait_for_org(display_name(target))
        clicks += 1
        here = target
        assert tab.breadcrumb() == path_names(conn, here["org_id"])
        assert tab.url_params()["org"] == here["org_id"]
    assert clicks >= 3, "the worst branch should lie several levels down"

    want = queries.rows("dues_arrears", conn, seq=here["seq"], seq_last=here["seq_last"],
                        month=month, min_months=None, name_filter=None, filter_on=None,
                        sort=None,
                        descending=None, limit=100_000, offset=0)
    assert want, f"{here['full_name']} has nobody in arrears"
    page.locator("#dues-arrears .ag-center-cols-container .ag-row").first.wait_for()
    screenshot(tab, "dues-branch")
    name = f"{t('file_dues_arrears', 'zh')}_{here['full_name']}_{AS_OF_STAMP}.csv"
    table = download_csv(tab, "dues-arrears-csv", name)
    header, body = table[0], table[1:]
    assert header == [t(c.label, "zh") for c in ARREARS_COLUMNS]
    assert len(body) == len(want) == want[0]["total_rows"]
    for got, w in zip(body, want):
        assert got[0] == here["full_name"] == w["branch_name"]
        assert got[2] == mask_name(w["name"]) and got[3] == mask_mobile(w["mobile"])
        assert int(got[4]) == w["unpaid_months"]
        assert float(got[5]) == pytest.approx(float(w["unpaid_run_yuan"]))
        assert (got[6] != "") == (w["unpaid_months"] >= 4)
    assert [int(r[4]) for r in body] == sorted((int(r[4]) for r in body), reverse=True)
    tab.assert_clean()
