"""`zhtj user add|list|disable|enable|passwd|demo`: accounts from the command line."""

from __future__ import annotations

import getpass
import secrets
import sys
from pathlib import Path

import accounts
from accounts.audit import AuditLog
from accounts.store import ROLES, AccountError, AccountStore


def register(sub) -> None:
    """Add the `user` command and its subcommands to zhtj's subparsers."""
    user = sub.add_parser("user", help="账号管理 / manage accounts")
    cmds = user.add_subparsers(dest="user_command", required=True)

    def common(p, *, db_required=False):
        p.add_argument("--accounts", type=Path, default=None,
                       help="账号文件（默认在数据库旁） / accounts file (default: beside the "
                            "database, data/accounts.sqlite)")
        p.add_argument("--db", type=Path, default=None, required=db_required,
                       help="数据库（用于核对组织 ID） / database (to check organization ids)")

    add = cmds.add_parser("add", help="新建账号 / create an account")
    add.add_argument("name")
    add.add_argument("--org", required=True, help="组织 ID / organization id")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--password-stdin", action="store_true",
                     help="从标准输入读取密码 / read the password from standard input")
    common(add)
    lst = cmds.add_parser("list", help="列出账号 / list accounts")
    common(lst)
    for name, text in (("disable", "停用账号 / disable an account"),
                       ("enable", "启用账号 / enable an account")):
        p = cmds.add_parser(name, help=text)
        p.add_argument("name")
        common(p)
    pw = cmds.add_parser("passwd", help="修改密码 / set an account's password")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true",
                    help="从标准输入读取密码 / read the password from standard input")
    common(pw)
    demo = cmds.add_parser("demo", help="创建演示账号并打印密码 / create the demo accounts and "
                                        "print their passwords")
    common(demo, db_required=True)


def _path(args) -> Path:
    return args.accounts or accounts.default_path(args.db)


def _read_password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码 / password: ")
    if getpass.getpass("再输入一次 / again: ") != first:
        raise AccountError("两次输入的密码不一致 / the passwords differ")
    return first


def org_name(db: Path | None, org_id: str) -> str | None:
    """The organization's full name in the database; None when there is no database to ask.
    Raises AccountError when the database does not hold the organization."""
    import queries
    from etl.metrics import connect

    if db is None or not Path(db).exists():
        return None
    with connect(db) as conn:
        found = queries.rows("org_lookup", conn, org_id=org_id)
    if not found:
        raise AccountError(f"数据库中没有这个组织 / no such organization in {db}: {org_id}")
    return found[0]["full_name"]


def cmd_add(args) -> int:
    store = AccountStore(_path(args))
    name = org_name(args.db, args.org)
    store.add(args.name, args.org, args.role, _read_password(args), created_by="cli")
    AuditLog(accounts.audit_path(store.path)).record(
        "account_add", actor="cli", org_id=args.org, account=args.name, role=args.role)
    print(f"已创建账号 / created account {args.name} ({args.role}, {name or args.org}) "
          f"in {store.path}")
    if name is None:
        print("未核对组织 ID（没有数据库） / organization id not checked (no database)",
              file=sys.stderr)
    return 0


def cmd_list(args) -> int:
    path = _path(args)
    if not path.exists():
        print(f"没有账号文件 / no accounts file at {path}", file=sys.stderr)
        return 1
    rows = AccountStore(path).all()
    print(f"{'name':<24} {'role':<9} {'active':<7} {'created':<26} org")
    for a in rows:
        print(f"{a.name:<24} {a.role:<9} {'yes' if a.is_active else 'no':<7} "
              f"{a.created_at:<26} {a.org_id}")
    return 0


def _set_active(args, active: bool) -> int:
    store = AccountStore(_path(args))
    account = store.set_active(args.name, active)
    AuditLog(accounts.audit_path(store.path)).record(
        "account_enable" if active else "account_disable", actor="cli",
        org_id=account.org_id, account=args.name)
    print(("已启用 / enabled " if active else "已停用 / disabled ") + args.name)
    return 0


def cmd_passwd(args) -> int:
    store = AccountStore(_path(args))
    if store.get(args.name) is None:
        raise AccountError(f"没有这个账号 / no such account: {args.name}")
    account = store.set_password(args.name, _read_password(args))
    AuditLog(accounts.audit_path(store.path)).record(
        "password_reset", actor="cli", org_id=account.org_id, account=args.name)
    print(f"已修改密码 / password changed for {args.name}")
    return 0


DEMO_NAMES = {"admin": "demo-province-admin", "operator": "demo-college-operator",
              "viewer": "demo-branch-viewer"}


def cmd_demo(args) -> int:
    """The three demo accounts (created, or their passwords renewed when they exist)."""
    import queries
    from etl.metrics import connect

    if not Path(args.db).exists():
        raise AccountError(f"数据库不存在 / database not found: {args.db}")
    with connect(args.db) as conn:
        picked = queries.rows("demo_account_orgs", conn)
    store = AccountStore(_path(args))
    log = AuditLog(accounts.audit_path(store.path))
    print(f"演示账号 / demo accounts ({store.path}):")
    for row in picked:
        name, password = DEMO_NAMES[row["role"]], secrets.token_urlsafe(9)
        if store.get(name) is None:
            store.add(name, row["org_id"], row["role"], password, created_by="demo")
            log.record("account_add", actor="demo", org_id=row["org_id"], account=name,
                       role=row["role"])
        else:
            store.set_role(name, row["role"], row["org_id"])
            store.set_active(name, True)
            store.set_password(name, password)
            log.record("password_reset", actor="demo", org_id=row["org_id"], account=name)
        print(f"  {row['role']:<9} {name:<24} password: {password:<14} {row['full_name']}")
    return 0


def main(args) -> int:
    handler = {"add": cmd_add, "list": cmd_list, "disable": lambda a: _set_active(a, False),
               "enable": lambda a: _set_active(a, True), "passwd": cmd_passwd,
               "demo": cmd_demo}[args.user_command]
    try:
        return handler(args)
    except AccountError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
