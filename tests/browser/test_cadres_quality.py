"""The cadres (团干部) and data-quality (数据质量) pages end to end in headless Chromium, on
the server the other browser tests share: a 团支部 with an out-of-scope cadre record reached by
clicking the tree chart, its record explained in the grid and its follow-up list downloaded;
the latest load's quarantine shown and downloaded row for row, reconciled with the load log.
Every figure is checked against `etl.metrics.compute` (as `zhtj metrics`) or the report queries.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import pytest

import queries
from dashboard.i18n import t
from accounts.masking import mask_id, mask_mobile, mask_name
from dashboard.pages.cadres import FOLLOWUP_COLUMNS
from dashboard.pages.quality import PERSONAL, QUARANTINE_COLUMNS
from etl.metrics import compute
from tests.browser.conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} missing (as root, `make test` installs chromium)",
                allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright for Python is not installed")

from tests.browser.test_dashboard import (  # noqa: E402
    BRANCH_TYPE, PAGE_ROWS, click_sector, display_name, org, path_names, pct, root_org)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

OUT_OF_SCOPE_RULES = ("C4", "C5")  # a 团支部's records beyond its secretary
AS_OF_STAMP = "20241008"
# The tree chart as the app draws it (dashboard.navigator): two levels for a small subtree.
MAX_TREE_NODES, TWO_LEVELS_MAX_ORGS = 120, 3000
ID_NUMBER = re.compile(r"\d{17}[\dXx]")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


# -- what the database says -----------------------------------------------------------------

def scope(o: dict) -> dict:
    return {"seq": o["seq"], "seq_last": o["seq_last"]}


def detections(conn, o: dict) -> list[dict]:
    return queries.rows("cadre_detections", conn, **scope(o), rule_code=None, name_filter=None,
                        sort=None, descending=False, limit=None, offset=0)


def followup(conn, o: dict) -> list[dict]:
    return queries.rows("cadre_followup", conn, **scope(o), item_kind=None, name_filter=None,
                        sort=None, descending=False, limit=None, offset=0)


def chart_labels(conn, o: dict) -> list[str]:
    """The sectors' labels of the tree chart centred on o."""
    levels = 2 if o["seq_last"] - o["seq"] <= TWO_LEVELS_MAX_ORGS else 1
    nodes = queries.rows("org_children_metrics", conn, **scope(o), depth=o["depth"],
                         levels=levels, campaign_id=None, dues_month=None)
    if levels == 2 and len(nodes) > MAX_TREE_NODES:
        nodes = [n for n in nodes if n["depth"] == o["depth"] + 1]
    return [n["org_name"] for n in nodes]


def branch_out_of_scope(conn) -> tuple[dict, dict, list[dict]]:
    """The first 团支部 in tree order, four levels or more below the province, with a C4 record
    (else C5) that can be reached by clicking the tree chart: each organization on the way is
    the only sector of its chart with its label. The branch, its first such record, the path."""
    by_org: dict[str, list[dict]] = {}
    for d in detections(conn, root_org(conn)):
        by_org.setdefault(d["org_id"], []).append(d)
    for rule in OUT_OF_SCOPE_RULES:
        for org_id, found in by_org.items():
            record = next((d for d in found if d["rule_code"] == rule), None)
            o = org(conn, org_id)
            if record is None or o["org_type"] != BRANCH_TYPE or o["depth"] < 4:
                continue
            trail = [org(conn, a["org_id"])
                     for a in queries.rows("org_ancestors", conn, org_id=org_id)]
            if all(chart_labels(conn, up).count(display_name(down)) == 1
                   for up, down in zip(trail, trail[1:])):
                return o, record, trail
    raise AssertionError("the demo province has no reachable 团支部 with a C4/C5 record")


# -- what the browser does ------------------------------------------------------------------

def grid_rows(page, grid_id: str, columns: list[str]) -> list[list[str]]:
    """The rows of the grid's current page, in row order: the text of these columns. The grid
    draws only the rows in view: its body is scrolled from top to bottom to see them all."""
    return page.evaluate(
        """async ([gid, cols]) => {
             const viewport = document.querySelector(`#${gid} .ag-body-viewport`);
             const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 30)));
             const seen = new Map();
             viewport.scrollTop = 0;
             for (;;) {
               await frame(); await frame();
               for (const r of document.querySelectorAll(
                      `#${gid} .ag-center-cols-container .ag-row`)) {
                 seen.set(Number(r.getAttribute('row-index')), cols.map(c => {
                   const cell = r.querySelector(`[col-id="${c}"]`);
                   return cell === null ? null : cell.textContent.trim(); }));
               }
               if (viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - 1) break;
               viewport.scrollTop += Math.max(1, viewport.clientHeight - 40);
             }
             viewport.scrollTop = 0;
             return Array.from(seen.keys()).sort((a, b) => a - b).map(k => seen.get(k));
           }""",
        [grid_id, columns])


def eventually(read, expected, seconds: float = 15.0) -> bool:
    """Whether read() returns expected within the time (polled); the last value is shown."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        got = read()
        if got == expected:
            return True
        if time.monotonic() > deadline:
            assert got == expected
        time.sleep(0.3)


def wait_grid_rows(page, grid_id: str, first: int) -> None:
    """Wait until the grid shows the page starting at row `first`, loaded."""
    page.wait_for_function(
        """([gid, i]) => document.querySelector(
               `#${gid} .ag-center-cols-container .ag-row[row-index="${i}"]`) !== null
             && !document.querySelector(`#${gid} .ag-center-cols-container .ag-row-loading`)
             && !document.querySelector(`#${gid} .ag-loading`)""",
        arg=[grid_id, first])


def record_count(page, grid_id: str) -> str:
    """The total of the grid's pagination bar: 1 至 20 共 N."""
    # (textContent: the grid is `content-visibility: auto`, no innerText while off screen)
    return page.locator(f"#{grid_id} .ag-paging-row-summary-panel [id$='-row-count']"
                        ).text_content().strip()


def download_csv(tab, button_id: str, filename: str) -> list[list[str]]:
    """Click the download button; the CSV saved (UTF-8 with a byte-order mark), as rows below
    its 演示数据 title row."""
    with tab.page.expect_download() as info:
        tab.page.locator(f"#{button_id}").click()
    download = info.value
    assert download.suggested_filename == filename
    target = tab.downloads / download.suggested_filename
    download.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["演示数据（虚构，非真实组织）"]  # the demo province: a title row first
    return rows[1:]


def screenshot(tab, name: str) -> None:
    """Tab.screenshot with every grid drawn: AG Grid is `content-visibility: auto`, so a
    full-page screenshot leaves the grids below the first screen blank."""
    style = tab.page.add_style_tag(
        content=".ag-root-wrapper { content-visibility: visible !important; }")
    tab.page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 100)))")
    tab.screenshot(name)
    style.evaluate("e => e.remove()")


def table_rows(page, table_id: str) -> list[list[str]]:
    return page.eval_on_selector_all(
        f"#{table_id} tbody tr",
        "rs => rs.map(r => Array.from(r.cells, c => c.textContent.trim()))")


def kpi(page, card: str) -> tuple[str, str]:
    return (page.locator(f"#{card}-value").inner_text().strip(),
            page.locator(f"#{card} .kpi-sub").inner_text().strip())


def check_followup_csv(tab, conn, o: dict, record: dict | None) -> list[list[str]]:
    """The follow-up list downloaded at o: headed as the grid, every item of the query in its
    order, personal data masked; the out-of-scope record, when given, among them. Its rows."""
    want = followup(conn, o)
    assert want, f"{o['full_name']} has nothing to follow up"
    name = f"{t('file_cadre_followup', 'zh')}_{o['full_name']}_{AS_OF_STAMP}.csv"
    table = download_csv(tab, "cadres-followup-csv", name)
    header, body = table[0], table[1:]
    assert header == [t(c.label, "zh") for c in FOLLOWUP_COLUMNS]
    assert header[:3] == ["组织", "上级组织", "需要处理"] and header[4] == "身份证号码"
    assert len(body) == len(want) == want[0]["total_rows"]
    assert [r[0] for r in body] == [w["org_name"] for w in want]
    for got, w in zip(body, want):
        assert got[1] == (w["parent_name"] or "")
        assert got[2] == w["action_zh"]
        assert got[3] == mask_name(w["name"]), (got[3], "name unmasked?")
        assert got[4] == mask_id(w["id_number"])
        assert got[6] == (w["rule_code"] or "") and got[7] == (w["explanation_zh"] or "")
        assert got[8] == mask_name(w["contact_name"])
        assert got[9] == mask_mobile(w["contact_mobile"])
        for raw in (w["name"], w["id_number"], w["mobile"], w["contact_mobile"]):
            if isinstance(raw, str) and len(raw) > 1:
                assert raw not in got, f"unmasked {raw!r} in {got}"
    text = "\n".join(",".join(r) for r in body)
    assert not ID_NUMBER.search(text) and not MOBILE.search(text)
    if record is not None:
        mine = [r for r in body if r[0] == record["org_name"] and r[6] == record["rule_code"]
                and r[7] == record["explanation_zh"]]
        assert mine and mine[0][3] == mask_name(record["name"]), record["explanation_zh"]
        assert mine[0][4] == mask_id(record["id_number"])
    return body


# -- the tests ------------------------------------------------------------------------------

def test_cadres_drill_to_an_out_of_scope_record_and_download_the_followup(tab, conn):
    page = tab.page
    branch, record, trail = branch_out_of_scope(conn)
    tab.open("/cadres")
    assert tab.breadcrumb() == [display_name(trail[0])]
    page.wait_for_selector("#cad-in-scope-value")

    # Down the tree chart, one click a level, to the branch.
    for child in trail[1:]:
        click_sector(page, display_name(child))
        tab.wait_for_org(display_name(child))
        assert tab.url_params().get("org") == child["org_id"]
        assert page.url.split("?")[0].endswith("/cadres")
    assert tab.breadcrumb() == path_names(conn, branch["org_id"])

    # The cards: `zhtj metrics` figures of the branch.
    page.wait_for_selector("#cad-in-scope-value")
    c = compute(conn, branch["org_id"])["cadres"]
    assert c["out_of_scope"] >= 1
    assert page.locator("#cad-in-scope-value").inner_text().strip() == f"{c['in_scope']:,}"
    assert kpi(page, "cad-out-of-scope") == (f"{c['out_of_scope']:,}",
                                             f"共 {c['records']:,} 条记录")
    assert kpi(page, "cad-onboarding") == (pct(c["onboarded_in_scope"], c["in_scope"]),
                                           f"已入驻 {c['onboarded_in_scope']:,} 人")
    assert kpi(page, "cad-no-cadre") == (f"{c['branches_without_cadre']:,}", "共 1 个团支部")

    # The record in the grid, with its rule and explanation; its name masked.
    want = detections(conn, branch)
    assert len(want) == c["out_of_scope"] <= PAGE_ROWS
    wait_grid_rows(page, "cadres-detections", 0)
    cols = ["org_name", "parent_name", "name", "position_label", "rule_code", "explanation"]
    shown = grid_rows(page, "cadres-detections", cols)
    assert shown == [[w["org_name"], w["parent_name"] or "", mask_name(w["name"]),
                      w["position_label"], w["rule_code"], w["explanation_zh"]] for w in want]
    row = [mask_name(record["name"]), record["position_label"], record["rule_code"],
           record["explanation_zh"]]
    assert row in [s[2:] for s in shown], (row, shown)
    position = record["position_label"]
    if record["rule_code"] == "C4":
        assert record["explanation_zh"] == (
            f"团支部仅需录入团支部书记：本支部书记已入驻，{position}不应录入")
    assert position in record["explanation_zh"] and record["name"] not in str(shown)
    # The rules table lists the rule; the rule counts of the branch add up.
    assert record["rule_code"] in [r[0] for r in table_rows(page, "cadres-rules-table")]
    by_rule = {r[0]: int(r[-1].replace(",", "")) for r in
               table_rows(page, "cadres-by-rule-table")}
    assert sum(by_rule.values()) == c["out_of_scope"]
    assert by_rule[record["rule_code"]] == sum(w["rule_code"] == record["rule_code"]
                                               for w in want)
    wait_grid_rows(page, "cadres-followup", 0)
    screenshot(tab, "cadres_branch")

    # The follow-up list of the branch, downloaded: the record is to be removed.
    mine = check_followup_csv(tab, conn, branch, record)

    # Up one level by the breadcrumb: the parent's list holds the branch's items and more.
    parent = trail[-2]
    page.locator("#breadcrumb a", has_text=re.compile(
        rf"^\s*{re.escape(display_name(parent))}\s*$")).click()
    tab.wait_for_org(display_name(parent))
    assert tab.url_params().get("org") == parent["org_id"]
    page.locator("#cadres-followup .ag-center-cols-container .ag-row").first.wait_for()
    above = check_followup_csv(tab, conn, parent, record)
    assert len(above) >= len(mine) and all(r in above for r in mine)
    tab.assert_clean()


def test_quality_quarantine_reconciles_and_downloads(tab, conn):
    page = tab.page
    rec = queries.rows("quarantine_reconcile", conn)[0]
    assert rec["is_reconciled"], rec
    n = rec["quarantine_rows"]
    assert n > PAGE_ROWS  # the demo province quarantines rows (bad values, duplicates)
    want = queries.rows("quarantine_rows", conn, reason=None, kind=None, file_path=None,
                        name_filter=None, sort=None, descending=False, limit=None, offset=0)
    assert len(want) == n
    root = root_org(conn)
    tab.open("/quality")
    assert tab.breadcrumb() == [display_name(root)]

    # The reconciliation: the quarantine, the load log and the load's record agree.
    alert = page.locator("#quality-reconcile")
    alert.wait_for()
    assert "alert-success" in alert.get_attribute("class").split()
    assert re.sub(r"\s+", "", alert.inner_text()) == (
        f"已核对：隔离表{n:,}行，导入日志{rec['load_log_rows_quarantined']:,}行，"
        f"本次导入记录{rec['current_load_rows_quarantined']:,}行。")
    loads = table_rows(page, "quality-loads-table")
    latest = queries.rows("load_history", conn)[0]
    assert loads[0][0] == str(latest["load_id"]) and loads[0][5] == f"{n:,}"
    # The rows by reason (grouped as the query groups them; all of them, fewer than 40).
    # (Counted here from quarantine_rows: quarantine_by_reason cannot run on a SQLAlchemy
    # connection, its header's `:reason` is taken for a bind parameter.)
    by_reason = Counter((t(f"kind_{w['kind']}", "zh"), w["reason_group_zh"]) for w in want)
    reasons = table_rows(page, "quality-reasons-table")
    assert len(reasons) == len(by_reason) <= 40
    assert {(k, r): int(c.replace(",", "")) for k, r, c in reasons} == by_reason
    assert sum(by_reason.values()) == n

    # The grid: every quarantined row counted, the first and the last page as the query.
    grid = "quality-quarantine"
    cols = ["path", "row_no", "column_name", "value", "reason"]
    wait_grid_rows(page, grid, 0)
    page.wait_for_function(
        "([gid, n]) => document.querySelector("
        "`#${gid} .ag-paging-row-summary-panel [id$=\"-row-count\"]`)?.textContent.trim() === n",
        arg=[grid, f"{n:,}"])
    assert record_count(page, grid) == f"{n:,}"

    def expected(rows):
        out = []
        for w in rows:
            mask = PERSONAL.get(w["column_name"])
            value = mask(w["value"]) if mask and isinstance(w["value"], str) else (
                w["value"] or "")
            out.append([w["path"], str(w["row_no"]), w["column_name"] or "", value,
                        w["reason_zh"]])
        return out

    assert grid_rows(page, grid, cols) == expected(want[:PAGE_ROWS])
    screenshot(tab, "quality")
    page.locator(f"#{grid} .ag-paging-panel .ag-paging-button").last.click()  # 末页
    last = n - 1 - (n - 1) % PAGE_ROWS  # the first row of the last page
    wait_grid_rows(page, grid, last)
    # Under load the previous page's rows can linger for a moment after the new ones appear.
    assert eventually(lambda: grid_rows(page, grid, cols), expected(want[last:]))

    # The download: every row with its reason, ID numbers masked.
    table = download_csv(tab, f"{grid}-csv",
                         f"{t('file_quarantine', 'zh')}_{root['full_name']}_{AS_OF_STAMP}.csv")
    header, body = table[0], table[1:]
    assert header == [t(c.label, "zh") for c in QUARANTINE_COLUMNS]
    assert len(body) == n == rec["load_log_rows_quarantined"]
    assert [r[5] for r in body] == [w["reason_zh"] for w in want]
    assert [(r[0], int(r[1])) for r in body] == [(w["path"], w["row_no"]) for w in want]
    assert [r[2] for r in body] == [t(f"kind_{w['kind']}", "zh") for w in want]
    assert [r[:2] + r[3:] for r in body] == expected(want)
    ids = [(r, w) for r, w in zip(body, want) if w["column_name"] == "身份证号码"]
    assert ids, "no quarantined ID number to see masked"
    for got, w in ids:
        assert got[4] == mask_id(w["value"]) and got[4] != w["value"], got
    text = "\n".join(",".join(r) for r in body)
    assert not ID_NUMBER.search(text), ID_NUMBER.search(text)
    assert not MOBILE.search(text), MOBILE.search(text)
    tab.assert_clean()
