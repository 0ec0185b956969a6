"""`zhtj backup`, `zhtj restore` and `zhtj doctor`: keeping an installation safe and sound."""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> None:
    """Add the three commands to zhtj's subparsers."""
    def where(p, *, db_required: bool = True) -> None:
        p.add_argument("--db", type=Path, required=db_required, help="数据库 / the database")
        p.add_argument("--history", type=Path, default=None,
                       help="历史存档（默认 <db>.history/） / history archive (default: "
                            "<db>.history/)")
        p.add_argument("--accounts", type=Path, default=None,
                       help="账号文件（默认在数据库旁） / accounts file (default: beside the "
                            "database)")

    bak = sub.add_parser("backup", help="备份数据库、历史存档、账号和审计日志 / back up the "
                                        "database, history archive, accounts and audit log")
    where(bak)
    bak.add_argument("--to", type=Path, required=True,
                     help="备份目录（新建或为空） / the backup folder (new or empty)")
    res = sub.add_parser("restore", help="从备份恢复 / restore a backup")
    res.add_argument("--from", dest="source", type=Path, required=True,
                     help="zhtj backup 写的目录 / a folder written by zhtj backup")
    where(res)
    res.add_argument("--replace", action="store_true",
                     help="覆盖已有的数据库 / overwrite a database already in place")
    doc = sub.add_parser("doctor", help="检查安装是否正常 / check the installation")
    where(doc, db_required=False)


def main(args) -> int:
    from ops.backup import BackupError, Paths

    paths = Paths.of(args.db, args.history, args.accounts) if args.db else None
    try:
        if args.command == "backup":
            return _backup(paths, args.to)
        if args.command == "restore":
            return _restore(paths, args.source, args.replace)
    except BackupError as exc:
        print(exc, file=sys.stderr)
        return 2
    return _doctor(paths)


def _backup(paths, to: Path) -> int:
    from ops.backup import backup

    manifest = backup(paths, to)
    print(f"已备份 / backed up to {to}: 数据库 / database {manifest['database']}, "
          f"{len(manifest['loads'])} 次导入的历史 / loads of history, "
          f"{len(manifest['files'])} 个文件 / files")
    return 0


def _restore(paths, source: Path, replace: bool) -> int:
    from ops.restore import restore

    for line in restore(source, paths, replace=replace):
        print(f"已恢复 / restored {line}")
    print("恢复完成并已检查 / restore done and checked")
    return 0


def _doctor(paths) -> int:
    from ops.doctor import run_checks

    failed = 0
    for check in run_checks(paths):
        print(check.line(), flush=True)
        failed += not check.ok
    if failed:
        print(f"{failed} 项检查失败 / {failed} check(s) failed", file=sys.stderr)
    return 1 if failed else 0
