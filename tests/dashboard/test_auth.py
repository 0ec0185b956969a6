"""Sign-in over HTTP: the login page in both languages, the session cookie, the gate, sign-out,
lockout with a clear time to retry, the security headers, the admin page, and --no-auth."""

from __future__ import annotations

import re

import pytest

from dashboard import access
from tests.dashboard.secured import PASSWORD, make_app, sign_in


@pytest.fixture(scope="module")
def app(province_db, tmp_path_factory):
    return make_app(province_db, tmp_path_factory.mktemp("auth") / "accounts.sqlite")


@pytest.fixture()
def audit(app):
    access._REFUSALS.clear()
    return app.server.extensions["zhtj_audit"]


def test_every_page_and_callback_needs_a_session(app):
    client = app.server.test_client()
    r = client.get("/cadres?org=G1")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login?next=%2Fcadres")
    for path in ("/_dash-layout", "/_dash-dependencies"):
        assert client.get(path).status_code == 401
    r = client.post("/_dash-update-component", json={"output": "body.children"})
    assert r.status_code == 401 and b"rowData" not in r.data
    assert client.get("/health").data == b"ok"
    assert client.get("/assets/00-bootstrap.min.css").status_code == 200


def test_the_login_page_in_chinese_and_english(app):
    client = app.server.test_client()
    zh = client.get("/login").get_data(as_text=True)
    assert "登录" in zh and 'name="password"' in zh and "/assets/00-bootstrap.min.css" in zh
    en = client.get("/login?lang=en").get_data(as_text=True)
    assert "Sign in" in en and 'lang="en"' in en


def test_signing_in_sets_a_signed_httponly_lax_cookie_and_signing_out_ends_it(app, audit):
    client = app.server.test_client()
    r = client.post("/login", data={"name": "cs-operator", "password": PASSWORD,
                                    "next": "/registration?org=B11", "lang": "en"})
    assert r.status_code == 302 and r.headers["Location"] == "/registration?org=B11&lang=en"
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("zhtj_session=") and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie and "Secure" not in cookie  # plain http here
    assert client.get("/registration?org=B11").status_code == 200
    entry = audit.entries(limit=1)[0]
    assert (entry["action"], entry["actor"], entry["actor_org_id"]) == (
        "login_success", "cs-operator", "G1")
    r = client.post("/logout")
    assert r.status_code == 302 and "out=1" in r.headers["Location"]
    assert client.get("/registration?org=B11").status_code == 302
    assert audit.entries(limit=1)[0]["action"] == "logout"


def test_the_cookie_is_secure_over_https(app):
    client = app.server.test_client()
    r = client.post("/login", data={"name": "b11-viewer", "password": PASSWORD},
                    base_url="https://localhost")
    assert "Secure" in r.headers["Set-Cookie"]


def test_a_next_address_off_the_site_is_not_followed(app):
    client = app.server.test_client()
    for bad in ("//example.org/", "https://example.org/", "/\\evil"):
        r = client.post("/login", data={"name": "b11-viewer", "password": PASSWORD,
                                        "next": bad})
        assert r.headers["Location"] == "/"


def test_a_forged_or_stale_cookie_is_refused(app, tmp_path):
    client = sign_in(app, "b11-viewer")
    cookie = client.get_cookie("zhtj_session")
    other = app.server.test_client()
    other.set_cookie("zhtj_session", cookie.value[:-3] + "abc")
    assert other.get("/").status_code == 302
    # A password change ends the sessions signed before it.
    store = app.server.extensions["zhtj_accounts"]
    store.set_password("b11-viewer", PASSWORD)
    assert client.get("/").status_code == 302


def test_wrong_passwords_lock_the_account_with_the_time_to_retry(app, audit):
    from accounts.lockout import Lockout

    client = app.server.test_client()
    for i in range(4):
        r = client.post("/login", data={"name": "math-admin", "password": f"wrong-{i}"})
        assert r.status_code == 401 and "账号或密码不正确" in r.get_data(as_text=True)
    r = client.post("/login", data={"name": "math-admin", "password": "wrong-4", "lang": "en"})
    body = r.get_data(as_text=True)
    assert r.status_code == 429
    assert re.search(r"Try again in 1[45] minutes \(after \d\d:\d\d\)", body), body
    # Locked: even the right password is refused, and says when to retry.
    r = client.post("/login", data={"name": "math-admin", "password": PASSWORD})
    assert r.status_code == 429 and "分钟后" in r.get_data(as_text=True)
    failures = [e for e in audit.entries(limit=10) if e["action"] == "login_failure"]
    assert [e["detail"]["reason"] for e in failures[:2]] == ["locked", "bad_credentials"]
    assert failures[0]["actor"] == "math-admin" and failures[0]["actor_org_id"] == "G2"
    # Another account from the same address is not locked by this one.
    assert sign_in(app, "prov-admin")
    Lockout(app.server.extensions["zhtj_accounts"].path).succeeded("math-admin")


def test_many_failures_from_one_address_lock_the_address(app):
    from accounts.lockout import Lockout

    lockout: Lockout = Lockout(app.server.extensions["zhtj_accounts"].path)
    for i in range(20):
        lockout.failed(f"nobody-{i}", "10.0.0.9")
    assert lockout.locked_until("prov-admin", "10.0.0.9") is not None
    assert lockout.locked_until("prov-admin", "10.0.0.10") is None


def test_a_disabled_account_cannot_sign_in(app, tmp_path):
    store = app.server.extensions["zhtj_accounts"]
    store.add("leaver", "B11", "viewer", PASSWORD)
    client = sign_in(app, "leaver")
    store.set_active("leaver", False)
    assert client.get("/").status_code == 302  # the open session ends too
    r = app.server.test_client().post("/login", data={"name": "leaver", "password": PASSWORD})
    assert r.status_code == 403 and "已停用" in r.get_data(as_text=True)


def test_security_headers_on_every_answer(app):
    client = sign_in(app, "prov-admin")
    for path in ("/", "/login", "/_dash-layout"):
        h = client.get(path).headers
        csp = h["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert re.search(r"script-src 'self'( 'sha256-[^']+')+;", csp)
        assert "unsafe-eval" not in csp
        assert h["X-Content-Type-Options"] == "nosniff" and h["X-Frame-Options"] == "DENY"
        assert h["Cache-Control"] == "no-store"


def test_no_debug_and_no_stack_trace(app):
    client = sign_in(app, "prov-admin")
    assert not app.server.debug
    r = client.post("/_dash-update-component", json={"output": "no-such.children",
                                                      "inputs": [], "state": []})
    assert r.status_code == 500 and b"Traceback" not in r.data and b"File \"" not in r.data


def test_the_admin_page_is_for_admins_and_shows_their_subtree_only(app, audit):
    viewer = sign_in(app, "b11-viewer")
    r = viewer.get("/admin")
    assert r.status_code == 403 and "仅管理员" in r.get_data(as_text=True)
    assert audit.entries(limit=1)[0]["detail"]["reason"] == "not_admin"
    math = sign_in(app, "math-admin")
    page = math.get("/admin?lang=en").get_data(as_text=True)
    accounts = page[page.index('id="admin-accounts"'):page.index('id="admin-audit"')]
    assert "math-admin" in accounts and "cs-operator" not in accounts
    province = sign_in(app, "prov-admin").get("/admin").get_data(as_text=True)
    assert "cs-operator" in province and "login_success" in province


def test_an_admin_adds_and_disables_accounts_only_below_their_organization(app, audit):
    client = sign_in(app, "math-admin")
    page = client.get("/admin").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = client.post("/admin/accounts", data={"csrf": token, "action": "add", "name": "b21-viewer",
                                             "org": "B21", "role": "viewer"},
                    follow_redirects=True)
    text = r.get_data(as_text=True)
    assert "b21-viewer" in text and "只显示这一次" in text
    assert audit.entries(limit=1)[0]["action"] == "account_add"
    r = client.post("/admin/accounts", data={"csrf": token, "action": "add", "name": "spy",
                                             "org": "G1", "role": "admin"},
                    follow_redirects=True)
    assert "不在您的范围内" in r.get_data(as_text=True)
    assert app.server.extensions["zhtj_accounts"].get("spy") is None
    r = client.post("/admin/accounts", data={"csrf": token, "action": "disable",
                                             "name": "cs-operator"}, follow_redirects=True)
    assert app.server.extensions["zhtj_accounts"].get("cs-operator").is_active
    r = client.post("/admin/accounts", data={"csrf": "forged", "action": "disable",
                                             "name": "b21-viewer"})
    assert r.status_code == 400
    client.post("/admin/accounts", data={"csrf": token, "action": "disable",
                                         "name": "b21-viewer"})
    assert not app.server.extensions["zhtj_accounts"].get("b21-viewer").is_active


def test_no_auth_is_one_local_account_of_the_whole_tree(province_db, tmp_path):
    from dashboard.app import Settings, create_app
    from dashboard.server import NO_AUTH_BANNER, check_accounts

    app = create_app(Settings(db=province_db, accounts=tmp_path / "accounts.sqlite",
                              no_auth=True))
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    assert b"admin-page" not in client.get("/admin").data  # no accounts to manage
    r = client.post("/_dash-update-component", json={
        "output": "body.children", "outputs": {"id": "body", "property": "children"},
        "inputs": [{"id": "url", "property": "pathname", "value": "/"},
                   {"id": "url", "property": "search", "value": "?org=X"}],
        "state": [], "changedPropIds": ["url.search"]})
    text = r.get_data(as_text=True).encode().decode("unicode_escape")
    assert "另一省" in text and "no-auth-banner" in text and "本地单用户模式" in text
    assert check_accounts(tmp_path / "accounts.sqlite", no_auth=True, reveal_contacts=False,
                          host="127.0.0.1")
    assert "sign-in is off" in NO_AUTH_BANNER


def test_serving_with_sign_in_and_no_account_says_how_to_create_one(tmp_path, capsys):
    from dashboard.server import check_accounts

    assert not check_accounts(tmp_path / "accounts.sqlite", no_auth=False,
                              reveal_contacts=False, host="127.0.0.1")
    err = capsys.readouterr().err
    assert "zhtj user add" in err and "--no-auth" in err
