"""Sign-in for the dashboard: the login page, signed session cookies, the gate in front of every
request (or the local account of --no-auth), lockout, and the security headers of every answer."""

from __future__ import annotations

import datetime as dt
import math
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Response, current_app, g, redirect, request, session
from flask.sessions import SecureCookieSessionInterface
from markupsafe import escape

import accounts
from accounts.audit import AuditLog
from accounts.lockout import Lockout
from accounts.store import AccountStore
from dashboard import access
from dashboard.i18n import normalize_lang, t

# Reachable without signing in: the login page, what it loads, and the health check.
PUBLIC_PATHS = ("/login", "/health", "/_favicon.ico")
PUBLIC_PREFIXES = ("/assets/",)
# Static code and styles may be cached; everything else (pages, callbacks' data) may not.
CACHEABLE_PREFIXES = ("/assets/", "/_dash-component-suites/")
SESSION_HOURS = 12


@dataclass
class AuthSettings:
    accounts: Path  # the accounts file (audit log and session secret beside it)
    no_auth: bool = False  # one local account of the whole tree; nobody signs in
    reveal_contacts: bool = False  # the local account's reveal (only with no_auth)
    secure_cookies: bool = False  # session cookie on HTTPS only, even when the proxy says http


class _Sessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def secret_key(path: Path) -> bytes:
    """The key that signs session cookies: created once (owner-only), kept across restarts."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never //host or a scheme)."""
    if (not isinstance(target, str) or not target.startswith("/") or target.startswith("//")
            or "\\" in target or len(target) > 2000):
        return "/"
    return target


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def csrf_ok() -> bool:
    sent = request.form.get("csrf", "")
    return bool(sent) and secrets.compare_digest(sent, session.get("csrf", ""))


def csp(app) -> str:
    """Scripts only from this site plus the hashes of Dash's own inline scripts; inline styles
    (Plotly and AG Grid set them); images and fonts also as data:; never in a frame."""
    hashes = " ".join(app.csp_hashes())  # each already quoted: 'sha256-...'
    return ("default-src 'self'; "
            f"script-src 'self' {hashes}; "
            "style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; "
            "font-src 'self' data:; "
            "connect-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def page_html(title: str, body: str, lang: str, *, status: int = 200) -> Response:
    """A plain page (login, admin) in the app's style: body is already-escaped HTML."""
    html = f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · {escape(t('app_title', lang))}</title>
<link rel="stylesheet" href="/assets/00-bootstrap.min.css">
<link rel="stylesheet" href="/assets/01-bootstrap-icons.min.css">
<link rel="stylesheet" href="/assets/app.css">
</head><body class="bg-light">{demo_ribbon(lang)}{body}</body></html>"""
    return Response(html, status=status, mimetype="text/html")


def demo_ribbon(lang: str) -> str:
    """演示数据 / demo data across the top of a plain page when the published data is a demo."""
    from dashboard.demo import ribbon_html

    return ribbon_html(current_app.extensions.get("zhtj_store"), lang)


def _lang() -> str:
    return normalize_lang(request.values.get("lang"))


def login_page(lang: str, *, message: str = "", level: str = "danger", name: str = "",
               next_url: str = "/", status: int = 200) -> Response:
    other = "en" if lang == "zh" else "zh"
    alert = (f'<div class="alert alert-{level}" id="login-message" role="alert">'
             f'{escape(message)}</div>' if message else "")
    body = f"""
<main class="container" style="max-width: 420px; margin-top: 10vh;">
  <div class="d-flex justify-content-between align-items-baseline mb-3">
    <h1 class="h4 mb-0">{escape(t('app_title', lang))}</h1>
    <a id="login-lang" href="/login?lang={other}&amp;next={escape(next_url)}">{escape(t(f'lang_{other}', lang))}</a>
  </div>
  <div class="card shadow-sm"><div class="card-body">
    <h2 class="h5 card-title">{escape(t('login_title', lang))}</h2>
    {alert}
    <form method="post" action="/login" id="login-form">
      <input type="hidden" name="lang" value="{lang}">
      <input type="hidden" name="next" value="{escape(next_url)}">
      <div class="mb-3"><label class="form-label" for="login-name">{escape(t('login_name', lang))}</label>
        <input class="form-control" id="login-name" name="name" autocomplete="username"
               value="{escape(name)}" required autofocus></div>
      <div class="mb-3"><label class="form-label" for="login-password">{escape(t('login_password', lang))}</label>
        <input class="form-control" id="login-password" name="password" type="password"
               autocomplete="current-password" required></div>
      <button class="btn btn-primary w-100" type="submit" id="login-submit">{escape(t('login_submit', lang))}</button>
    </form>
  </div></div>
</main>"""
    return page_html(t("login_title", lang), body, lang, status=status)


def install(app, settings: AuthSettings) -> None:
    """Put sign-in (or the local account) in front of the app's server, and the audit log,
    security headers and health check on it."""
    server = app.server
    path = Path(settings.accounts)
    audit = AuditLog(accounts.audit_path(path))
    server.extensions["zhtj_audit"] = audit
    server.config.update(PROPAGATE_EXCEPTIONS=False, DEBUG=False)

    @server.route("/health")
    def health():
        return Response("ok", mimetype="text/plain")

    policy: list[str] = []  # computed once Dash has its scripts (on the first answer)

    @server.after_request
    def headers(response):
        if not policy:
            policy.append(csp(app))
        response.headers["Content-Security-Policy"] = policy[0]
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if not request.path.startswith(CACHEABLE_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
        return response

    if settings.no_auth:
        local = access.local_account(settings.reveal_contacts)

        @server.before_request
        def local_gate():
            g.account = local
        return

    store = AccountStore(path)
    lockout = Lockout(path)
    server.extensions["zhtj_accounts"] = store
    server.secret_key = secret_key(accounts.secret_path(path))
    server.session_interface = _Sessions()
    server.config.update(SESSION_COOKIE_NAME="zhtj_session", SESSION_COOKIE_HTTPONLY=True,
                         SESSION_COOKIE_SAMESITE="Lax",
                         SESSION_COOKIE_SECURE=settings.secure_cookies,
                         PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS))

    @server.before_request
    def gate():
        if is_public(request.path):
            return None
        name = session.get("user")
        account = store.get(name) if isinstance(name, str) else None
        if account is None or not account.is_active or session.get("v") != account.token:
            session.clear()
            if request.method == "GET" and not request.path.startswith("/_dash"):
                return redirect("/login?" + _query(next=request.full_path.rstrip("?"),
                                                   lang=request.args.get("lang")))
            return Response("请先登录 / sign in first", status=401, mimetype="text/plain")
        g.account = account
        return None

    @server.route("/login", methods=["GET", "POST"])
    def login():
        lang = _lang()
        next_url = safe_next(request.values.get("next"))
        if request.method == "GET":
            message = t("login_signed_out", lang) if request.args.get("out") else ""
            if not message and store.count() == 0:
                message = t("login_no_accounts", lang)
            return login_page(lang, message=message, level="info", next_url=next_url)
        name = (request.form.get("name") or "").strip()[:40]
        password = (request.form.get("password") or "")[:200]
        client = request.remote_addr or ""
        known = store.get(name)
        org_id = known.org_id if known else None

        def refused(reason: str, message: str, status: int) -> Response:
            audit.record("login_failure", actor=name, actor_org_id=org_id, client=client,
                         reason=reason)
            return login_page(lang, message=message, name=name, next_url=next_url,
                              status=status)

        until = lockout.locked_until(name, client)
        if until is not None:
            return refused("locked", locked_message(until, lang), 429)
        account = store.verify(name, password)
        if account is None:
            lockout.failed(name, client)
            until = lockout.locked_until(name, client)
            if until is not None:
                return refused("bad_credentials", locked_message(until, lang), 429)
            return refused("bad_credentials", t("login_failed", lang), 401)
        if not account.is_active:
            return refused("disabled", t("login_disabled", lang), 403)
        lockout.succeeded(name)
        session.clear()
        session.permanent = True
        session["user"], session["v"] = account.name, account.token
        audit.record("login_success", actor=account.name, actor_org_id=account.org_id,
                     client=client, role=account.role)
        return redirect(_with_lang(next_url, lang))

    @server.route("/logout", methods=["POST"])
    def logout():
        account = getattr(g, "account", None)
        if account is not None:
            audit.record("logout", actor=account.name, actor_org_id=account.org_id,
                         client=request.remote_addr)
        session.clear()
        return redirect("/login?" + _query(out="1", lang=_lang()))

    from dashboard import admin, admin_alerts

    admin.install(app, store, audit)
    admin_alerts.install(app, audit)


def locked_message(until: float, lang: str) -> str:
    minutes = max(1, math.ceil((until - time.time()) / 60))
    return t("login_locked", lang, minutes=minutes,
             until=time.strftime("%H:%M", time.localtime(until)))


def _query(**params) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in params.items() if v})


def _with_lang(url: str, lang: str) -> str:
    """The page to open after signing in, in the language the login page was in."""
    if lang == "zh" or "lang=" in url:
        return url
    return url + ("&" if "?" in url else "?") + "lang=" + lang
