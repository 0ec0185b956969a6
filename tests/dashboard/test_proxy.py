"""Behind a reverse proxy (`zhtj serve --trusted-proxy`): the lockout counts and the audit log
records the forwarded client, the cookie is Secure when the proxy says https; forwarded headers
from anyone else, or without the option, are ignored."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from accounts import audit_path
from accounts.audit import AuditLog
from accounts.store import AccountStore
from dashboard.proxy import TrustedProxies, parse_addresses
from tests.dashboard.secured import PASSWORD, make_app

PROXY = "10.0.0.2"


@pytest.fixture(scope="module")
def behind(province_db, tmp_path_factory):
    """The app with --trusted-proxy 10.0.0.2."""
    return make_app(province_db, tmp_path_factory.mktemp("proxy") / "accounts.sqlite",
                    trusted_proxies=(PROXY,))


@pytest.fixture(scope="module")
def direct(province_db, tmp_path_factory):
    """The app without the option."""
    return make_app(province_db, tmp_path_factory.mktemp("direct") / "accounts.sqlite")


def login(app, name, password=PASSWORD, *, peer=PROXY, forwarded_for=None, proto=None):
    """A sign-in as the proxy passes it on: the peer is the proxy, the client in the headers."""
    headers = {}
    if forwarded_for is not None:
        headers["X-Forwarded-For"] = forwarded_for
    if proto is not None:
        headers["X-Forwarded-Proto"] = proto
    return app.server.test_client().post(
        "/login", data={"name": name, "password": password, "next": "/"}, headers=headers,
        environ_base={"REMOTE_ADDR": peer})


def fail_twenty_times(app, **how):
    for i in range(20):
        r = login(app, f"nobody-{i}", "wrong", **how)
        assert r.status_code in (401, 429)


def last_entry(app):
    return app.server.extensions["zhtj_audit"].entries(limit=1)[0]


def test_twenty_wrong_passwords_lock_the_forwarded_client_not_everyone_behind_the_proxy(behind):
    fail_twenty_times(behind, forwarded_for="198.51.100.7")
    assert login(behind, "prov-admin", forwarded_for="198.51.100.7").status_code == 429
    # nginx appends the address it saw: a client naming another address is still itself.
    assert login(behind, "prov-admin", forwarded_for="203.0.113.9, 198.51.100.7").status_code == 429
    assert login(behind, "prov-admin", forwarded_for="198.51.100.8").status_code == 302


def test_the_audit_log_records_the_forwarded_client(behind):
    login(behind, "cs-operator", "wrong", forwarded_for="198.51.100.20")
    entry = last_entry(behind)
    assert (entry["action"], entry["client"]) == ("login_failure", "198.51.100.20")
    login(behind, "cs-operator", forwarded_for="198.51.100.21")
    entry = last_entry(behind)
    assert (entry["action"], entry["client"]) == ("login_success", "198.51.100.21")


def test_the_cookie_is_secure_when_the_proxy_says_https(behind):
    r = login(behind, "b11-viewer", forwarded_for="198.51.100.30", proto="https")
    assert r.status_code == 302 and "Secure" in r.headers["Set-Cookie"]
    r = login(behind, "b11-viewer", forwarded_for="198.51.100.30", proto="http")
    assert r.status_code == 302 and "Secure" not in r.headers["Set-Cookie"]


@pytest.mark.parametrize("app_name, peer", [("direct", PROXY), ("behind", "10.0.0.3")],
                         ids=["without-the-option", "from-an-untrusted-peer"])
def test_forwarded_headers_are_ignored_without_the_option_or_from_an_untrusted_peer(
        request, app_name, peer):
    app = request.getfixturevalue(app_name)
    r = login(app, "math-admin", peer=peer, forwarded_for="198.51.100.40", proto="https")
    assert r.status_code == 302 and "Secure" not in r.headers["Set-Cookie"]
    assert last_entry(app)["client"] == peer
    for i in range(20):  # each failure claims another client; all of them count for the peer
        login(app, f"nobody-{i}", "wrong", peer=peer, forwarded_for=f"198.51.100.{100 + i}")
    assert login(app, "prov-admin", peer=peer, forwarded_for="198.51.100.41").status_code == 429


def _seen(trusted, peer, headers, host="zhtj.example.org"):
    """The environ the app gets through the middleware (trusting these proxies) for a request
    from peer with these headers."""
    seen = {}

    def app(environ, start_response):
        seen.update(environ)
        return []

    environ = {"REMOTE_ADDR": peer, "wsgi.url_scheme": "http", "HTTP_HOST": host,
               **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}}
    TrustedProxies(app, trusted)(environ, lambda *a: None)
    return seen


FORGED = {"X-Forwarded-For": "198.51.100.50", "X-Forwarded-Proto": "https",
          "X-Forwarded-Host": "evil.example.org", "X-Real-IP": "198.51.100.51",
          "Forwarded": "for=198.51.100.52;proto=https"}


def test_the_middleware_believes_for_and_proto_only_from_a_trusted_peer():
    proxies = ["127.0.0.1", "::1"]
    for peer in ("127.0.0.1", "::ffff:127.0.0.1", "::1"):
        seen = _seen(proxies, peer, FORGED)
        assert (seen["REMOTE_ADDR"], seen["wsgi.url_scheme"]) == ("198.51.100.50", "https")
        assert seen["HTTP_HOST"] == "zhtj.example.org"  # the proxy sets Host itself
        assert "HTTP_FORWARDED" not in seen and "HTTP_X_REAL_IP" not in seen
    for trusted, peer in ((proxies, "10.0.0.9"), ([], "127.0.0.1")):
        seen = _seen(trusted, peer, FORGED)
        assert (seen["REMOTE_ADDR"], seen["wsgi.url_scheme"]) == (peer, "http")
        assert not [k for k in seen if "FORWARDED" in k or k == "HTTP_X_REAL_IP"]
    seen = _seen(proxies, "127.0.0.1", {"X-Forwarded-Proto": "javascript"})
    assert seen["wsgi.url_scheme"] == "http" and seen["REMOTE_ADDR"] == "127.0.0.1"


def test_trusted_proxy_addresses_must_be_ip_addresses(capsys):
    from etl.cli import build_parser

    assert parse_addresses(" 127.0.0.1, ::1,::ffff:10.0.0.1 ") == ("127.0.0.1", "::1", "10.0.0.1")
    for bad in ("localhost", "10.0.0.0/8", "127.0.0.1,", "300.1.1.1"):
        with pytest.raises(ValueError, match="代理地址应为 IP 地址.*must be an IP address"):
            parse_addresses(bad)
    args = build_parser().parse_args(["serve", "--db", "x.duckdb", "--trusted-proxy",
                                      "127.0.0.1,::1", "--trusted-proxy", "10.0.0.2"])
    assert args.trusted_proxy == ["127.0.0.1", "::1", "10.0.0.2"]
    assert build_parser().parse_args(["serve", "--db", "x.duckdb"]).trusted_proxy == []
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["serve", "--db", "x.duckdb", "--trusted-proxy", "proxy.lan"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "代理地址应为 IP 地址" in err and "must be an IP address" in err and "proxy.lan" in err


def test_zhtj_serve_hands_the_trusted_proxies_to_the_app(monkeypatch, tmp_path):
    import dashboard.app
    import dashboard.server
    from etl.cli import main

    got = {}

    class Stop(Exception):
        pass

    def create_app(settings):
        got["settings"] = settings
        raise Stop

    monkeypatch.setattr(dashboard.server, "check_accounts", lambda *a, **k: True)
    monkeypatch.setattr(dashboard.app, "create_app", create_app)
    with pytest.raises(Stop):
        main(["serve", "--db", str(tmp_path / "zhtj.duckdb"), "--trusted-proxy", "127.0.0.1"])
    assert got["settings"].trusted_proxies == ("127.0.0.1",)


def test_zhtj_serve_behind_a_proxy_on_this_machine(tmp_path):
    """The real server (waitress): a request from the trusted 127.0.0.1 is believed, one from
    127.0.0.2 (any other peer) is not."""
    accounts = tmp_path / "accounts.sqlite"
    AccountStore(accounts).add("proxied", "P", "viewer", PASSWORD)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    script = Path(sys.executable).parent / "zhtj"
    zhtj = [str(script)] if script.exists() else [sys.executable, "-m", "etl.cli"]
    # No database (the login page needs none) and no chromium to warm: a quick start.
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "ZHTJ_CHROMIUM": str(tmp_path / "none")}
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*zhtj, "serve", "--db", str(tmp_path / "zhtj.duckdb"), "--host",
             "127.0.0.1", "--port", str(port), "--accounts", str(accounts), "--trusted-proxy",
             "127.0.0.1"], stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=env)

    def post_login(source: str):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10,
                                          source_address=(source, 0))
        try:
            conn.request("POST", "/login", urlencode({"name": "proxied", "password": PASSWORD}),
                         {"Content-Type": "application/x-www-form-urlencoded",
                          "X-Forwarded-For": "198.51.100.60", "X-Forwarded-Proto": "https"})
            r = conn.getresponse()
            return r.status, r.getheader("Set-Cookie") or ""
        finally:
            conn.close()

    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text(errors="replace")
            try:
                status, cookie = post_login("127.0.0.1")
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text(errors="replace")
                time.sleep(0.2)
        audit = AuditLog(audit_path(accounts))
        assert status == 302 and "Secure" in cookie
        assert audit.entries(limit=1)[0]["client"] == "198.51.100.60"
        if sys.platform.startswith("linux"):  # all of 127.0.0.0/8 is this machine
            status, cookie = post_login("127.0.0.2")
            assert status == 302 and "Secure" not in cookie
            assert audit.entries(limit=1)[0]["client"] == "127.0.0.2"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
