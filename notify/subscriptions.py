"""Subscriptions: for one organization's subtree, these rules, to this channel, in this language,
at this level of masking. Kept in notify.sqlite (beside the accounts file) with what each has
already been told (notify/alerted.py)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

import queries
from accounts import db
from accounts.store import ROLES, AccountStore
from notify.errors import ConfigError
from notify.rules import rule

NOTIFY_FILE = "notify.sqlite"
SCHEMA = """
create table if not exists subscriptions (
    subscription_id integer primary key,
    owner text not null,
    org_id text not null,
    rules text not null,
    channel text not null,
    lang text not null,
    role text not null,
    attach_pack integer not null default 0,
    paused integer not null default 0,
    created_at text not null,
    created_by text
);
-- what each subscription has been told: a finding at a level, until it is fixed (notify/alerted.py)
create table if not exists alerted (
    subscription_id integer not null,
    rule text not null,
    item_key text not null,
    level integer not null,
    load_id integer not null,
    primary key (subscription_id, rule, item_key)
);
"""
# A group chat sees what a viewer sees unless the admin chooses otherwise.
DEFAULT_ROLE = "viewer"


def default_path(accounts_file: Path) -> Path:
    """notify.sqlite beside the accounts file."""
    return Path(accounts_file).with_name(NOTIFY_FILE)


@dataclass(frozen=True)
class Subscription:
    subscription_id: int
    owner: str
    org_id: str
    rules: tuple[str, ...]
    channel: str
    lang: str
    role: str
    attach_pack: bool
    paused: bool
    created_at: str
    created_by: str | None

    @property
    def reveal(self) -> bool:
        """Names in full (mobiles are never printed); as the role shows them on screen."""
        return self.role in ("operator", "admin")


def check(rules: list[str], lang: str, role: str) -> tuple[str, ...]:
    if not rules:
        raise ConfigError("至少选择一条规则 / choose at least one rule")
    for code in rules:
        rule(code)  # raises on an unknown rule
    if lang not in ("zh", "en"):
        raise ConfigError(f"语言应为 zh 或 en / language must be zh or en: {lang}")
    if role not in ROLES:
        raise ConfigError(f"角色应为 {'|'.join(ROLES)} / role must be one of {', '.join(ROLES)}")
    return tuple(dict.fromkeys(rules))


class Subscriptions:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        db.create(self.path, SCHEMA)

    def _row(self, r) -> Subscription:
        return Subscription(r["subscription_id"], r["owner"], r["org_id"],
                            tuple(json.loads(r["rules"])), r["channel"], r["lang"], r["role"],
                            bool(r["attach_pack"]), bool(r["paused"]), r["created_at"],
                            r["created_by"])

    def add(self, *, owner: str, org_id: str, rules: list[str], channel: str, lang: str = "zh",
            role: str = DEFAULT_ROLE, attach_pack: bool = False,
            created_by: str | None = None) -> Subscription:
        codes = check(rules, lang, role)
        now = dt.datetime.now().isoformat(timespec="seconds")
        with db.connect(self.path) as conn:
            cur = conn.execute(
                "insert into subscriptions (owner, org_id, rules, channel, lang, role, attach_pack, "
                "paused, created_at, created_by) values (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                (owner, org_id, json.dumps(list(codes)), channel, lang, role, int(attach_pack),
                 now, created_by or owner))
            new_id = cur.lastrowid
        return self.get(new_id)

    def get(self, subscription_id: int) -> Subscription | None:
        with db.connect(self.path) as conn:
            r = conn.execute("select * from subscriptions where subscription_id = ?",
                             (subscription_id,)).fetchone()
        return self._row(r) if r else None

    def all(self) -> list[Subscription]:
        with db.connect(self.path) as conn:
            rows = conn.execute("select * from subscriptions order by subscription_id").fetchall()
        return [self._row(r) for r in rows]

    def set_paused(self, subscription_id: int, paused: bool) -> Subscription:
        with db.connect(self.path) as conn:
            conn.execute("update subscriptions set paused = ? where subscription_id = ?",
                         (int(paused), subscription_id))
        return self._must(subscription_id)

    def remove(self, subscription_id: int) -> Subscription:
        found = self._must(subscription_id)
        with db.connect(self.path) as conn:
            conn.execute("delete from subscriptions where subscription_id = ?", (subscription_id,))
            conn.execute("delete from alerted where subscription_id = ?", (subscription_id,))
        return found

    def _must(self, subscription_id: int) -> Subscription:
        found = self.get(subscription_id)
        if found is None:
            raise ConfigError(f"没有这个订阅 / no subscription {subscription_id}")
        return found


def within(con, owner_org_id: str | None, org: dict) -> bool:
    """Whether the organization (an org_lookup row) is in the owner's subtree (None: the whole
    tree)."""
    if owner_org_id is None:
        return True
    top = queries.rows("org_lookup", con, org_id=owner_org_id)
    return bool(top) and top[0]["seq"] <= org["seq"] <= top[0]["seq_last"]


def check_owner_scope(accounts_file: Path, db_path: Path, owner: str, org_id: str) -> None:
    """A subscription covers at most its owner's subtree: the owner is an active account and the
    organization is loaded and inside its subtree."""
    account = AccountStore(accounts_file).get(owner)
    if account is None or not account.is_active:
        raise ConfigError(f"账号不存在或已停用 / no active account named {owner}")
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        org = queries.rows("org_lookup", con, org_id=org_id)
        if not org:
            raise ConfigError(f"组织不存在 / organization not found: {org_id}")
        if not within(con, account.org_id, org[0]):
            raise ConfigError(f"组织 {org_id} 不在 {owner} 的范围内 / organization {org_id} is "
                              f"outside {owner}'s subtree")
    finally:
        con.close()
