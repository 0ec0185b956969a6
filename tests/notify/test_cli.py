"""`zhtj subscribe` and `zhtj notify` from the command line, and `zhtj etl --notify`."""

from __future__ import annotations

import subprocess
import sys

from tests.notify.test_alerts import KEY, site, two_loads  # noqa: F401


def zhtj(*args):
    return subprocess.run([sys.executable, "-m", "etl.cli", *map(str, args)],
                          capture_output=True, text=True)


def test_subscribe_then_notify_then_status(site):
    """add (checked against the owner's subtree), list, a dry run, a real run to the local robot,
    --status; pause stops it; remove forgets it; every change is in the audit log."""
    where = ("--db", site["db"], "--accounts", site["accounts"])
    refused = zhtj("subscribe", "add", "--owner", "u-admin", "--org", "P", "--rules",
                   "stuck_transfer", "--channel", "college", *where)
    assert refused.returncode == 2 and "outside u-admin's subtree" in refused.stderr
    added = zhtj("subscribe", "add", "--owner", "u-admin", "--org", "U", "--rules",
                 "stuck_transfer,review_overdue", "--channel", "college", *where)
    assert added.returncode == 0 and "subscription added: 1" in added.stdout, added.stderr
    assert "stuck_transfer,review_overdue\tcollege" in zhtj("subscribe", "list", *where).stdout
    dry = zhtj("notify", *where, "--settings", site["settings"], "--dry-run")
    assert dry.returncode == 0 and "组织关系转接（4）" in dry.stdout
    assert site["robot"].requests == []
    sent = zhtj("notify", *where, "--settings", site["settings"], "--secrets", site["secrets"])
    assert sent.returncode == 0 and "sent 1," in sent.stdout, sent.stderr
    assert all(r.query == {"key": KEY} for r in site["robot"].requests)
    assert "sent 1" in zhtj("notify", *where, "--status").stdout
    assert zhtj("subscribe", "pause", "1", *where).returncode == 0
    assert "paused" in zhtj("subscribe", "list", *where).stdout
    assert zhtj("subscribe", "remove", "1", *where).returncode == 0
    assert zhtj("subscribe", "list", *where).stdout == ""
    import sqlite3

    con = sqlite3.connect(site["accounts"].with_name("audit.sqlite"))
    actions = [r[0] for r in con.execute("select action from audit order by rowid")]
    con.close()
    assert actions == ["subscription_add", "alert_queued", "alert_sent", "subscription_pause",
                       "subscription_remove"]


def test_a_channel_that_refuses_is_a_failure_with_its_answer(site):
    """A robot answering errcode 93000 (a bad key): the message waits for another attempt,
    --status shows the robot's answer (never the key) and exits 1."""
    site["robot"].respond = lambda req: (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    where = ("--db", site["db"], "--accounts", site["accounts"])
    zhtj("subscribe", "add", "--owner", "u-admin", "--org", "U", "--rules", "stuck_transfer",
         "--channel", "college", *where)
    run = zhtj("notify", *where, "--settings", site["settings"], "--secrets", site["secrets"])
    assert run.returncode == 1
    status = zhtj("notify", *where, "--status")
    assert status.returncode == 1 and "93000" in status.stdout and KEY not in status.stdout
    assert "retry at" in status.stdout
