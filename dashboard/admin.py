"""The admin page (/admin): the accounts of the admin's organization and below (add, disable,
enable, reset a password) and the audit log of those accounts, newest first. Admins only."""

from __future__ import annotations

import json
import secrets

from flask import current_app, g, redirect, request
from markupsafe import escape

import queries
from accounts.store import ROLES, AccountError
from dashboard import auth
from dashboard.context import home_of
from dashboard.i18n import t
from dashboard.store import NoData

AUDIT_PAGE = 50


def _store():
    return current_app.extensions["zhtj_store"]


def _home(account):
    try:
        return home_of(_store(), account)
    except NoData:
        return None


def _lookup(org_id: str) -> dict | None:
    try:
        with _store().cursor() as cur:
            found = queries.rows("org_lookup", cur, org_id=org_id)
    except NoData:
        return None
    return found[0] if found else None


def _inside(home: dict, org_id: str | None) -> bool:
    if org_id is None:
        return home.get("whole_tree", False)
    o = _lookup(org_id)
    return o is not None and home["seq"] <= o["seq"] <= home["seq_last"]


def install(app, store, audit) -> None:
    server = app.server

    def admin_or_refuse(lang: str):
        account = getattr(g, "account", None)
        home = _home(account) if account is not None and account.is_admin else None
        if home is None:
            from dashboard import access

            access.refuse("not_admin", page="admin")
            return None, None, auth.page_html(
                t("admin_title", lang), f'<main class="container mt-5"><div class="alert '
                f'alert-danger" id="admin-refused">{escape(t("admin_refused", lang))}</div>'
                f'<a href="/?lang={lang}">{escape(t("admin_back", lang))}</a></main>', lang,
                status=403)
        return account, home, None

    @server.route("/admin", methods=["GET"])
    def admin_page():
        lang = auth._lang()
        account, home, refusal = admin_or_refuse(lang)
        if refusal is not None:
            return refusal
        try:
            page = max(0, int(request.args.get("page", "0")))
        except ValueError:
            page = 0
        return auth.page_html(t("admin_title", lang),
                              render(store, audit, account, home, lang, page,
                                     notice=request.args.get("notice", "")[:300]), lang)

    @server.route("/admin/accounts", methods=["POST"])
    def admin_change():
        lang = auth._lang()
        account, home, refusal = admin_or_refuse(lang)
        if refusal is not None:
            return refusal
        if not auth.csrf_ok():
            return auth.page_html(t("admin_title", lang), "", lang, status=400)
        action = request.form.get("action", "")
        name = (request.form.get("name") or "").strip()[:40]
        try:
            notice = change(store, audit, account, home, action, name, lang)
        except AccountError as exc:
            notice = str(exc)
        from urllib.parse import urlencode

        return redirect("/admin?" + urlencode({"lang": lang, "notice": notice}))


def change(store, audit, admin, home, action: str, name: str, lang: str) -> str:
    """One change by an admin, inside their subtree only; the notice to show."""
    def log(what: str, org_id: str, **detail):
        audit.record(what, actor=admin.name, actor_org_id=admin.org_id,
                     client=request.remote_addr, org_id=org_id, account=name, **detail)

    if action == "add":
        org_id = (request.form.get("org") or "").strip()[:200]
        role = request.form.get("role", "")
        if role not in ROLES:
            raise AccountError(f"角色无效 / invalid role: {role}")
        if not org_id or not _inside(home, org_id):
            from dashboard import access

            access.refuse("out_of_scope", org_id=org_id, page="admin")
            raise AccountError(f"组织不存在或不在您的范围内 / organization unknown or outside "
                               f"your scope: {org_id}")
        password = request.form.get("password") or secrets.token_urlsafe(9)
        store.add(name, org_id, role, password, created_by=admin.name)
        log("account_add", org_id, role=role)
        return t("admin_new_password", lang, name=name, password=password)
    target = store.get(name)
    if target is None or not _inside(home, target.org_id) or target.name == admin.name:
        raise AccountError(f"不能修改这个账号 / you may not change this account: {name}")
    if action in ("disable", "enable"):
        store.set_active(name, action == "enable")
        log(f"account_{action}", target.org_id)
        return t("admin_done", lang, what=f"{t('admin_' + action, lang)} {name}")
    if action == "reset":
        password = secrets.token_urlsafe(9)
        store.set_password(name, password)
        log("password_reset", target.org_id)
        return t("admin_new_password", lang, name=name, password=password)
    raise AccountError(f"未知操作 / unknown action: {action}")


def _audit_scope(audit, home) -> list[str] | None:
    """The organizations whose accounts' entries this admin reads (None: every entry)."""
    if home.get("whole_tree"):
        return None
    return [o for o in audit.actor_org_ids() if _inside(home, o)]


def render(store, audit, admin, home, lang: str, page: int, *, notice: str = "") -> str:
    token = auth.csrf_token()
    names = {}

    def org_label(org_id):
        if org_id is None:
            return "—"
        if org_id not in names:
            o = _lookup(org_id)
            names[org_id] = o["full_name"] if o else org_id
        return names[org_id]

    def form(action: str, name: str, label: str, style: str) -> str:
        return (f'<form method="post" action="/admin/accounts?lang={lang}" class="d-inline">'
                f'<input type="hidden" name="csrf" value="{token}">'
                f'<input type="hidden" name="action" value="{action}">'
                f'<input type="hidden" name="name" value="{escape(name)}">'
                f'<button class="btn btn-sm btn-outline-{style}" type="submit">'
                f'{escape(label)}</button></form> ')

    rows = []
    for a in store.all():
        if not _inside(home, a.org_id):
            continue
        actions = ""
        if a.name != admin.name:
            actions = (form("enable" if not a.is_active else "disable", a.name,
                            t("admin_enable" if not a.is_active else "admin_disable", lang),
                            "secondary")
                       + form("reset", a.name, t("admin_reset", lang), "danger"))
        # Short values stay on one line: on a phone the table scrolls in its box instead.
        rows.append(f"<tr><td>{escape(a.name)}</td>"
                    f"<td class='text-nowrap'>{escape(t('role_' + a.role, lang))}</td>"
                    f"<td>{escape(org_label(a.org_id))}<br><small class='text-muted'>"
                    f"{escape(a.org_id)}</small></td>"
                    f"<td class='text-nowrap'>"
                    f"{escape(t('active_yes' if a.is_active else 'active_no', lang))}</td>"
                    f"<td class='text-nowrap'>{escape(a.created_at)}</td>"
                    f"<td class='text-nowrap'>{actions}</td></tr>")
    role_options = "".join(f'<option value="{r}">{escape(t("role_" + r, lang))}</option>'
                           for r in ROLES)
    add_form = f"""
<form method="post" action="/admin/accounts?lang={lang}" class="row g-2 align-items-end mb-3" id="admin-add">
  <input type="hidden" name="csrf" value="{token}"><input type="hidden" name="action" value="add">
  <div class="col-md-3"><label class="form-label">{escape(t('col_account', lang))}</label>
    <input class="form-control form-control-sm" name="name" required></div>
  <div class="col-md-4"><label class="form-label">{escape(t('col_org', lang))} ID</label>
    <input class="form-control form-control-sm" name="org" value="{escape(admin.org_id or '')}" required></div>
  <div class="col-md-2"><label class="form-label">{escape(t('col_role', lang))}</label>
    <select class="form-select form-select-sm" name="role">{role_options}</select></div>
  <div class="col-md-3"><button class="btn btn-sm btn-primary" type="submit">{escape(t('admin_add', lang))}</button></div>
</form>"""

    scope = _audit_scope(audit, home)
    total = audit.count(actor_org_ids=scope)
    pages = max(1, -(-total // AUDIT_PAGE))
    page = min(page, pages - 1)
    entries = audit.entries(offset=page * AUDIT_PAGE, limit=AUDIT_PAGE, actor_org_ids=scope)
    audit_rows = "".join(
        f"<tr><td class='text-nowrap'>{escape(e['at'])}</td>"
        f"<td class='text-nowrap'>{escape(e['actor'] or '—')}</td>"
        f"<td class='text-nowrap'>{escape(e['client'] or '')}</td>"
        f"<td class='text-nowrap'>{escape(e['action'])}</td>"
        f"<td class='admin-audit-org'>{escape(org_label(e['org_id']))}</td>"
        f"<td class='admin-audit-detail'>"
        f"<code>{escape(json.dumps(e['detail'], ensure_ascii=False))}</code></td></tr>"
        for e in entries)
    nav = (f'<div class="d-flex gap-3 align-items-center">'
           + (f'<a href="/admin?lang={lang}&amp;page={page - 1}">{escape(t("admin_newer", lang))}</a>'
              if page > 0 else "")
           + f'<span>{escape(t("admin_page_of", lang, page=page + 1, pages=pages, n=total))}</span>'
           + (f'<a href="/admin?lang={lang}&amp;page={page + 1}" id="audit-older">'
              f'{escape(t("admin_older", lang))}</a>' if page + 1 < pages else "")
           + "</div>")
    other = "en" if lang == "zh" else "zh"
    th = "".join
    return f"""
<main class="container-fluid p-3 p-md-4" id="admin-page">
  <div class="d-flex justify-content-between align-items-baseline flex-wrap column-gap-3">
    <h1 class="h4">{escape(t('admin_title', lang))} · {escape(org_label(admin.org_id))}</h1>
    <div><a href="/admin/alerts?lang={lang}" id="admin-alerts-link">{escape(t('alerts_link', lang))}</a> ·
      <a href="/?lang={lang}">{escape(t('admin_back', lang))}</a> ·
      <a href="/admin?lang={other}">{escape(t(f'lang_{other}', lang))}</a></div>
  </div>
  {f'<div class="alert alert-info" id="admin-notice">{escape(notice)}</div>' if notice else ''}
  <h2 class="h5 mt-3">{escape(t('admin_accounts', lang))}</h2>
  {add_form}
  <div class="table-responsive mb-3"><table class="table table-sm table-striped mb-0" id="admin-accounts"><thead><tr>
    {th(f'<th class="text-nowrap">{escape(t(k, lang))}</th>' for k in ('col_account', 'col_role', 'col_org', 'col_active', 'col_created_at'))}<th></th>
  </tr></thead><tbody>{''.join(rows)}</tbody></table></div>
  <h2 class="h5 mt-4">{escape(t('admin_audit', lang))}</h2>
  {nav}
  <div class="table-responsive mb-3"><table class="table table-sm table-striped small mb-0" id="admin-audit"><thead><tr>
    {th(f'<th class="text-nowrap">{escape(t(k, lang))}</th>' for k in ('col_at', 'col_account', 'col_client', 'col_audit_action', 'col_org', 'col_detail'))}
  </tr></thead><tbody>{audit_rows}</tbody></table></div>
</main>"""
