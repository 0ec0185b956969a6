"""Sign-in end to end in headless Chromium: a college operator (made by `zhtj user demo`) opens a
link, signs in, sees their college only (the breadcrumb starts there, the search finds nothing
outside it), is refused another college by a tampered URL, and signs out. No console error
(the Content-Security-Policy included) and nothing fetched from outside 127.0.0.1."""

from __future__ import annotations

import csv
import io

import pytest

import queries
from tests.browser.conftest import CHROMIUM, Tab

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} missing (as root, `make test` installs chromium)",
                allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright for Python is not installed")

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

OPERATOR = "demo-college-operator"
ADMIN = "demo-province-admin"


def _org(conn, org_id: str) -> dict:
    return queries.rows("org_lookup", conn, org_id=org_id)[0]


def _sibling(conn, college: dict) -> dict:
    parent = _org(conn, college["parent_org_id"])
    children = queries.rows("org_children_metrics", conn, seq=parent["seq"],
                            seq_last=parent["seq_last"], depth=parent["depth"], levels=1,
                            campaign_id=None, dues_month=None)
    return next(_org(conn, c["org_id"]) for c in children if c["org_id"] != college["org_id"])


def _name(o: dict) -> str:
    return o["short_name"] or o["full_name"]


def test_an_operator_signs_in_sees_their_college_only_and_signs_out(browser, server, conn,
                                                                     tmp_path):
    _, college_id, role = server.accounts[OPERATOR]
    assert role == "operator"
    college = _org(conn, college_id)
    sibling = _sibling(conn, college)
    tab = Tab(browser, server, tmp_path, account=None)
    try:
        page = tab.page
        # A shared link opens the login page first, then the view it named.
        page.goto(f"{server.base_url}/registration?org={college_id}")
        page.wait_for_selector("#login-form")
        assert "/login?next=" in page.url
        tab.screenshot("login")
        page.fill("#login-name", OPERATOR)
        page.fill("#login-password", "wrong password")
        page.click("#login-submit")
        assert "账号或密码不正确" in page.inner_text("#login-message")
        # The refused sign-in answered 401, as it should; the browser logs that as an error.
        tab.log.failed.clear()
        tab.log.console_errors = [e for e in tab.log.console_errors if "401" not in e]
        page.fill("#login-password", server.accounts[OPERATOR][0])
        page.click("#login-submit")
        tab.settle()
        assert tab.url_params()["org"] == college_id
        assert tab.breadcrumb() == [_name(college)]  # nothing above the college
        assert OPERATOR in page.inner_text("#account-name")
        tab.screenshot("signed-in-operator")

        # The lagging branches to chase, with their operators' names in full (an operator).
        page.wait_for_selector("#registration-branches .ag-row")
        with page.expect_download() as info:
            page.locator("#registration-branches-csv").click()
        target = tab.downloads / info.value.suggested_filename
        info.value.save_as(target)
        title, body = target.read_text(encoding="utf-8-sig").split("\n", 1)
        assert title.strip() == "演示数据（虚构，非真实组织）"  # the demo province says so
        rows = list(csv.DictReader(io.StringIO(body)))
        assert rows and any(r["联系人"] and "*" not in r["联系人"] for r in rows)

        # The home link and the search stay inside the college.
        page.click(".app-title")
        tab.wait_for_org(_name(college))
        page.fill("#nav-search", _name(sibling)[:4])
        page.wait_for_selector("#nav-results .list-group-item")
        links = page.eval_on_selector_all("#nav-results a", "els => els.map(e => e.href)")
        assert not any(f"org={sibling['org_id']}" in h for h in links)

        # A tampered URL: refused, nothing of the other college shown.
        tab.open(f"/registration?org={sibling['org_id']}")
        assert "无权查看该组织" in page.inner_text("#problem")
        assert _name(sibling) not in page.inner_text("body")
        tab.screenshot("refused-other-college")

        # Sign out: the login page says so, and the dashboard asks to sign in again.
        page.click("#logout-button")
        page.wait_for_selector("#login-form")
        assert "已退出登录" in page.inner_text("#login-message")
        page.goto(server.base_url + "/")
        page.wait_for_selector("#login-form")
        tab.assert_clean()
    finally:
        tab.close()

    # The province admin reads the download, and the refusal, in the audit log.
    admin = Tab(browser, server, tmp_path, account=ADMIN)
    try:
        admin.page.goto(server.base_url + "/admin")
        admin.page.wait_for_selector("#admin-audit")
        log = admin.page.inner_text("#admin-audit")
        assert "download" in log and "registration-branches" in log and OPERATOR in log
        assert "refusal" in log and sibling["org_id"] not in log  # named, not by id
        assert OPERATOR in admin.page.inner_text("#admin-accounts")
        admin.screenshot("admin")
        admin.assert_clean()
    finally:
        admin.close()
