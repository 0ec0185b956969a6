"""Subscriptions evaluated on the hand-written province (two loads): what each rule finds, one
digest per subscription to a WeCom robot the test starts on 127.0.0.1, @-mentions of exactly the
items' operators, alert once, again when worse or reopened, scope and dry run."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import pytest

from accounts.store import AccountStore
from notify.findings import Scope, evaluate
from notify.run import NotifySettings, run
from notify.rules import BY_CODE, RULES, overrides_from_settings
from notify.subscriptions import Subscriptions, default_path
from tests.notify.conftest import RobotServer
from tests.queries import province
from tests.queries.province import M, T

FIRST = dt.datetime(2024, 10, 8, 12)
SECOND = dt.datetime(2024, 10, 15, 12)
KEY = "k-0123456789abcdef"
PASSWORD = "correct horse 1"
# m2 and m8 wait for review; c6 (B11's operator besides its 书记) and c7 (B21's operator) are
# contacts: B11's contact is c6 (operator), B21's c7; their mobiles are @-mentioned.
MOBILE = {"c6": "13800000006", "c7": "13800000007", "c5": "13800000005"}
REGISTERED = {"m2": "2024-10-05 10:00:00", "m8": "2024-09-01 08:00:00"}


def data(**changes) -> dict:
    members = [{**m, "registered_at": REGISTERED[m["name"]]} if m["name"] in REGISTERED else m
               for m in province.MEMBERS]
    cadres = [{**c, "mobile": MOBILE[c["name"]]} if c["name"] in MOBILE else c
              for c in province.CADRES]
    return {**province.DATA, "members": members, "cadres": cadres, **changes}


@pytest.fixture(scope="module")
def two_loads(tmp_path_factory):
    base = tmp_path_factory.mktemp("alerts")
    first, db = base / "first.duckdb", base / "zhtj.duckdb"
    province.build_db(first, data(), as_of=FIRST)
    province.build_db(db, data(), as_of=SECOND, previous=first)
    return db


@pytest.fixture()
def site(tmp_path, two_loads):
    """Two loads of the province (a copy), an admin of U (the university), a robot server."""
    import shutil

    db = tmp_path / "zhtj.duckdb"
    shutil.copyfile(two_loads, db)
    accounts = tmp_path / "accounts.sqlite"
    AccountStore(accounts).add("u-admin", "U", "admin", PASSWORD)
    robot = RobotServer().start()
    settings = tmp_path / "settings.toml"
    settings.write_text(
        '[notify]\npublic_url = "https://example.org"\n'
        f'[notify.channels.college]\nkind = "wecom"\nurl = "{robot.url}/cgi-bin/webhook/send"\n'
        '[notify.rules.cadre_not_onboarded]\ndays = 0\n', encoding="utf-8")
    secrets = tmp_path / "notify-secrets.toml"
    secrets.write_text(f'[channels.college]\nkey = "{KEY}"\n', encoding="utf-8")
    os.chmod(secrets, 0o600)
    yield {"db": db, "accounts": accounts, "robot": robot, "settings": settings,
           "secrets": secrets, "tmp": tmp_path}
    robot.stop()


def notify(site, *, dry_run=False, now=SECOND + dt.timedelta(hours=1), out=print):
    return run(NotifySettings(db=site["db"], accounts=site["accounts"],
                              settings_file=site["settings"], secrets_file=site["secrets"],
                              dry_run=dry_run, now=now), out=out)


def subscribe(site, rules, org="U", owner="u-admin", role="viewer"):
    return Subscriptions(default_path(site["accounts"])).add(
        owner=owner, org_id=org, rules=rules, channel="college", role=role)


def test_every_rule_has_an_evaluator_and_an_explanation():
    """Rules are data: each has a page, an explanation in both languages with its thresholds."""
    for rule in RULES:
        assert rule.page.startswith("/") and rule.explain("zh") and rule.explain("en")
    assert "14" in BY_CODE["cadre_not_onboarded"].explain("en")
    assert "5%" in BY_CODE["load_quality"].explain("zh")
    assert overrides_from_settings({"notify": {"rules": {"cadre_not_onboarded": {"days": 3}}}}) \
        == {"cadre_not_onboarded": {"days": 3}}
    with pytest.raises(ValueError, match="no threshold 'weeks'"):
        overrides_from_settings({"notify": {"rules": {"cadre_not_onboarded": {"weeks": 3}}}})


def test_what_the_rules_find_in_the_university(site):
    """At U: stuck transfers t1, t2, t4, t5 with their holders; m2 and m8 overdue; m1 in arrears
    6+ (B11); the deadline rule finds the lagging branches of campaigns due within 30 days; U's
    children with nothing approved in the last 7 days are projected to miss open deadlines."""
    con = duckdb.connect(str(site["db"]), read_only=True)
    scope = Scope("U", "共青团某大学委员会", province.SEQ["U"], province.TREE["U"][1])

    def keys(code, **limits):
        rule = BY_CODE[code]
        return {(f.org_id, f.level) for f in evaluate(con, scope, rule,
                                                       rule.thresholds(limits), SECOND)}
    try:
        assert keys("stuck_transfer") == {("B12", 6), ("B11", 6), ("G2", 6), ("G1", 6)}
        assert keys("review_overdue") == {("B11", 1), ("B21", 6)}
        assert keys("arrears_6plus") == {("B11", 0)}
        assert keys("registration_deadline", days_left=30) == {("B11", 0), ("B12", 0),
                                                               ("B21", 0)}
        assert keys("registration_deadline", days_left=7) == set()
        assert keys("no_recent_load") == set()
        from notify.findings import Evaluator

        projected = Evaluator(con, scope, {}, SECOND).findings(scope, BY_CODE[
            "registration_projection"])
        assert {f.key for f in projected} == {"2024级新生报到|G1", "2024级新生报到|G2",
                                              "计算机学院补报到|G1"}  # alert_projection
    finally:
        con.close()


def test_one_digest_mentions_exactly_the_operators_and_never_prints_them(site):
    """Arrears and overdue reviews at U: one markdown digest and one text message @-mentioning
    B11's and B21's operators; no mobile in the text; names masked for a group (viewer)."""
    subscribe(site, ["arrears_6plus", "review_overdue"])
    outcome = notify(site)
    assert outcome.exit_code == 0 and len(outcome.report.sent) == 1
    sends = site["robot"].sends()
    markdown = [r.json() for r in sends if r.json()["msgtype"] == "markdown"]
    text = [r.json() for r in sends if r.json()["msgtype"] == "text"]
    content = "".join(m["markdown"]["content"] for m in markdown)
    assert "超过 48 小时未审核的报到（2）" in content and "连续 6 个月及以上未交团费的团员（1）" in content
    assert "m* 连续 7 个月未交，共 1.40 元" in content  # m1's name masked (two characters)
    assert "https://example.org/registration?org=U" in content
    assert sorted(text[0]["text"]["mentioned_mobile_list"]) == ["13800000006", "13800000007"]
    assert not any(m in content + text[0]["text"]["content"] for m in MOBILE.values())
    assert all(r.query == {"key": KEY} for r in sends)


def test_a_second_run_on_the_same_load_sends_nothing(site):
    """Alert once: the same findings on the same load are not sent again."""
    subscribe(site, ["stuck_transfer"])
    assert len(notify(site).report.sent) == 1
    count = len(site["robot"].requests)
    again = notify(site)
    assert again.report.sent == [] and len(site["robot"].requests) == count


def test_worse_or_reopened_findings_are_sent_again(site):
    """A week later the stuck transfers have waited another week (level up): sent again; a
    fixed arrears item that comes back is new again."""
    subscribe(site, ["stuck_transfer", "arrears_6plus"])
    notify(site)
    third = site["tmp"] / "third.duckdb"
    paid = [d for d in data()["dues"] if not (d["name"] == "m1" and d["month"] == "2024-09")]
    paid.append({**next(d for d in data()["dues"] if d["name"] == "m1"
                        and d["month"] == "2024-09"), "paid_status": "已交"})
    province.build_db(third, data(dues=paid), as_of=SECOND + dt.timedelta(days=1),
                      previous=site["db"])
    site["db"] = third
    outcome = notify(site, now=SECOND + dt.timedelta(days=1, hours=1))
    assert outcome.report.sent == []  # nothing worse in a day; m1's arrears fixed (forgotten)
    fourth = site["tmp"] / "fourth.duckdb"
    province.build_db(fourth, data(), as_of=SECOND + dt.timedelta(days=8), previous=third)
    site["db"] = fourth
    outcome = notify(site, now=SECOND + dt.timedelta(days=8, hours=1))
    assert len(outcome.report.sent) == 1
    messages = [r.json() for r in site["robot"].sends()]
    last = [m for m in messages if m["msgtype"] == "markdown"][-1]["markdown"]["content"]
    assert "组织关系转接（4）" in last and "连续 6 个月及以上未交团费的团员（1）" in last


def test_dry_run_prints_what_would_be_sent_and_sends_nothing(site):
    """--dry-run: the digest and its masked @-list printed; no request, nothing remembered."""
    subscribe(site, ["review_overdue"])
    printed = []
    outcome = notify(site, dry_run=True, out=printed.append)
    assert outcome.report is None and site["robot"].requests == []
    assert "超过 48 小时未审核的报到（2）" in printed[0] and "138****0006" in printed[0]
    assert len(notify(site).report.sent) == 1  # a real run afterwards still sends


def test_a_digest_of_demo_data_says_so_first_and_real_data_does_not(site):
    """A database of the generator's data (its `dataset` says demo) gives digests whose title
    and first line say 【演示数据】, so that no group takes them for real figures; real data's
    digests do not."""
    import duckdb

    from etl.dataset import record

    subscribe(site, ["review_overdue"])
    real = [e.message for e in notify(site, dry_run=True, out=lambda _: None).evaluated]
    assert real and all("演示数据" not in m.title + m.markdown for m in real)
    with duckdb.connect(str(site["db"])) as con:
        record(con, demo=True)
    demo = [e.message for e in notify(site, dry_run=True, out=lambda _: None).evaluated]
    assert demo and all(m.title.startswith("【演示数据】智慧团建提醒") for m in demo)
    assert all(m.markdown.startswith("## 【演示数据】智慧团建提醒") for m in demo)
    assert len(notify(site).report.sent) == 1
    assert "【演示数据】" in site["robot"].requests[0].json()["markdown"]["content"]


def test_a_subscription_outside_its_owners_subtree_is_skipped(site):
    """An admin of U cannot have the province's digest; a disabled owner's subscription stops."""
    subscribe(site, ["stuck_transfer"], org="P")
    outcome = notify(site)
    assert site["robot"].requests == [] and "not in u-admin's subtree" in outcome.skipped[0]


def test_the_digest_shows_no_more_than_the_owners_role(site):
    """A subscription asking for operator's names under a viewer owner stays masked."""
    AccountStore(site["accounts"]).add("u-viewer", "U", "viewer", PASSWORD)
    subscribe(site, ["arrears_6plus"], owner="u-viewer", role="admin")
    notify(site)
    content = site["robot"].sends()[0].json()["markdown"]["content"]
    assert "m* 连续 7 个月" in content


def test_the_load_accepts_a_settings_file_with_a_notify_section(site):
    """[notify] lives in the same settings file as the load's settings."""
    from etl.settings import read_settings

    assert read_settings(site["settings"]).source == Path(site["settings"])


def test_the_alert_queries_on_the_province(site):
    """org_contacts: B11's operator c6 (not its 书记 c5), B21's c7; alert_items orders by days
    waiting; alert_deadline_branches gives days left and completion; alert_arrears_coming finds
    m6 at 4 months (no bill in May ended the earlier run); alert_load_quality reads the load's
    record."""
    import queries

    con = duckdb.connect(str(site["db"]), read_only=True)
    try:
        contacts = {r["org_id"]: r["contact_name"] for r in con.execute(
            "select org_id, contact_name from org_contacts").df().to_dict("records")}
        assert contacts["B11"] == "c6" and contacts["B21"] == "c7" and "B12" not in contacts
        rows = queries.rows("alert_items", con, seq=3, seq_last=11, kind="review_overdue",
                            min_days_open=0)
        assert [(r["name"], r["days_waiting"], r["contact_mobile"]) for r in rows] == [
            ("m8", 44, "13800000007"), ("m2", 10, "13800000006")]
        rows = queries.rows("alert_deadline_branches", con, seq=3, seq_last=11, days_left=30,
                            completion_below=0.5)
        assert [(r["org_id"], r["campaign"], r["days_left"], float(r["completion"]))
                for r in rows] == [("B11", "2024级新生报到", 16, 0.3333)]
        coming = queries.rows("alert_arrears_coming", con, seq=3, seq_last=11)
        assert [(r["name"], r["org_id"], r["months_unpaid"]) for r in coming] == [("m6", "B12", 4)]
        (load,) = queries.rows("alert_load_quality", con)
        assert (load["load_id"], load["files_skipped"], load["rows_quarantined"]) == (2, 0, 2)
    finally:
        con.close()


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is needed")
def test_a_subscription_with_the_pack_sends_its_pdf_and_xlsx(site):
    """attach_pack: the university's meeting pack is built once (zhtj report) and sent as two
    files after the digest: uploaded, then sent by their media ids."""
    Subscriptions(default_path(site["accounts"])).add(
        owner="u-admin", org_id="U", rules=["stuck_transfer"], channel="college",
        attach_pack=True)
    outcome = notify(site)
    assert outcome.skipped == [] and len(outcome.report.sent) == 1
    uploads = [r for r in site["robot"].requests if r.path.endswith("/upload_media")]
    names = sorted(r.upload()[0]["filename"] for r in uploads)
    assert names == ["共青团某大学委员会 会议材料.pdf", "共青团某大学委员会 会议材料.xlsx"]
    assert uploads[0].upload()[1][:4] in (b"%PDF", b"PK\x03\x04")
    files = [r.json() for r in site["robot"].sends() if r.json()["msgtype"] == "file"]
    assert len(files) == 2
