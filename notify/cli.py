"""`zhtj notify` (evaluate, queue, send; --dry-run, --retry, --status) and `zhtj subscribe
add|list|pause|resume|remove`."""

from __future__ import annotations

import sys
from pathlib import Path

import accounts

SECRETS_FILE = "notify-secrets.toml"


def _where(p, *, db_required: bool) -> None:
    p.add_argument("--db", type=Path, required=db_required, help="数据库 / the database")
    p.add_argument("--accounts", type=Path, default=None,
                   help="账号文件（默认在数据库旁；订阅和发件箱在其旁的 notify.sqlite） / accounts "
                        "file (default: beside the database; subscriptions and the outbox are in "
                        "notify.sqlite beside it)")


def register(sub) -> None:
    note = sub.add_parser("notify", help="按订阅发送提醒 / send the subscriptions' alerts")
    _where(note, db_required=True)
    note.add_argument("--settings", type=Path, default=None,
                      help="设置文件（[notify]：public_url、渠道、规则阈值） / settings file "
                           "([notify]: public_url, channels, rule thresholds)")
    note.add_argument("--secrets", type=Path, default=None,
                      help=f"渠道密钥文件（仅所有者可读；默认账号文件旁的 {SECRETS_FILE}） / "
                           f"channel secrets, owner-only (default: {SECRETS_FILE} beside the "
                           "accounts file); or ZHTJ_NOTIFY_<CHANNEL>__<FIELD> variables")
    what = note.add_mutually_exclusive_group()
    what.add_argument("--dry-run", action="store_true",
                      help="只显示将发送的内容和对象 / print what would be sent, to whom")
    what.add_argument("--retry", action="store_true",
                      help="重发失败的消息 / send the failed messages again")
    what.add_argument("--status", action="store_true",
                      help="发件箱状态与失败原因 / the outbox: counts and failures")

    subs = sub.add_parser("subscribe", help="管理提醒订阅 / manage alert subscriptions")
    cmds = subs.add_subparsers(dest="subscribe_command", required=True)
    add = cmds.add_parser("add", help="新建订阅 / add a subscription")
    add.add_argument("--owner", required=True, help="所有者账号（其组织范围为上限） / the owning "
                                                    "account (its subtree is the limit)")
    add.add_argument("--org", required=True, help="组织 ID / organization id")
    add.add_argument("--rules", required=True,
                     help="规则，逗号分隔 / rules, comma-separated (see `zhtj subscribe rules`)")
    add.add_argument("--channel", required=True, help="设置中的渠道名 / a channel of the settings")
    add.add_argument("--lang", choices=("zh", "en"), default="zh")
    add.add_argument("--role", choices=("viewer", "operator", "admin"), default="viewer",
                     help="消息按此角色脱敏（不超过所有者） / masking as this role shows it "
                          "(never beyond the owner's)")
    add.add_argument("--attach-pack", action="store_true",
                     help="附上该组织的会议材料（PDF、XLSX） / attach the organization's meeting "
                          "pack (PDF, XLSX)")
    _where(add, db_required=True)
    for name, text in (("list", "列出订阅 / list subscriptions"),
                       ("rules", "可用的提醒规则 / the alert rules")):
        p = cmds.add_parser(name, help=text)
        _where(p, db_required=False)
    for name, text in (("pause", "暂停 / pause"), ("resume", "恢复 / resume"),
                       ("remove", "删除 / remove")):
        p = cmds.add_parser(name, help=text)
        p.add_argument("id", type=int)
        _where(p, db_required=False)


def accounts_file(args) -> Path:
    return Path(args.accounts) if args.accounts else accounts.default_path(args.db)


def notify_main(args) -> int:
    from notify.errors import ConfigError
    from notify.run import NotifySettings, run

    acc = accounts_file(args)
    secrets = args.secrets or (acc.with_name(SECRETS_FILE)
                               if acc.with_name(SECRETS_FILE).exists() else None)
    if args.status:
        return status(acc)
    try:
        if args.retry:
            return retry(acc, args.settings, secrets)
        outcome = run(NotifySettings(db=args.db, accounts=acc, settings_file=args.settings,
                                     secrets_file=secrets, dry_run=args.dry_run))
    except (ConfigError, FileNotFoundError) as exc:
        print(f"提醒未发送 / alerts not sent: {exc}", file=sys.stderr)
        return 2
    for line in outcome.skipped:
        print(f"跳过 / skipped: {line}", file=sys.stderr)
    if outcome.report is not None:
        r = outcome.report
        print(f"已发送 {len(r.sent)}，待重试 {len(r.retrying)}，失败 {len(r.failed)} / sent "
              f"{len(r.sent)}, to retry {len(r.retrying)}, failed {len(r.failed)}"
              + (" (另一个发送正在进行 / another run holds the outbox)" if r.busy else ""))
    return outcome.exit_code


def status(acc: Path) -> int:
    from notify.outbox import Outbox
    from notify.subscriptions import default_path

    outbox = Outbox(default_path(acc))
    counts = outbox.counts()
    print(" · ".join(f"{k} {v}" for k, v in counts.items()))
    troubled = [m for m in outbox.messages(limit=200)
                if m.status == "failed" or (m.status == "pending" and m.attempts)]
    for m in troubled:
        what = "失败 / failed" if m.status == "failed" else \
            f"待重试 / retry at {m.next_attempt_at}"
        print(f"{what}: {m.message_id} → {m.channel} ({m.attempts}×, {m.last_attempt_at}): "
              f"{m.last_answer}")
    return 1 if troubled else 0


def retry(acc: Path, settings_file: Path | None, secrets: Path | None) -> int:
    from notify.channels import parse_channels
    from notify.credentials import load_secrets
    from notify.deliver import deliver
    from notify.outbox import Outbox
    from notify.run import read_notify_settings
    from notify.subscriptions import default_path

    outbox = Outbox(default_path(acc))
    outbox.retry()
    channels = parse_channels((read_notify_settings(settings_file).get("notify") or {})
                              .get("channels") or {})
    report = deliver(outbox, channels, load_secrets(secrets))
    print(f"已发送 {len(report.sent)}，失败 {len(report.failed)} / sent {len(report.sent)}, "
          f"failed {len(report.failed)}")
    return report.exit_code


def subscribe_main(args) -> int:
    from notify.errors import ConfigError
    from notify.rules import RULES

    if args.subscribe_command == "rules":
        for rule in RULES:
            print(f"{rule.code}: {rule.name_zh} / {rule.name_en}\n    {rule.explain('zh')}")
        return 0
    if args.db is None and args.accounts is None:
        print("需要 --db 或 --accounts / --db or --accounts is needed", file=sys.stderr)
        return 2
    try:
        return _subscribe(args)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2


def _subscribe(args) -> int:
    from accounts.audit import AuditLog
    from notify.subscriptions import Subscriptions, check_owner_scope, default_path

    acc = accounts_file(args)
    subs = Subscriptions(default_path(acc))
    audit = AuditLog(accounts.audit_path(acc))
    cmd = args.subscribe_command
    if cmd == "list":
        for s in subs.all():
            state = "暂停 / paused" if s.paused else "启用 / active"
            print(f"{s.subscription_id}\t{s.org_id}\t{','.join(s.rules)}\t{s.channel}\t{s.lang}\t"
                  f"{s.role}\t{s.owner}\t{state}")
        return 0
    if cmd == "add":
        check_owner_scope(acc, args.db, args.owner, args.org)
        found = subs.add(owner=args.owner, org_id=args.org,
                         rules=[r.strip() for r in args.rules.split(",") if r.strip()],
                         channel=args.channel, lang=args.lang, role=args.role,
                         attach_pack=args.attach_pack, created_by="cli")
        audit.record("subscription_add", actor="cli", org_id=found.org_id,
                     subscription=found.subscription_id, rules=list(found.rules),
                     channel=found.channel)
        print(f"已添加订阅 / subscription added: {found.subscription_id}")
        return 0
    if cmd in ("pause", "resume"):
        found = subs.set_paused(args.id, cmd == "pause")
    else:
        found = subs.remove(args.id)
    audit.record(f"subscription_{cmd}", actor="cli", org_id=found.org_id,
                 subscription=found.subscription_id)
    print(f"订阅 {found.subscription_id}: {cmd}")
    return 0
