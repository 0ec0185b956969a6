"""The dashboard end to end in headless Chromium: the demo province served by `zhtj serve`,
searched, drilled into by clicking the tree chart, reloaded, navigated back, switched to English,
and its lagging branches downloaded; every figure checked against `zhtj metrics` or the report
queries.

All tests share one server (one xdist group); each opens its own browser context, saves a
screenshot of what it shows under test-output/screenshots/, and ends with no console error and no
request that left 127.0.0.1.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlencode

import pytest

import queries
from dashboard.i18n import t
from dashboard.pages.registration import BRANCH_COLUMNS
from etl.metrics import compute
from etl.org_search import initials
from tests.browser.conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} missing (as root, `make test` installs chromium)",
                allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright for Python is not installed")
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

BRANCH_TYPE = 5  # 团支部
COLLEGE_TYPE = 4  # 团总支 (a college's)
PAGE_ROWS = 20  # the grids' page size
SEARCH_LIMIT = 12


# -- what the database says -----------------------------------------------------------------

def org(conn, org_id: str) -> dict:
    return queries.rows("org_lookup", conn, org_id=org_id)[0]


def root_org(conn) -> dict:
    return org(conn, queries.rows("load_info", conn)[0]["root_org_id"])


def display_name(o: dict) -> str:
    return o.get("org_name") or o["short_name"] or o["full_name"]


def path_names(conn, org_id: str) -> list[str]:
    """The breadcrumb the app should show: the organization and its ancestors, root first."""
    return [r["org_name"] for r in queries.rows("org_ancestors", conn, org_id=org_id)]


def biggest_child(conn, o: dict) -> dict:
    """The child with the most active members (then the first in tree order)."""
    kids = queries.rows("org_children_metrics", conn, seq=o["seq"], seq_last=o["seq_last"],
                        depth=o["depth"], levels=1, campaign_id=None, dues_month=None)
    assert kids, f"{o['full_name']} has no children"
    return min(kids, key=lambda k: (-(k["members_active"] or 0), k["seq"]))


def campaign_of(conn, o: dict) -> dict | None:
    found = queries.rows("org_campaign", conn, seq=o["seq"], seq_last=o["seq_last"],
                         campaign=None)
    return found[0] if found else None


def lagging_branches(conn, o: dict, campaign_id: int) -> list[dict]:
    return queries.rows("registration_branches", conn, seq=o["seq"], seq_last=o["seq_last"],
                        campaign_id=campaign_id, sort="risk", descending=False,
                        name_filter=None, at_risk_only=False, limit=1_000_000, offset=0)


def college_with_campaign(conn) -> tuple[dict, dict, list[dict]]:
    """The college (团总支) with a campaign that has the most lagging branches."""
    colleges = queries.rows("org_search", conn, q="团总支", seq=root_org(conn)["seq"],
                            seq_last=root_org(conn)["seq_last"], limit=100_000)
    best = None
    for c in colleges:
        o = org(conn, c["org_id"])
        if o["org_type"] != COLLEGE_TYPE:
            continue
        campaign = campaign_of(conn, o)
        if campaign is None:
            continue
        rows = lagging_branches(conn, o, campaign["campaign_id"])
        if best is None or len(rows) > len(best[2]):
            best = (o, campaign, rows)
    assert best and best[2], "the demo province has no college with lagging branches"
    return best


def href(path: str, **params) -> str:
    return path + ("?" + urlencode(params) if params else "")


def pct(part, whole) -> str:
    return f"{float(part) / float(whole) * 100:.1f}%" if whole else "—"


def expected_kpis(m: dict) -> dict[str, str]:
    """The overview's cards as `zhtj metrics` figures read: 12,345 and 85.3%."""
    c, d, tr, reg = m["cadres"], m["dues"], m["transfers"], m["registration"]
    out = {
        "kpi-members": f"{m['members_active']:,}",
        "kpi-reviews": f"{m['reviews_pending']:,}",
        "kpi-cadres": pct(c["onboarded_in_scope"], c["in_scope"]),
        "kpi-dues": pct(d["paid_members"], d["billed_members"]) if d else "—",
        "kpi-transfers-out": f"{tr['pending_out']:,}",
        "kpi-transfers-in": f"{tr['pending_in']:,}",
    }
    if reg is not None:
        out["kpi-completion"] = pct(reg["approved"], reg["roster"])
    return out


# -- what the browser does ------------------------------------------------------------------

def click_sector(page, label: str) -> None:
    """Click the tree chart's sector labelled so, at the centre of its label (a sector's own
    bounding box can lie mostly outside it: it is an arc)."""
    exact = re.compile(rf"^\s*{re.escape(label)}\s*$")
    page.locator("#nav-tree g.slice").first.wait_for()
    sector = page.locator("#nav-tree g.slice").filter(
        has=page.locator("text.slicetext", has_text=exact))
    assert sector.count() == 1, (
        f"{sector.count()} sectors labelled {label!r}; labels: "
        f"{page.locator('#nav-tree g.slice text.slicetext').all_text_contents()}")
    box = sector.locator("text.slicetext").bounding_box()
    assert box and box["width"] > 0, f"the sector {label!r} shows no label to click"
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def search_results(page) -> list[str]:
    return [s.strip() for s in
            page.locator("#nav-results .nav-result > span:first-child").all_text_contents()]


def search(tab, text: str, expected: list[str]) -> None:
    """Type into the search box and wait for the results the query gives."""
    page = tab.page
    page.fill("#nav-search", text)
    try:
        page.wait_for_function(
            """want => JSON.stringify(Array.from(document.querySelectorAll(
                   '#nav-results .nav-result > span:first-child'),
                   s => s.textContent.trim())) === JSON.stringify(want)""", arg=expected)
    except PlaywrightTimeout:
        pass  # the assertion below says what differs
    assert search_results(page) == expected, f"search {text!r}"


def check_overview(tab, conn, o: dict, page=None, *, metrics: dict | None = None) -> dict:
    """The breadcrumb, the URL's org and the KPI cards of one organization's overview."""
    page = page or tab.page
    assert tab.breadcrumb(page) == path_names(conn, o["org_id"])
    if o["depth"] > 0:
        assert tab.url_params(page).get("org") == o["org_id"]
    page.wait_for_selector("#kpi-members-value")
    m = metrics or compute(conn, o["org_id"])
    shown = tab.kpis(page)
    assert shown == expected_kpis(m), f"figures of {o['full_name']}"
    return shown


# -- the tests ------------------------------------------------------------------------------

def test_overview_of_the_province(tab, server, conn):
    root = root_org(conn)
    tab.open("/")
    assert tab.breadcrumb() == [root["short_name"] or root["full_name"]]
    check_overview(tab, conn, root, metrics=server.metrics(root["org_id"]))
    page = tab.page
    assert page.locator("#freshness").inner_text().startswith("数据截至 2024年10月8日 12:00")
    # The generated province is demo data, and the header says so beside the title.
    assert page.locator("#demo-badge").inner_text().strip() == "演示数据"
    assert page.locator("#demo-badge").is_visible()
    assert not page.locator("#demo-badge-bar").is_visible()  # the phone's place for it
    assert page.locator("#nav-tree g.slice").count() > 1
    assert page.locator("#overview-rank-table tbody tr").count() > 0
    assert page.locator("#nav-overview").get_attribute("class").split().count("active") == 1
    tab.screenshot("overview")
    tab.assert_clean()


def test_drill_by_tree_chart_to_a_branch_reload_and_back(tab, server, conn):
    page = tab.page
    tab.open("/")
    current = root_org(conn)
    trail = [current]
    while current["org_type"] != BRANCH_TYPE:
        child = biggest_child(conn, current)
        click_sector(page, child["org_name"])
        tab.wait_for_org(child["org_name"])
        current = org(conn, child["org_id"])
        trail.append(current)
        assert tab.url_params().get("org") == current["org_id"]
        assert tab.breadcrumb() == path_names(conn, current["org_id"])
        page.wait_for_selector("#kpi-members-value")
        assert tab.kpis()["kpi-members"] == f"{child['members_active']:,}"
        assert len(trail) < 10, "no 团支部 reached"
    assert len(trail) >= 4, [o["full_name"] for o in trail]
    branch = trail[-1]
    shown = check_overview(tab, conn, branch, metrics=server.metrics(branch["org_id"]))
    tab.screenshot("branch")

    # The copied URL, opened in a new page, shows the same view.
    copied = page.url
    other = tab.new_page()
    other.goto(copied)
    tab.settle(other)
    tab.wait_for_org(display_name(branch), other)
    assert other.url == copied
    assert tab.breadcrumb(other) == tab.breadcrumb()
    assert tab.kpis(other) == shown
    other.close()

    # Back: the organization above, as it was.
    page.go_back()
    parent = trail[-2]
    tab.wait_for_org(display_name(parent))
    check_overview(tab, conn, parent)

    # The centre of the chart goes up one more level.
    click_sector(page, display_name(parent))
    grand = trail[-3]
    tab.wait_for_org(display_name(grand))
    check_overview(tab, conn, grand)
    tab.assert_clean()


def test_search_by_name_and_by_pinyin_initials(tab, conn):
    page = tab.page
    root = root_org(conn)
    scope = {"seq": root["seq"], "seq_last": root["seq_last"]}
    college, _, _ = college_with_campaign(conn)
    tab.open("/")

    # Part of the college's name (without its university).
    text = college["short_name"] or college["full_name"][-8:]
    found = queries.rows("org_search", conn, q=text.lower(), **scope, limit=SEARCH_LIMIT)
    names = [r["full_name"] for r in found]
    assert college["full_name"] in names
    search(tab, text, names)
    page.locator("#nav-results .nav-result").nth(names.index(college["full_name"])).click()
    tab.wait_for_org(display_name(college))
    assert tab.url_params().get("org") == college["org_id"]
    assert tab.breadcrumb() == path_names(conn, college["org_id"])

    # The pinyin initials of one of its branches: the branch is found, first.
    branch = org(conn, biggest_child(conn, college)["org_id"])
    while branch["org_type"] != BRANCH_TYPE:
        branch = org(conn, biggest_child(conn, branch)["org_id"])
    code = initials(branch["full_name"])
    assert re.fullmatch(r"[0-9a-z]+", code), code
    found = queries.rows("org_search", conn, q=code, **scope, limit=SEARCH_LIMIT)
    names = [r["full_name"] for r in found]
    assert names and names[0] == branch["full_name"]
    search(tab, code, names)
    page.locator("#nav-results .nav-result").first.click()
    tab.wait_for_org(display_name(branch))
    assert tab.url_params().get("org") == branch["org_id"]

    # The shortest tail of the initials (6 letters at least) that still finds the branch,
    # typed in capitals: found as well.
    for start in range(len(code) - 6, 0, -1):
        part = code[start:]
        found = queries.rows("org_search", conn, q=part, **scope, limit=SEARCH_LIMIT)
        names = [r["full_name"] for r in found]
        if branch["full_name"] in names:
            break
    assert branch["full_name"] in names, (code, names)
    search(tab, part.upper(), names)
    # Nothing matches: a message, no links.
    page.fill("#nav-search", "zzzzzzqqqq")
    page.wait_for_selector("#nav-results >> text=没有找到匹配的组织")
    assert page.locator("#nav-results .nav-result").count() == 0
    tab.screenshot("search")
    tab.assert_clean()


def test_switch_language(tab, conn):
    page = tab.page
    college, _, _ = college_with_campaign(conn)
    tab.open(href("/", org=college["org_id"]))
    zh = check_overview(tab, conn, college)
    assert page.locator("#lang-switch").inner_text().strip() == "English"
    assert page.locator("#kpi-members .kpi-label").inner_text().strip() == "在册团员"
    page.locator("#lang-switch").click()
    page.wait_for_function(
        "() => document.querySelector('#lang-switch')?.textContent.trim() === '中文'")
    tab.settle()
    params = tab.url_params()
    assert params.get("lang") == "en" and params.get("org") == college["org_id"]
    assert page.locator("#kpi-members .kpi-label").inner_text().strip() == "Active members"
    assert page.locator("#nav-overview").inner_text().strip() == "Overview"
    assert page.locator("#freshness").inner_text().startswith("Data as of 8 Oct 2024 12:00")
    assert tab.kpis() == zh
    assert tab.breadcrumb() == path_names(conn, college["org_id"])
    assert page.locator("[lang=en]").count() >= 1
    tab.screenshot("overview_en")
    # The language stays with the view when drilling and changing page.
    page.locator("#nav-registration").click()
    tab.settle()
    page.wait_for_selector("#registration-branches")
    assert tab.url_params().get("lang") == "en"
    assert page.locator("#registration-branches-csv").inner_text().strip() == "Download CSV"
    assert "Lagging branches" in page.locator("#registration-page").inner_text()
    tab.screenshot("registration_en")
    tab.assert_clean()


def test_registration_lagging_branches_csv(tab, conn):
    page = tab.page
    college, campaign, rows = college_with_campaign(conn)
    tab.open(href("/registration", org=college["org_id"]))
    tab.wait_for_org(display_name(college))
    page.wait_for_selector("#registration-days-left")
    picked = page.locator("#registration-campaign").inner_text()
    assert campaign["campaign"] in picked

    # The grid (infinite row model) shows the first page of the same rows.
    grid_rows = page.locator("#registration-branches .ag-center-cols-container .ag-row")
    grid_rows.first.wait_for()
    page.wait_for_function(
        "n => document.querySelectorAll("
        "'#registration-branches .ag-center-cols-container .ag-row').length === n",
        arg=min(PAGE_ROWS, len(rows)))
    shown = page.eval_on_selector_all(
        "#registration-branches .ag-center-cols-container .ag-row",
        """rs => rs.map(r => [Number(r.getAttribute('row-index')),
                              r.querySelector('[col-id="branch_name"]').textContent.trim()])""")
    assert [n for _, n in sorted(shown)] == [r["branch_name"] for r in rows[:PAGE_ROWS]]
    headers = [h.strip() for h in page.locator(
        "#registration-branches .ag-header-cell-text").all_text_contents()]
    tab.screenshot("registration")

    # The CSV: UTF-8 with a byte-order mark, headed as the grid, every lagging branch.
    with page.expect_download() as info:
        page.locator("#registration-branches-csv").click()
    download = info.value
    assert download.suggested_filename == (
        f"落后团支部_{college['full_name']}_20241008.csv")
    target = tab.downloads / download.suggested_filename
    download.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == ["演示数据（虚构，非真实组织）"]  # the demo province's title row
    header, body = table[1], table[2:]
    assert header == [t(c.label, "zh") for c in BRANCH_COLUMNS]
    # (the grid draws only the columns in view)
    assert len(headers) >= 3 and header[:len(headers)] == headers, headers
    assert header[:3] == ["团支部", "上级组织", "应报到"]
    assert len(body) == len(rows)
    assert [r[0] for r in body] == [r["branch_name"] for r in rows]
    assert {r[0] for r in body} == {r["branch_name"] for r in rows}
    for got, want in zip(body, rows):
        assert got[1] == (want["parent_name"] or "")
        assert [int(x) for x in got[2:6]] == [want["roster"], want["approved"], want["pending"],
                                             want["not_submitted"]]
        assert got[6] == pct(want["approved"], want["roster"])
        assert got[8] == ("可能逾期" if want["is_at_risk"] else "")
        # Contacts are masked: 张*明, 138****1234.
        assert got[10] == "" or re.fullmatch(r"\d{3}\*+\d{4}", got[10]), got[10]
        assert got[9] == "" or "*" in got[9] or len(got[9]) == 1, got[9]
    tab.assert_clean()


def test_transfers_page(tab, conn):
    page = tab.page
    root = root_org(conn)
    scope = {"seq": root["seq"], "seq_last": root["seq_last"]}
    tab.open("/transfers")
    page.wait_for_selector("#tr-pending-out-value")
    assert tab.breadcrumb() == [display_name(root)]
    counts = queries.rows("transfer_counts", conn, **scope)[0]
    for key in ("pending_out", "pending_in", "pending_within", "completed"):
        value = page.locator(f"#tr-{key.replace('_', '-')}-value").inner_text().strip()
        assert value == f"{counts[key] or 0:,}", key
    for graph in ("transfers-status", "transfers-by-step", "transfers-timely",
                  "transfers-returned", "transfers-flows"):
        page.locator(f"#{graph} .main-svg").first.wait_for()
    assert page.locator("#transfers-reading").inner_text().strip() != ""
    page.locator("#nav-tree g.slice").first.wait_for()

    stuck = queries.rows("transfer_stuck", conn, **scope, min_days=7, limit=1_000_000,
                         offset=0, sort="days", descending=True, name_filter=None)
    selector = "#transfers-stuck .ag-center-cols-container .ag-row"
    if stuck:
        page.wait_for_function(
            "([s, n]) => document.querySelectorAll(s).length === n",
            arg=[selector, min(PAGE_ROWS, len(stuck))])
        shown = page.eval_on_selector_all(
            selector,
            """rs => rs.map(r => [Number(r.getAttribute('row-index')),
                   r.querySelector('[col-id="from_org_name"]').textContent.trim(),
                   r.querySelector('[col-id="id_number"]').textContent.trim()])""")
        shown.sort()
        assert [s[1] for s in shown] == [r["from_org_name"] for r in stuck[:PAGE_ROWS]]
        for _, _, id_number in shown:  # ID numbers always masked
            assert re.fullmatch(r"\w{4}\*+\w{4}", id_number), id_number
    else:
        page.wait_for_selector("#transfers-stuck .ag-overlay-no-rows-center")
    tab.screenshot("transfers")
    tab.assert_clean()


# -- bugs found by these tests, fixed ------------------------------------------------------------

def test_back_leaves_a_freshly_opened_overview(tab):
    page = tab.page
    page.goto(tab.server.base_url + "/assets/LICENSES.md")
    tab.open("/")
    page.wait_for_selector("#overview-rank")
    tab.settle()
    page.go_back()
    page.wait_for_url("**/assets/LICENSES.md", timeout=3_000)


def test_search_box_fills_its_field(tab):
    page = tab.page
    tab.open("/")
    size = page.evaluate("""() => {
        const input = document.querySelector('#nav-search');
        const field = input.closest('.form-control') || input;
        return {input: input.getBoundingClientRect().width,
                field: field.getBoundingClientRect().width,
                fits: input.scrollWidth <= input.clientWidth
                      && input.scrollHeight <= input.clientHeight + 1}; }""")
    assert size["input"] >= 0.8 * size["field"] and size["fits"], size
