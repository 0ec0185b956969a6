"""/admin/alerts: an admin manages the subscriptions of their subtree, test-sends one to a robot
the test starts on 127.0.0.1, sees the channels' secrets masked and the delivery log."""

from __future__ import annotations

import re

from dashboard.app import Settings, create_app
from tests.dashboard.secured import PASSWORD, sign_in
from tests.notify.test_alerts import KEY, site, two_loads  # noqa: F401

from accounts.store import AccountStore


def app_for(site):
    store = AccountStore(site["accounts"])
    store.add("u-viewer", "U", "viewer", PASSWORD)
    return create_app(Settings(db=site["db"], accounts=site["accounts"],
                               notify_settings=site["settings"],
                               notify_secrets=site["secrets"]))


def post(client, **form):
    page = client.get("/admin/alerts").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    data = {"csrf": token, **form}
    return client.post("/admin/alerts", data=data, follow_redirects=True)


def test_add_test_send_pause_and_delete(site):
    """The admin of U adds a subscription of U, test-sends it (the robot gets it, the log says
    sent), pauses and deletes it; the key is shown masked only; each change is audited."""
    client = sign_in(app_for(site), "u-admin")
    page = client.get("/admin/alerts").get_data(as_text=True)
    assert "college" in page and KEY not in page and "k-0****ef" in page
    added = post(client, action="add", org="U", channel="college", lang="zh", role="viewer",
                 rules=["stuck_transfer", "review_overdue"]).get_data(as_text=True)
    assert "已新建订阅 #1" in added and "在某一环节等待超过 7 天的组织关系转接" in added
    tested = post(client, action="test", id="1").get_data(as_text=True)
    assert "订阅 #1 已测试发送：成功 1" in tested
    markdown = [r.json() for r in site["robot"].sends() if r.json()["msgtype"] == "markdown"]
    assert markdown and markdown[0]["markdown"]["content"].startswith("### 测试 / test")
    assert "已发送" in tested.split('id="alerts-log"')[1]
    assert "已暂停" in post(client, action="pause", id="1").get_data(as_text=True)
    assert "尚无订阅" in post(client, action="delete", id="1").get_data(as_text=True)
    import sqlite3

    con = sqlite3.connect(site["accounts"].with_name("audit.sqlite"))
    actions = [r[0] for r in con.execute("select action from audit order by rowid")]
    con.close()
    for action in ("subscription_add", "alert_queued", "subscription_pause",
                   "subscription_remove"):
        assert action in actions


def test_outside_the_subtree_and_non_admins_are_refused(site):
    """The admin of U may not subscribe the province; a viewer may not open the page."""
    app = app_for(site)
    client = sign_in(app, "u-admin")
    refused = post(client, action="add", org="P", channel="college", rules=["stuck_transfer"])
    assert "outside your scope: P" in refused.get_data(as_text=True)
    assert sign_in(app, "u-viewer").get("/admin/alerts").status_code == 403
