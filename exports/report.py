"""`zhtj report`: the meeting pack from the command line (for cron), with a progress bar."""

from __future__ import annotations

import sys
from pathlib import Path

SUFFIXES = {".pdf": "pdf", ".pptx": "pptx", ".xlsx": "xlsx"}


def add_parser(sub) -> None:
    rep = sub.add_parser("report", help="生成会议材料（PDF/PPTX/XLSX） / build the meeting pack "
                                        "(PDF, slides, workbook)")
    rep.add_argument("--db", type=Path, required=True)
    rep.add_argument("--org", required=True, help="组织 ID / the organization's id")
    rep.add_argument("--out", type=Path, required=True, action="append",
                     help="FILE.pdf, FILE.pptx or FILE.xlsx (repeat for several)")
    rep.add_argument("--lang", choices=("zh", "en"), default="zh")
    rep.add_argument("--campaign", help="报到任务（默认最新） / campaign (default: the latest)")
    rep.add_argument("--by", default=None, help="封面上的制作人 / who built it, on the cover")
    rep.add_argument("--reveal-contacts", action="store_true",
                     help="名单中显示完整姓名和手机号（身份证号始终脱敏） / names and mobiles "
                          "in full (ID numbers stay masked)")
    rep.add_argument("--since", type=_date, metavar="YYYY-MM-DD",
                     help="“自上次会议以来”从该日或之前最近一次导入算起（默认：上次为本组织生成"
                          "会议材料时的数据） / the \"since the last meeting\" part starts at the "
                          "latest load on or before this day (default: the previous pack's)")
    rep.add_argument("--accounts", type=Path, default=None,
                     help="账号文件（默认与数据库同目录）；生成记录写入其审计日志 / the accounts "
                          "file (default: beside the database); the pack is recorded in its "
                          "audit log")
    rep.add_argument("--not-a-meeting", action="store_true",
                     help="不是会议材料（如提醒的附件）：下一份会议材料的“自上次会议以来”不从它算起 / "
                          "not a meeting's pack (e.g. an alert's attachment): the next pack's "
                          "\"since the last meeting\" does not start at it")
    rep.add_argument("--quiet", action="store_true", help="no progress bar")


def _date(text: str):
    import argparse
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期须为 YYYY-MM-DD / not a date: {text}") from None


def _err(line: str) -> None:
    print(line, file=sys.stderr)


def run(args) -> int:
    import logging

    from accounts import audit_path
    from accounts import default_path as default_accounts_path
    from accounts.audit import AuditLog
    from dashboard import access
    from dashboard.store import DataStore

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    formats = {}
    for out in args.out:
        fmt = SUFFIXES.get(out.suffix.lower())
        if fmt is None:
            _err(f"输出文件须为 .pdf、.pptx 或 .xlsx / --out must end in .pdf, .pptx or .xlsx: {out}")
            return 2
        formats[fmt] = out
    if not Path(args.db).exists():
        _err(f"数据库不存在 / database not found: {args.db}")
        return 2
    store = DataStore(Path(args.db))
    # As the local account, recorded in the audit log beside the accounts (as the server's
    # packs are): the next pack for the organization starts its "since the last meeting" there.
    account = access.local_account(reveal=args.reveal_contacts)
    audit_log = AuditLog(audit_path(args.accounts or default_accounts_path(args.db)))
    with access.acting_as(account, audit_log):
        return _build(args, store, formats)


def _build(args, store, formats: dict) -> int:
    from dashboard import context
    from dashboard.i18n import t
    from dashboard.view import View
    from etl.progress import make_progress
    from exports import pack

    ctx = context.resolve(store, View(org=args.org, campaign=args.campaign, lang=args.lang),
                          reveal=args.reveal_contacts)
    if ctx.problem == "org_not_found":
        _err(f"组织不存在 / organization not found: {args.org}")
        return 2
    if ctx.problem == "campaign_not_found":
        _err(f"报到任务不存在 / campaign not found: {args.campaign}")
        return 2
    if ctx.problem is not None:
        _err(f"数据库中没有数据 / no data in {args.db}")
        return 2
    built_by = args.by or t("pack_by_report", args.lang)
    with make_progress(args.quiet) as bar:
        task = bar.add_task(t("pack_title", args.lang), total=100)

        def progress(fraction: float, message: str) -> None:
            bar.update(task, completed=int(fraction * 100),
                       description=message or t("pack_title", args.lang))

        result = pack.build(store, ctx, list(formats), built_by=built_by, progress=progress,
                            since=args.since, meeting=not args.not_a_meeting)
    for fmt, (_, data) in result.files.items():
        path = formats[fmt]
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)  # a cron reader never sees half a file
        print(f"已写入 / wrote {path} ({len(data) / 1024:,.0f} KB)")
    if result.missing:
        _err(result.missing)
        return 2
    print(f"用时 / took {result.seconds:.1f} s")
    return 0
