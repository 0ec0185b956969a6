"""Accounts: name, organization, role and a password hash (werkzeug's scrypt), in a SQLite file."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from accounts import db

ROLES = ("viewer", "operator", "admin")
MIN_PASSWORD = 8
_NAME = re.compile(r"^[\w.@-]{2,40}$")
# Verified against when the name is unknown, so that a wrong name takes as long as a wrong password.

@functools.cache
def _dummy_hash() -> str:
    """A hash to check a wrong name's password against (as long as a real check), made at the
    first sign-in rather than at import: every `zhtj` command imports this module."""
    return generate_password_hash("not-a-password")


SCHEMA = """
create table if not exists accounts (
    name text primary key,
    org_id text not null,
    role text not null check (role in ('viewer', 'operator', 'admin')),
    password_hash text not null,
    is_active integer not null default 1,
    created_at text not null,
    created_by text,
    password_changed_at text not null
);
"""


class AccountError(ValueError):
    """A refused account change; the message is "中文 / English"."""


@dataclass(frozen=True)
class Account:
    name: str
    org_id: str | None  # None: the whole loaded tree (the local account of --no-auth)
    role: str
    is_active: bool = True
    created_at: str = ""
    created_by: str | None = None
    password_hash: str = ""

    @property
    def reveal(self) -> bool:
        """Names and mobiles in full in follow-up lists (never ID numbers)."""
        return self.role in ("operator", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def token(self) -> str:
        """Changes with the password: a session signed before a password change stops working."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise AccountError("账号名应为 2–40 个字母、数字或 _.@- / an account name is 2–40 letters, "
                           f"digits or _.@-: {name!r}")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"角色应为 {'|'.join(ROLES)} / role must be one of {', '.join(ROLES)}: "
                           f"{role!r}")
    return role


def check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 个字符 / a password has at least "
                           f"{MIN_PASSWORD} characters")
    return password


class AccountStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        db.create(self.path, SCHEMA)

    def _row(self, row) -> Account | None:
        if row is None:
            return None
        return Account(name=row["name"], org_id=row["org_id"], role=row["role"],
                       is_active=bool(row["is_active"]), created_at=row["created_at"],
                       created_by=row["created_by"], password_hash=row["password_hash"])

    def get(self, name: str) -> Account | None:
        with db.connect(self.path) as conn:
            return self._row(conn.execute("select * from accounts where name = ?",
                                          (name,)).fetchone())

    def all(self) -> list[Account]:
        with db.connect(self.path) as conn:
            return [self._row(r) for r in conn.execute("select * from accounts order by name")]

    def count(self) -> int:
        with db.connect(self.path) as conn:
            return conn.execute("select count(*) from accounts").fetchone()[0]

    def add(self, name: str, org_id: str, role: str, password: str, *,
            created_by: str | None = None) -> Account:
        check_name(name), check_role(role), check_password(password)
        if not org_id:
            raise AccountError("需要组织 ID / an organization id is required")
        now = _now()
        with db.connect(self.path) as conn:
            if conn.execute("select 1 from accounts where name = ?", (name,)).fetchone():
                raise AccountError(f"账号已存在 / account exists: {name}")
            conn.execute("insert into accounts values (?, ?, ?, ?, 1, ?, ?, ?)",
                         (name, org_id, role, generate_password_hash(password), now, created_by,
                          now))
        return self.get(name)

    def set_password(self, name: str, password: str) -> Account:
        check_password(password)
        with db.connect(self.path) as conn:
            done = conn.execute("update accounts set password_hash = ?, password_changed_at = ? "
                                "where name = ?", (generate_password_hash(password), _now(), name))
        if done.rowcount == 0:
            raise AccountError(f"没有这个账号 / no such account: {name}")
        return self.get(name)

    def set_active(self, name: str, active: bool) -> Account:
        with db.connect(self.path) as conn:
            done = conn.execute("update accounts set is_active = ? where name = ?",
                                (int(active), name))
        if done.rowcount == 0:
            raise AccountError(f"没有这个账号 / no such account: {name}")
        return self.get(name)

    def set_role(self, name: str, role: str, org_id: str) -> Account:
        check_role(role)
        with db.connect(self.path) as conn:
            conn.execute("update accounts set role = ?, org_id = ? where name = ?",
                         (role, org_id, name))
        return self.get(name)

    def verify(self, name: str, password: str) -> Account | None:
        """The account when the password is right (active or not: the caller says which)."""
        account = self.get(name) if isinstance(name, str) else None
        if account is None:
            check_password_hash(_dummy_hash(), password or "")
            return None
        return account if check_password_hash(account.password_hash, password or "") else None
