"""The alerts admin page (/admin/alerts): the subscriptions of the admin's organization and below
(add, test-send, pause, resume, delete), the channels of the settings with their secrets masked,
and the delivery log with each message's status. Admins only; every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from flask import current_app, g, redirect, request
from markupsafe import escape

from dashboard import auth
from dashboard.admin import _home, _inside, _lookup
from dashboard.i18n import t
from notify.errors import ConfigError

LOG_ROWS = 50
KINDS = ("wecom", "dingtalk", "email", "webhook")  # each has a label, channel_<kind>


@dataclass(frozen=True)
class NotifyConfig:
    """Where the alerts' settings are: the settings file's [notify] (channels, public_url) and
    the channels' secrets (owner-only file, or the environment)."""

    db: Path
    accounts: Path
    settings_file: Path | None = None
    secrets_file: Path | None = None

    def _notify(self) -> dict:
        from notify.run import read_notify_settings

        return read_notify_settings(self.settings_file).get("notify") or {}

    def channel_names(self) -> list[str]:
        return sorted((self._notify().get("channels") or {}))

    def channel_rows(self) -> list[tuple[str, str, dict]]:
        """(name, kind, its secrets masked) for each channel."""
        from notify.credentials import load_secrets

        secrets = load_secrets(self.secrets_file)
        return [(name, str(c.get("kind", "")),
                 {k: v for k, v in secrets.masked().get(name, {}).items()})
                for name, c in sorted((self._notify().get("channels") or {}).items())]

    def settings(self):
        from notify.run import NotifySettings

        return NotifySettings(db=self.db, accounts=self.accounts,
                              settings_file=self.settings_file, secrets_file=self.secrets_file)


def _config() -> NotifyConfig:
    return current_app.extensions["zhtj_notify"]


def _refused(lang: str):
    from dashboard import access

    access.refuse("not_admin", page="admin")
    return auth.page_html(t("admin_title", lang), f'<main class="container mt-5"><div class="alert '
                          f'alert-danger" id="admin-refused">{escape(t("admin_refused", lang))}'
                          f'</div></main>', lang, status=403)


def install(app, audit) -> None:
    server = app.server

    @server.route("/admin/alerts", methods=["GET"])
    def alerts_page():
        lang = auth._lang()
        account = getattr(g, "account", None)
        home = _home(account) if account is not None and account.is_admin else None
        if home is None:
            return _refused(lang)
        return auth.page_html(t("alerts_title", lang),
                              render(account, home, lang, request.args.get("notice", "")[:400]),
                              lang)

    @server.route("/admin/alerts", methods=["POST"])
    def alerts_change():
        lang = auth._lang()
        account = getattr(g, "account", None)
        home = _home(account) if account is not None and account.is_admin else None
        if home is None:
            return _refused(lang)
        if not auth.csrf_ok():
            return auth.page_html(t("alerts_title", lang), "", lang, status=400)
        try:
            notice = change(audit, account, home, request.form.get("action", ""), lang)
        except (ConfigError, ValueError) as exc:
            notice = str(exc)
        return redirect("/admin/alerts?" + urlencode({"lang": lang, "notice": notice}))


def _subscriptions():
    from notify.subscriptions import Subscriptions, default_path

    return Subscriptions(default_path(_config().accounts))


def change(audit, admin, home, action: str, lang: str) -> str:
    """One change by an admin, inside their subtree only; the notice to show."""
    subs = _subscriptions()

    def log(what: str, sub, **detail):
        audit.record(what, actor=admin.name, actor_org_id=admin.org_id,
                     client=request.remote_addr, org_id=sub.org_id,
                     subscription=sub.subscription_id, **detail)

    if action == "add":
        org_id = (request.form.get("org") or "").strip()[:200]
        if not org_id or not _inside(home, org_id):
            raise ConfigError(f"组织不存在或不在您的范围内 / organization unknown or outside "
                              f"your scope: {org_id}")
        channel = request.form.get("channel", "")
        if channel not in _config().channel_names():
            raise ConfigError(f"设置中没有渠道 / no such channel in the settings: {channel}")
        sub = subs.add(owner=admin.name, org_id=org_id, rules=request.form.getlist("rules"),
                       channel=channel, lang=request.form.get("lang", "zh"),
                       role=request.form.get("role", "viewer"),
                       attach_pack=request.form.get("attach_pack") == "1", created_by=admin.name)
        log("subscription_add", sub, rules=list(sub.rules), channel=sub.channel)
        return t("alerts_added", lang, id=sub.subscription_id)
    try:
        sub = subs.get(int(request.form.get("id", "")))
    except ValueError:
        sub = None
    if sub is None or not _inside(home, sub.org_id):
        raise ConfigError("不能修改这个订阅 / you may not change this subscription")
    if action in ("pause", "resume"):
        subs.set_paused(sub.subscription_id, action == "pause")
        log(f"subscription_{action}", sub)
    elif action == "delete":
        subs.remove(sub.subscription_id)
        log("subscription_remove", sub)
    elif action == "test":
        from notify.run import test_send

        report = test_send(_config().settings(), sub.subscription_id)
        return t("alerts_tested", lang, id=sub.subscription_id, sent=len(report.sent),
                 failed=len(report.failed) + len(report.retrying))
    else:
        raise ConfigError(f"未知操作 / unknown action: {action}")
    return t("admin_done", lang, what=f"{t('alerts_' + action, lang)} #{sub.subscription_id}")


def render(admin, home, lang: str, notice: str) -> str:
    from notify.outbox import Outbox
    from notify.rules import RULES
    from notify.subscriptions import default_path

    cfg, token = _config(), auth.csrf_token()
    mine = [s for s in _subscriptions().all() if _inside(home, s.org_id)]

    def name_of(org_id: str) -> str:
        o = _lookup(org_id)
        return o["full_name"] if o else org_id

    def button(action: str, sub_id: int, style: str) -> str:
        return (f'<form method="post" action="/admin/alerts?lang={lang}" class="d-inline">'
                f'<input type="hidden" name="csrf" value="{token}">'
                f'<input type="hidden" name="action" value="{action}">'
                f'<input type="hidden" name="id" value="{sub_id}">'
                f'<button class="btn btn-sm btn-outline-{style}" type="submit" '
                f'id="alerts-{action}-{sub_id}">{escape(t("alerts_" + action, lang))}</button>'
                f'</form> ')

    rule_name = {r.code: r.name(lang) for r in RULES}
    sub_rows = "".join(
        f"<tr><td>{s.subscription_id}</td><td>{escape(name_of(s.org_id))}</td>"
        f"<td>{escape('、'.join(rule_name.get(c, c) for c in s.rules))}</td>"
        f"<td class='text-nowrap'>{escape(s.channel)}</td>"
        f"<td class='text-nowrap'>{escape(t('role_' + s.role, lang))} · "
        f"{'中文' if s.lang == 'zh' else 'English'}</td>"
        f"<td class='text-nowrap'>{escape(t('alerts_paused' if s.paused else 'alerts_active', lang))}</td>"
        f"<td class='text-nowrap'>{button('test', s.subscription_id, 'primary')}"
        f"{button('resume' if s.paused else 'pause', s.subscription_id, 'secondary')}"
        f"{button('delete', s.subscription_id, 'danger')}</td></tr>" for s in mine)
    rule_boxes = "".join(
        f'<div class="form-check"><input class="form-check-input" type="checkbox" name="rules" '
        f'value="{r.code}" id="rule-{r.code}"><label class="form-check-label" for="rule-{r.code}"'
        f' title="{escape(r.explain(lang))}">{escape(r.name(lang))}</label></div>' for r in RULES)
    channel_options = "".join(f'<option value="{escape(c)}">{escape(c)}</option>'
                              for c in cfg.channel_names())
    role_options = "".join(f'<option value="{r}">{escape(t("role_" + r, lang))}</option>'
                           for r in ("viewer", "operator", "admin"))
    channel_rows = "".join(
        f"<tr><td>{escape(name)}</td><td>{escape(t('channel_' + kind, lang) if kind in KINDS else kind)}</td>"
        f"<td><code>{escape(', '.join(f'{k}={v}' for k, v in masked.items()) or '—')}</code></td></tr>"
        for name, kind, masked in cfg.channel_rows())
    prefixes = tuple(f"{p}{s.subscription_id}-" for s in mine for p in ("s", "t"))
    log = [m for m in Outbox(default_path(cfg.accounts)).messages(limit=500)
           if m.message_id.startswith(prefixes)][:LOG_ROWS] if mine else []
    log_rows = "".join(
        f"<tr><td class='text-nowrap'>{escape((m.sent_at or m.last_attempt_at or m.created_at)[:19])}</td>"
        f"<td class='text-nowrap'>{escape(m.message_id.split('-')[0][1:])}</td>"
        f"<td class='text-nowrap'>{escape(m.channel)}</td>"
        f"<td class='text-nowrap'>{escape(t('outbox_' + m.status, lang))}</td>"
        f"<td>{m.attempts}</td><td><small>{escape(m.last_answer or '')}</small></td></tr>"
        for m in log)
    return f"""
<main class="container-fluid p-3 p-md-4" id="alerts-page">
  <div class="d-flex justify-content-between align-items-baseline flex-wrap column-gap-3">
    <h1 class="h4">{escape(t('alerts_title', lang))}</h1>
    <div><a href="/admin?lang={lang}">{escape(t('admin_title', lang))}</a> ·
      <a href="/?lang={lang}">{escape(t('admin_back', lang))}</a></div>
  </div>
  {f'<div class="alert alert-info" id="alerts-notice">{escape(notice)}</div>' if notice else ''}
  <h2 class="h5 mt-3">{escape(t('alerts_subscriptions', lang))}</h2>
  <div class="table-responsive mb-3"><table class="table table-sm table-striped mb-0" id="alerts-subscriptions">
    <thead><tr><th>#</th><th>{escape(t('col_org', lang))}</th><th>{escape(t('alerts_rules', lang))}</th>
    <th>{escape(t('alerts_channel', lang))}</th><th>{escape(t('col_role', lang))}</th><th></th><th></th></tr></thead>
    <tbody>{sub_rows or f'<tr><td colspan="7" class="text-muted">{escape(t("alerts_none", lang))}</td></tr>'}</tbody></table></div>
  <form method="post" action="/admin/alerts?lang={lang}" class="card card-body mb-3" id="alerts-add">
    <input type="hidden" name="csrf" value="{token}"><input type="hidden" name="action" value="add">
    <div class="row g-2">
      <div class="col-md-4"><label class="form-label">{escape(t('col_org', lang))} ID</label>
        <input class="form-control form-control-sm" name="org" value="{escape(admin.org_id or '')}" required></div>
      <div class="col-md-3"><label class="form-label">{escape(t('alerts_channel', lang))}</label>
        <select class="form-select form-select-sm" name="channel">{channel_options}</select></div>
      <div class="col-md-2"><label class="form-label">{escape(t('col_role', lang))}</label>
        <select class="form-select form-select-sm" name="role">{role_options}</select></div>
      <div class="col-md-2"><label class="form-label">{escape(t('alerts_language', lang))}</label>
        <select class="form-select form-select-sm" name="lang"><option value="zh">中文</option><option value="en">English</option></select></div>
    </div>
    <div class="mt-2">{rule_boxes}</div>
    <div class="form-check mt-2"><input class="form-check-input" type="checkbox" name="attach_pack"
      value="1" id="alerts-attach-pack"><label class="form-check-label" for="alerts-attach-pack">
      {escape(t('alerts_attach_pack', lang))}</label></div>
    <div class="mt-2"><button class="btn btn-sm btn-primary" type="submit" id="alerts-add-submit">{escape(t('alerts_add', lang))}</button></div>
  </form>
  <h2 class="h5">{escape(t('alerts_channels', lang))}</h2>
  <div class="table-responsive mb-3"><table class="table table-sm mb-0" id="alerts-channels">
    <thead><tr><th>{escape(t('alerts_channel', lang))}</th><th>{escape(t('alerts_kind', lang))}</th><th>{escape(t('alerts_secrets', lang))}</th></tr></thead>
    <tbody>{channel_rows or f'<tr><td colspan="3" class="text-muted">{escape(t("alerts_no_channels", lang))}</td></tr>'}</tbody></table></div>
  <h2 class="h5">{escape(t('alerts_log', lang))}</h2>
  <div class="table-responsive"><table class="table table-sm table-striped mb-0" id="alerts-log">
    <thead><tr><th>{escape(t('col_time', lang))}</th><th>#</th><th>{escape(t('alerts_channel', lang))}</th>
    <th>{escape(t('alerts_status', lang))}</th><th>{escape(t('alerts_attempts', lang))}</th><th>{escape(t('alerts_answer', lang))}</th></tr></thead>
    <tbody>{log_rows}</tbody></table></div>
</main>"""
