"""The progress page (进展) end to end in headless Chromium: the demo province loaded on three dates
a week apart (the generator's later dates: the same people, with progress), served by its own
`zhtj serve`. From the province, the worst responder's link at each level down to a 团支部, the
period switched to the first load, and the list of items open over 14 days downloaded and
compared with followups."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request

import pytest

import followups
import queries
from accounts.masking import mask_mobile, mask_name
from tests.browser.conftest import (CHROMIUM, MEMBERS, ROOT, SEED, Server, Tab,
                                    free_port, make_accounts, zhtj, zhtj_command)

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} missing (as root, `make test` installs chromium)",
                allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright for Python is not installed")

from tests.browser.test_cadres_quality import download_csv, screenshot  # noqa: E402
from tests.browser.test_dashboard import (  # noqa: E402
    BRANCH_TYPE, display_name, href, org, path_names, root_org)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

LATER = ("2024-10-15", "2024-10-22")
FIRST_LOAD = "2024年10月8日（第 1 次导入）"


@pytest.fixture(scope="module")
def progress_db(demo_db, tmp_path_factory):
    """The other browser tests' database (the province on 2024-10-08), then the same province
    on two later dates, each loaded by `zhtj etl` over the one before."""
    folder = tmp_path_factory.mktemp("progress")
    db = folder / "zhtj.duckdb"
    shutil.copy(demo_db, db)
    archive = demo_db.with_name(demo_db.name + ".history")
    if archive.exists():
        shutil.copytree(archive, db.with_name(db.name + ".history"))
    for day in LATER:
        files = folder / day
        zhtj("generate", "--members", str(MEMBERS), "--seed", str(SEED), "--out", str(files),
             "--as-of", day)
        zhtj("etl", str(files), "--db", str(db), "--allow-skipped", "--as-of", f"{day}T12:00:00",
             "--quiet")
    return db


@pytest.fixture(scope="module")
def progress_server(progress_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("progress_server")
    accounts_path, log = folder / "accounts.sqlite", folder / "serve.log"
    accounts = make_accounts(progress_db, accounts_path)
    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*zhtj_command(), "serve", "--db", str(progress_db), "--host", "127.0.0.1",
             "--port", str(port), "--accounts", str(accounts_path)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    server = Server(f"http://127.0.0.1:{port}", progress_db, log, proc, accounts)
    try:
        deadline = time.monotonic() + 60
        while True:
            server.check_alive()
            try:
                with urllib.request.urlopen(server.base_url + "/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8", errors="replace")
            time.sleep(0.2)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture()
def ptab(browser, progress_server, tmp_path):
    t = Tab(browser, progress_server, tmp_path)
    try:
        yield t
    finally:
        t.close()


@pytest.fixture(scope="module")
def pconn(progress_db):
    from etl.metrics import connect

    with connect(progress_db) as c:
        yield c


def expected_cards(conn, o: dict, period) -> dict[str, str]:
    rows = followups.summary(conn, {"seq": o["seq"], "seq_last": o["seq_last"]}, period)
    return {r["kind"]: f"{r['open']:,} 项" for r in rows}


def cards(page) -> dict[str, str]:
    found = page.eval_on_selector_all(
        ".kpi-value[id^=progress-]", "els => els.map(e => [e.id, e.textContent.trim()])")
    return {i.removeprefix("progress-").removesuffix("-value"): v for i, v in found}


def test_progress_from_the_province_to_a_branch_then_an_earlier_period(ptab, pconn):
    page = ptab.page
    here = root_org(pconn)
    default = followups.choose(pconn)
    assert default.from_load == 2 and default.end.load_id == 3
    ptab.open(href("/progress", org=here["org_id"]))
    page.locator("#progress-reading").wait_for()
    assert cards(page) == expected_cards(pconn, here, default)
    reading = page.locator("#progress-reading").inner_text()
    total = followups.totals(followups.summary(pconn, here, default))
    assert reading.startswith("自 2024年10月15日（第 2 次导入） 以来：")
    assert f"已解决 {total['resolved']:,} 项，新增 {total['new']:,} 项" in reading
    page.locator("#progress-burndown .main-svg").first.wait_for()
    page.locator("#progress-children-table a").first.wait_for()
    screenshot(ptab, "progress-province")

    # Down the worst responder's link at each level, keeping the page.
    while here["org_type"] != BRANCH_TYPE:
        children = followups.children(pconn, here, default)
        worst = children.iloc[0]
        link = page.locator("#progress-children-table a").first
        assert link.inner_text().strip() == worst["org_name"]
        link.click()
        here = {**org(pconn, worst["org_id"]), "org_name": worst["org_name"]}
        ptab.wait_for_org(display_name(here))
        assert ptab.breadcrumb() == path_names(pconn, here["org_id"])
        assert ptab.url_params()["org"] == here["org_id"]
        page.locator("#progress-reading").wait_for()
        assert cards(page) == expected_cards(pconn, here, default)
    assert page.locator("#progress-children-table").count() == 0  # a branch: nothing below

    # Compare with the first load instead.
    page.locator("#progress-from").click()
    page.locator(".dash-dropdown-option", has_text=FIRST_LOAD).click()
    page.wait_for_function("() => location.search.includes('from=1')")
    ptab.settle()
    page.locator("#progress-reading").wait_for()
    earlier = followups.choose(pconn, from_load=1)
    assert ptab.url_params()["org"] == here["org_id"]
    assert page.locator("#progress-reading").inner_text().startswith(f"自 {FIRST_LOAD} 以来：")
    assert cards(page) == expected_cards(pconn, here, earlier)
    assert page.locator("#progress-period").inner_text() == (
        f"对比 {FIRST_LOAD} 与 2024年10月22日（第 3 次导入）")

    # The items open over 14 days, as a branch takes them away.
    want, total = followups.items(pconn, here, earlier, "over_14_days")
    page.locator("#progress-over14 .ag-row, #progress-over14 .ag-overlay").first.wait_for()
    screenshot(ptab, "progress-branch")
    table = download_csv(ptab, "progress-over14-csv",
                         f"超过14天未解决事项_{here['full_name']}_20241022.csv")
    header, body = table[0], table[1:]
    assert header == ["组织", "上级组织", "事项", "详情", "开始待办", "已待办（天）", "联系人",
                      "手机号码"]
    assert len(body) == total == len(want)
    for got, w in zip(body, want.to_dict("records")):
        assert got[0] == here["full_name"] == w["org_name"]
        assert int(got[5]) == w["days_open"] >= 14
        assert got[6] == (mask_name(w["contact_name"]) if w["contact_name"] else "")
        assert got[7] == (mask_mobile(w["contact_mobile"]) if w["contact_mobile"] else "")
        assert not any(kind in " ".join(got) for kind in followups.KINDS)
    ptab.assert_clean()


def test_overview_card_links_to_the_progress_page(ptab, pconn):
    page = ptab.page
    here = root_org(pconn)
    ptab.open(href("/", org=here["org_id"]))
    link = page.locator("#kpi-cadres-progress")
    link.wait_for()
    assert link.inner_text().startswith("跟进：待办 ")
    link.click()
    page.wait_for_function("() => location.pathname === '/progress'")
    ptab.settle()
    assert ptab.url_params()["org"] == here["org_id"]
    page.locator("#progress-reading").wait_for()
    assert queries.rows("load_info", pconn)[0]["load_id"] == 3
    ptab.assert_clean()
