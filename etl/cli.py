"""The `zhtj` command: generate, etl, serve, metrics, progress, report, user, backup, restore, doctor."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path


def _month(text: str) -> str:
    try:
        return dt.datetime.strptime(text, "%Y-%m").strftime("%Y-%m")
    except ValueError:
        raise argparse.ArgumentTypeError(f"月份应为 YYYY-MM / month must be YYYY-MM: {text}")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD / date must be YYYY-MM-DD: {text}")


def _timestamp(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"时间应为 ISO 格式 / time must be ISO 8601: {text}")


def _proxies(text: str) -> tuple[str, ...]:
    from dashboard.proxy import parse_addresses

    try:
        return parse_addresses(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhtj", description="智慧团建 数据分析 / league data analytics")
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="生成演示省份数据 / write a demo province's export files")
    gen.add_argument("--members", type=int, default=50_000)
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--out", type=Path, required=True)
    gen.add_argument("--layout", choices=("branch", "bulk"), default="branch")
    gen.add_argument("--as-of", type=_date, default=dt.date(2024, 10, 8))

    load = sub.add_parser("etl", help="导入导出文件 / load export files into the database")
    load.add_argument("source", type=Path, help="a file or a folder (searched recursively)")
    load.add_argument("--db", type=Path, required=True)
    load.add_argument("--allow-skipped", action="store_true",
                      help="exit 0 even when some files could not be read")
    load.add_argument("--as-of", type=_timestamp, default=None,
                      help="the data's as-of time (default: now)")
    load.add_argument("--workers", type=int, default=2)
    load.add_argument("--memory-limit", default="5GB",
                      help="DuckDB 的内存上限，超出部分写到临时目录 / DuckDB's memory limit; past it, "
                           "the build spills to the temporary folder (default 5GB)")
    load.add_argument("--temp-dir", type=Path, default=None,
                      help="溢出用的临时目录（默认在数据库旁） / where the build spills past the "
                           "memory limit (default: beside the database)")
    load.add_argument("--settings", type=Path, default=None,
                      help="设置文件（TOML，见 settings.example.toml） / settings file (TOML: cadre "
                           "scope setting, seat quotas; see settings.example.toml)")
    load.add_argument("--history", type=Path, default=None,
                      help="历史存档目录（默认在数据库旁 <db>.history/） / the history archive "
                           "(default: <db>.history/ beside the database)")
    load.add_argument("--accept-shrink", action="store_true",
                      help="数据比上次少很多（缺少某类文件或行数减半）时仍然发布 / publish even "
                           "when a kind of file is missing or its rows fell by more than half")
    load.add_argument("--full", action="store_true",
                      help="重新读取所有文件（默认只读取与上次相比新增或改动的文件） / read every "
                           "file again (by default files unchanged since the published load, "
                           "same path, size and SHA-256, are not read: their rows are reused)")
    load.add_argument("--notify", action="store_true",
                      help="发布后按订阅发送提醒（渠道在 --settings 的 [notify] 中） / after "
                           "publishing, send the subscriptions' alerts (channels in the "
                           "--settings file's [notify])")
    load.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                      help="duckdb（默认，单机）或 spark（分布式，见 docs/SCALE.md） / duckdb "
                           "(default, one machine) or spark (a cluster; see docs/SCALE.md)")
    load.add_argument("--master", default=None,
                      help="Spark 的 master 地址（默认 local[2]），如 spark://127.0.0.1:7077 / "
                           "the Spark master URL (default local[2])")
    load.add_argument("--spark-memory", default="4g",
                      help="Spark driver 的内存（local 模式下也是执行器的内存，默认 4g） / the Spark "
                           "driver's memory (in local mode the executors' too; default 4g)")
    load.add_argument("--work", type=Path, default=None,
                      help="Spark 写 Parquet 的目录（集群各节点都能访问；给出时保留） / where "
                           "Spark writes its Parquet (reachable by every node; kept when given)")
    load.add_argument("--quiet", action="store_true")

    srv = sub.add_parser("serve", help="启动数据看板 / serve the dashboard")
    srv.add_argument("--db", type=Path, required=True)
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=8050)
    srv.add_argument("--threads", type=int, default=8, help="request threads")
    srv.add_argument("--reveal-contacts", action="store_true",
                     help="名单中显示完整姓名和手机号（身份证号始终脱敏） / show names and mobiles "
                          "in full in follow-up lists (ID numbers stay masked)")
    srv.add_argument("--accounts", type=Path, default=None,
                     help="账号文件（默认在数据库旁） / accounts file (default: accounts.sqlite "
                          "beside the database)")
    srv.add_argument("--no-auth", action="store_true",
                     help="本地单用户模式，不登录 / a single-user local run without sign-in")
    srv.add_argument("--secure-cookies", action="store_true",
                     help="会话 Cookie 仅经 HTTPS 发送（在 HTTPS 代理后） / session cookie sent over "
                          "HTTPS only (behind an HTTPS proxy)")
    srv.add_argument("--settings", type=Path, default=None,
                     help="设置文件（[notify]：提醒渠道，在 /admin/alerts 管理订阅） / settings file "
                          "([notify]: the alert channels for /admin/alerts)")
    srv.add_argument("--trusted-proxy", type=_proxies, action="extend", default=[],
                     metavar="ADDR[,ADDR]",
                     help="反向代理的地址：仅信任其 X-Forwarded-For/-Proto / the reverse proxy's "
                          "address(es): only its X-Forwarded-For/-Proto are believed")
    from accounts.cli import register as register_user

    register_user(sub)
    met = sub.add_parser("metrics", help="一个组织的指标 / one organization's figures")
    met.add_argument("--db", type=Path, required=True)
    met.add_argument("--org", required=True)
    met.add_argument("--month", type=_month)
    met.add_argument("--campaign")
    met.add_argument("--json", action="store_true", help="print JSON (CONTRACT.md §3)")
    prog = sub.add_parser("progress", help="待办事项的进展 / follow-up items since an earlier load")
    prog.add_argument("--db", type=Path, required=True)
    prog.add_argument("--org", required=True)
    prog.add_argument("--since", type=_date,
                      help="与此日期或之前的最近一次导入比较（默认上一次导入） / compare with the "
                           "latest load on or before this date (default: the previous load)")
    prog.add_argument("--json", action="store_true", help="print JSON (CONTRACT.md §4)")
    from exports.report import add_parser as add_report_parser

    add_report_parser(sub)
    from ops.cli import register as register_ops

    register_ops(sub)
    from notify.cli import register as register_notify

    register_notify(sub)
    return parser


def cmd_generate(args) -> int:
    from etl.generate import generate
    from etl.progress import step_progress

    with step_progress(quiet=False) as progress:
        summary = generate(args.out, members=args.members, seed=args.seed,
                           layout=args.layout, as_of=args.as_of, progress=progress)
    print(f"已生成 {summary['files']} 个文件 / wrote {summary['files']} files to {args.out}")
    for kind, n in summary["rows"].items():
        print(f"  {kind}: {n:,} rows")
    return 0


def cmd_etl(args) -> int:
    import duckdb

    from etl.load import LoadError, LoadSettings, load
    from etl.load_lock import Busy, held

    settings = LoadSettings(source=args.source, db=args.db, as_of=args.as_of,
                            workers=args.workers, memory_limit=args.memory_limit,
                            temp_dir=args.temp_dir,
                            quiet=args.quiet, settings_file=args.settings,
                            history=args.history, allow_skipped=args.allow_skipped,
                            accept_shrink=args.accept_shrink, full=args.full)
    try:
        with held(args.db):
            if args.engine == "spark":
                from etl.spark.load import SparkOptions
                from etl.spark.load import load as spark_load

                result = spark_load(settings, SparkOptions(master=args.master, work=args.work,
                                                           driver_memory=args.spark_memory))
            else:
                if args.master or args.work:
                    raise LoadError("--master 和 --work 只用于 --engine spark / --master and "
                                    "--work are for --engine spark")
                result = load(settings)
    except duckdb.OutOfMemoryException as exc:
        print(f"内存上限不够，原数据库保持不变；请调高 --memory-limit（当前 {args.memory_limit}）"
              f"或检查 --temp-dir 的空间 / the memory limit ({args.memory_limit}) is too low even "
              "when spilling to the temporary folder; the published database is unchanged. Raise "
              f"--memory-limit or check the space of --temp-dir. ({str(exc).splitlines()[0]})",
              file=sys.stderr)
        return 2
    except Busy:
        print("另一个导入正在进行（命令行或网页导入），请等它结束后再试；原数据库保持不变 / another "
              f"load of {args.db} is running (from the command line or the browser); try again "
              "when it ends. The published database is unchanged.", file=sys.stderr)
        return 2
    except LoadError as exc:
        # The previous database is untouched; say why in one line, not with a stack trace.
        print(f"导入未完成，原数据库保持不变 / load not completed, previous database kept: {exc}",
              file=sys.stderr)
        return 2
    for line in result.warnings:
        print(f"警告 / warning: {line}", file=sys.stderr)
    notified = 0
    if args.notify:
        from notify.cli import notify_main

        notified = notify_main(argparse.Namespace(
            db=args.db, accounts=None, settings=args.settings, secrets=None, dry_run=False,
            retry=False, status=False))
    if result.skipped and args.quiet:
        from etl.summary import shown_path

        for path, zh, en in result.skipped:  # the summary (not printed when quiet) names them
            print(f"未读取 / skipped: {shown_path(path, args.source)}: {zh} / {en}",
                  file=sys.stderr)
    if result.skipped and not args.allow_skipped:
        print(f"有 {len(result.skipped)} 个文件未能读取（见上表）；用 --allow-skipped 忽略。 / "
              f"{len(result.skipped)} file(s) could not be read (see above); "
              "pass --allow-skipped to accept.", file=sys.stderr)
        return 1
    return 1 if notified else 0  # the load is published either way; a failed alert says so


def cmd_metrics(args) -> int:
    from etl.metrics import CampaignNotFound, OrgNotFound, compute, connect

    try:
        with connect(args.db) as conn:
            data = compute(conn, args.org, month=args.month, campaign=args.campaign)
    except FileNotFoundError as exc:
        print(f"数据库不存在 / database not found: {exc}", file=sys.stderr)
        return 2
    except OrgNotFound as exc:
        print(f"组织不存在 / organization not found: {exc}", file=sys.stderr)
        return 2
    except CampaignNotFound as exc:
        print(f"报到任务不存在 / campaign not found: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        from etl.metrics import render_text
        print(render_text(data))
    return 0


def cmd_progress(args) -> int:
    from etl.followup import NoLoad, compute, render_text
    from etl.metrics import OrgNotFound, connect_native

    try:
        with connect_native(args.db) as conn:
            data = compute(conn, args.org, since=args.since)
    except FileNotFoundError as exc:
        print(f"数据库不存在 / database not found: {exc}", file=sys.stderr)
        return 2
    except OrgNotFound as exc:
        print(f"组织不存在 / organization not found: {exc}", file=sys.stderr)
        return 2
    except NoLoad:
        print("数据库中还没有导入记录 / the database has no load yet", file=sys.stderr)
        return 2
    print(json.dumps(data, ensure_ascii=False) if args.json else render_text(data))
    return 0


def cmd_serve(args) -> int:
    from dashboard.server import serve

    return serve(args.db, host=args.host, port=args.port, threads=args.threads,
                 reveal_contacts=args.reveal_contacts, accounts=args.accounts,
                 no_auth=args.no_auth, secure_cookies=args.secure_cookies,
                 trusted_proxies=tuple(args.trusted_proxy), settings_file=args.settings)


def cmd_user(args) -> int:
    from accounts.cli import main as user_main

    return user_main(args)


def cmd_report(args) -> int:
    from exports.report import run

    return run(args)


def cmd_notify(args) -> int:
    from notify.cli import notify_main, subscribe_main

    return notify_main(args) if args.command == "notify" else subscribe_main(args)


def cmd_ops(args) -> int:
    from ops.cli import main as ops_main

    return ops_main(args)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"generate": cmd_generate, "etl": cmd_etl, "metrics": cmd_metrics,
               "progress": cmd_progress,
               "serve": cmd_serve, "report": cmd_report,
               "user": cmd_user, "backup": cmd_ops, "restore": cmd_ops,
               "doctor": cmd_ops, "notify": cmd_notify,
               "subscribe": cmd_notify}[args.command]
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
