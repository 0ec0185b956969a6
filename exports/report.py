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
    rep.add_argument("--quiet", action="store_true", help="no progress bar")


def _err(line: str) -> None:
    print(line, file=sys.stderr)


def run(args) -> int:
    import logging

    from dashboard import context
    from dashboard.i18n import t
    from dashboard.store import DataStore
    from dashboard.view import View
    from etl.progress import make_progress
    from exports import pack, render

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

        result = pack.build(store, ctx, list(formats), built_by=built_by, progress=progress)
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
