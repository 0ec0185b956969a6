"""`zhtj notify`: every active subscription evaluated on the latest load, one digest each into the
outbox (before anything is sent), then the outbox delivered. A second run on the same load finds
nothing new to say and sends nothing."""

from __future__ import annotations

import datetime as dt
import subprocess
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

import accounts
import queries
from accounts.audit import AuditLog
from accounts.masking import mask_mobile
from accounts.store import ROLES, AccountStore
from etl.dataset import is_demo
from notify import alerted, digest
from notify.channels import parse_channels
from notify.credentials import load_secrets
from notify.deliver import DeliveryReport, deliver
from notify.errors import ConfigError
from notify.findings import Evaluator, Scope
from notify.outbox import Outbox
from notify.rules import BY_CODE, overrides_from_settings
from notify.subscriptions import Subscription, Subscriptions, default_path


@dataclass
class NotifySettings:
    db: Path
    accounts: Path
    settings_file: Path | None = None  # the TOML with [notify] (public_url, channels, rules)
    secrets_file: Path | None = None
    dry_run: bool = False
    now: dt.datetime | None = None


@dataclass
class Evaluated:
    subscription: Subscription
    findings: list  # every finding of its rules now
    message: object | None  # the digest of those not told yet (a Message), or None


@dataclass
class Outcome:
    evaluated: list[Evaluated] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one bilingual line each
    report: DeliveryReport | None = None

    @property
    def exit_code(self) -> int:
        return self.report.exit_code if self.report else 0


def read_notify_settings(path: Path | None) -> dict:
    if path is None:
        return {}
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"设置文件无法读取 / settings file unreadable: {path}: {exc}") from None


def effective_role(sub: Subscription, owner_role: str) -> str:
    """A subscription never shows more than its owner may see."""
    return min(sub.role, owner_role, key=ROLES.index)


def run(settings: NotifySettings, out: Callable[[str], None] = print) -> Outcome:
    data = read_notify_settings(settings.settings_file)
    notify = data.get("notify") or {}
    public_url = str(notify.get("public_url") or "http://127.0.0.1:8050")
    channels = parse_channels(notify.get("channels") or {})
    overrides = overrides_from_settings(data)
    store = _CachedAccounts(AccountStore(settings.accounts))
    path = default_path(settings.accounts)
    subs = Subscriptions(path)
    now = settings.now or dt.datetime.now().replace(microsecond=0)
    outcome = Outcome()
    con = duckdb.connect(str(settings.db), read_only=True)
    try:
        info = {**queries.rows("load_info", con)[0], "is_demo": is_demo(con)}
        bounds = con.execute("select min(seq), max(seq_last) from org_tree").fetchall()[0]
        evaluator = Evaluator(con, Scope("", "", bounds[0] or 0, bounds[1] or 0), overrides, now)
        active = [sub for sub in subs.all() if not sub.paused]
        owners = (store.get(sub.owner) for sub in active)
        store.know_orgs(con, [sub.org_id for sub in active]
                        + [o.org_id for o in owners if o is not None and o.org_id])
        for sub in active:
            found = evaluate_one(con, sub, store, info, channels, evaluator, public_url, path,
                                 outcome.skipped)
            if found is not None:
                outcome.evaluated.append(found)
    finally:
        con.close()
    if settings.dry_run:
        for e in outcome.evaluated:
            if e.message is None:
                continue
            masked = ", ".join(mask_mobile(m) for m in e.message.mentions) or "-"
            out(f"— 订阅 / subscription {e.subscription.subscription_id} → "
                f"{e.subscription.channel} (@ {len(e.message.mentions)}: {masked})\n"
                f"{e.message.markdown}\n")
        return outcome
    outbox = Outbox(path)
    audit = AuditLog(accounts.audit_path(settings.accounts))
    for e in outcome.evaluated:
        sub = e.subscription
        if e.message is not None and sub.attach_pack:
            e.message = with_pack(e, settings.db, path, info["load_id"], store, outcome.skipped)
        if e.message is not None:  # in the outbox before it is remembered as told
            outbox.enqueue(e.message)
            audit.record("alert_queued", actor=sub.owner, org_id=sub.org_id,
                         subscription=sub.subscription_id, channel=sub.channel,
                         message=e.message.message_id)
        alerted.remember(path, sub.subscription_id, sub.rules, e.findings, info["load_id"])
    outcome.report = deliver(outbox, channels, load_secrets(settings.secrets_file))
    for mid in outcome.report.sent:
        audit.record("alert_sent", message=mid)
    for mid in outcome.report.failed:
        audit.record("alert_failed", message=mid)
    return outcome


def test_send(settings: NotifySettings, subscription_id: int) -> DeliveryReport:
    """Send one subscription's digest of everything it finds now (told before or not), marked as a
    test, at once; nothing is remembered as told. Raises ConfigError when it cannot run."""
    data = read_notify_settings(settings.settings_file)
    notify = data.get("notify") or {}
    channels = parse_channels(notify.get("channels") or {})
    path = default_path(settings.accounts)
    sub = Subscriptions(path).get(subscription_id)
    if sub is None:
        raise ConfigError(f"没有这个订阅 / no subscription {subscription_id}")
    now = settings.now or dt.datetime.now().replace(microsecond=0)
    skipped: list[str] = []
    con = duckdb.connect(str(settings.db), read_only=True)
    try:
        info = {**queries.rows("load_info", con)[0], "is_demo": is_demo(con)}
        bounds = con.execute("select min(seq), max(seq_last) from org_tree").fetchall()[0]
        evaluator = Evaluator(con, Scope("", "", bounds[0], bounds[1]),
                              overrides_from_settings(data), now)
        found = evaluate_one(con, sub, _CachedAccounts(AccountStore(settings.accounts)), info,
                             channels, evaluator, str(notify.get("public_url") or ""), path,
                             skipped, told=False)
    finally:
        con.close()
    if found is None:
        raise ConfigError(skipped[0])
    base = found.message or digest.empty(sub, info, channel=sub.channel)
    message = replace(base, message_id=f"t{sub.subscription_id}-{now:%Y%m%dT%H%M%S}",
                      title=("测试 / test · " + base.title))
    outbox = Outbox(path)
    outbox.enqueue(message)
    AuditLog(accounts.audit_path(settings.accounts)).record(
        "alert_queued", actor=sub.owner, org_id=sub.org_id, subscription=sub.subscription_id,
        channel=sub.channel, message=message.message_id, test=True)
    return deliver(outbox, channels, load_secrets(settings.secrets_file))


def evaluate_one(con, sub: Subscription, store: AccountStore, info: dict, channels: dict,
                 evaluator: Evaluator, public_url: str, path: Path,
                 skipped: list[str], *, told: bool = True) -> Evaluated | None:
    """One subscription's findings and digest; None (with a line in skipped) when it cannot run:
    its owner gone or disabled, its organization outside the owner's subtree or not loaded, its
    channel not in the settings."""
    label = f"订阅 / subscription {sub.subscription_id}"
    owner = store.get(sub.owner)
    if owner is None or not owner.is_active:
        skipped.append(f"{label}: 所有者账号不存在或已停用 / its owner {sub.owner} is gone or disabled")
        return None
    if sub.channel not in channels:
        skipped.append(f"{label}: 设置中没有渠道 {sub.channel} / no channel {sub.channel} in the "
                       "settings")
        return None
    org = store.org(con, sub.org_id)
    if org is None or not store.within(con, owner.org_id, org):
        skipped.append(f"{label}: 组织 {sub.org_id} 不在所有者的范围内或未导入 / organization "
                       f"{sub.org_id} is not loaded or not in {sub.owner}'s subtree")
        return None
    scope = Scope(sub.org_id, org["full_name"], org["seq"], org["seq_last"])
    findings = [f for code in sub.rules for f in evaluator.findings(scope, BY_CODE[code])]
    fresh = alerted.to_send(path, sub.subscription_id, findings) if told else findings
    role = effective_role(sub, owner.role)
    message = digest.build(subscription_id=sub.subscription_id, channel=sub.channel,
                           lang=sub.lang, reveal=role in ("operator", "admin"), scope=scope,
                           findings=fresh, load_id=info["load_id"], as_of=info["as_of"],
                           is_demo=bool(info.get("is_demo")),
                           public_url=public_url, overrides=evaluator.overrides)
    return Evaluated(sub, findings, message)


class _CachedAccounts:
    """Owners and organizations looked up once per run (many subscriptions share one owner; the
    subscriptions' organizations are read in one scan of the tree, not one scan each)."""

    def __init__(self, store: AccountStore) -> None:
        self.store, self.cache, self.orgs = store, {}, {}

    def get(self, name: str):
        if name not in self.cache:
            self.cache[name] = self.store.get(name)
        return self.cache[name]

    def know_orgs(self, con, org_ids: list[str]) -> None:
        """Look up these organizations and every active owner's at once."""
        wanted = sorted(set(org_ids) - set(self.orgs))
        if wanted:
            found = {r["org_id"]: r for r in queries.rows("org_lookup_many", con,
                                                          org_ids=wanted)}
            self.orgs.update({org_id: found.get(org_id) for org_id in wanted})

    def org(self, con, org_id: str | None) -> dict | None:
        """The org_lookup row of a loaded organization, else None."""
        if org_id is None:
            return None
        if org_id not in self.orgs:
            self.know_orgs(con, [org_id])
        return self.orgs[org_id]

    def within(self, con, owner_org_id: str | None, org: dict) -> bool:
        if owner_org_id is None:
            return True
        top = self.org(con, owner_org_id)  # the owner's own range, looked up once
        return top is not None and top["seq"] <= org["seq"] <= top["seq_last"]


def with_pack(e: Evaluated, db: Path, path: Path, load_id: int, store, skipped: list[str]):
    """The digest with the subscribed organization's meeting pack (PDF, XLSX) attached; without,
    and said, when the pack cannot be built (the digest still goes)."""
    from notify import packs

    sub = e.subscription
    owner = store.get(sub.owner)
    reveal = effective_role(sub, owner.role) in ("operator", "admin")
    try:
        files = packs.attachments(db, path, load_id, sub.org_id, e.message.extra.get(
            "org_name", sub.org_id), sub.lang, reveal)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        skipped.append(f"订阅 / subscription {sub.subscription_id}: 会议材料未能生成，提醒不带附件 / "
                       f"the meeting pack could not be built, the alert goes without it: {exc}")
        return e.message
    return replace(e.message, attachments=files)
