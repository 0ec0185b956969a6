"""In the browser: an admin opens /admin, goes to the alert subscriptions, subscribes their
organization's WeCom group (a robot server the test starts on 127.0.0.1), and test-sends it."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request

import pytest

from tests.browser.conftest import (CHROMIUM, ROOT, Server, Tab, free_port, make_accounts,
                                    zhtj_command)
from tests.notify.conftest import RobotServer

pytestmark = [pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is needed"),
              pytest.mark.xdist_group("browser")]
KEY = "browser-robot-key-0001"


@pytest.fixture()
def alerts_server(demo_db, tmp_path):
    """`zhtj serve --settings` with a WeCom channel on a robot of the test's own."""
    robot = RobotServer().start()
    settings = tmp_path / "settings.toml"
    settings.write_text('[notify]\npublic_url = "https://example.org"\n'
                        '[notify.channels.college-group]\nkind = "wecom"\n'
                        f'url = "{robot.url}/cgi-bin/webhook/send"\n', encoding="utf-8")
    accounts_path = tmp_path / "accounts.sqlite"
    accounts = make_accounts(demo_db, accounts_path)
    secrets = tmp_path / "notify-secrets.toml"
    secrets.write_text(f'[channels.college-group]\nkey = "{KEY}"\n', encoding="utf-8")
    os.chmod(secrets, 0o600)
    port, log = free_port(), tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*zhtj_command(), "serve", "--db", str(demo_db), "--port", str(port),
             "--accounts", str(accounts_path), "--settings", str(settings)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/health", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        yield Server(base_url=base, db=demo_db, log=log, proc=proc, accounts=accounts), robot
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        robot.stop()


def test_an_admin_subscribes_the_group_and_test_sends(browser, alerts_server, tmp_path):
    server, robot = alerts_server
    admin = next(n for n, (_, _, role) in server.accounts.items() if role == "admin")
    tab = Tab(browser, server, tmp_path, account=admin)
    try:
        page = tab.page
        page.goto(server.base_url + "/admin")
        page.click("#admin-alerts-link")
        page.wait_for_selector("#alerts-page")
        assert KEY not in page.content() and "bro****01" in page.inner_text("#alerts-channels")
        page.check("#rule-stuck_transfer")
        page.check("#rule-review_overdue")
        page.select_option("select[name=channel]", "college-group")
        page.click("#alerts-add-submit")
        page.wait_for_selector("#alerts-notice")
        assert "已新建订阅 #1" in page.inner_text("#alerts-notice")
        page.click("#alerts-test-1")
        page.wait_for_selector("#alerts-notice")
        assert "订阅 #1 已测试发送：成功 1" in page.inner_text("#alerts-notice")
        assert "已发送" in page.inner_text("#alerts-log")
        sends = [r.json() for r in robot.sends()]
        markdown = [s["markdown"]["content"] for s in sends if s["msgtype"] == "markdown"]
        assert markdown and "测试 / test" in markdown[0]
        assert "https://example.org/" in "".join(markdown)
        assert all(r.query == {"key": KEY} for r in robot.requests)
        tab.screenshot("admin-alerts")
        tab.assert_clean()
    finally:
        tab.close()
