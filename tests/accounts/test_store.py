"""Accounts, lockout and the audit log in their own SQLite files."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from accounts.audit import AuditLog
from accounts.lockout import Lockout, Policy
from accounts.store import AccountError, AccountStore


def test_passwords_are_stored_hashed_and_verified(tmp_path):
    store = AccountStore(tmp_path / "accounts.sqlite")
    store.add("alice", "G1", "operator", "s3cret-pass")
    row = sqlite3.connect(tmp_path / "accounts.sqlite").execute(
        "select password_hash from accounts").fetchone()[0]
    assert "s3cret-pass" not in row and row.startswith(("scrypt:", "pbkdf2:"))
    assert store.verify("alice", "s3cret-pass").name == "alice"
    assert store.verify("alice", "wrong-pass") is None
    assert store.verify("nobody", "s3cret-pass") is None
    assert stat.S_IMODE((tmp_path / "accounts.sqlite").stat().st_mode) == 0o600


@pytest.mark.parametrize("name, org, role, password", [
    ("a", "G1", "viewer", "long-enough"),  # name too short
    ("bob smith", "G1", "viewer", "long-enough"),
    ("bob", "G1", "root", "long-enough"),
    ("bob", "G1", "viewer", "short"),
    ("bob", "", "viewer", "long-enough"),
])
def test_bad_accounts_are_refused_with_a_bilingual_message(tmp_path, name, org, role, password):
    with pytest.raises(AccountError, match=" / "):
        AccountStore(tmp_path / "a.sqlite").add(name, org, role, password)


def test_roles_decide_what_is_revealed(tmp_path):
    store = AccountStore(tmp_path / "a.sqlite")
    for role in ("viewer", "operator", "admin"):
        store.add(role, "P", role, "long-enough")
    assert [store.get(r).reveal for r in ("viewer", "operator", "admin")] == [False, True, True]
    assert store.get("admin").is_admin and not store.get("operator").is_admin
    with pytest.raises(AccountError):
        store.add("viewer", "P", "viewer", "long-enough")


def test_a_password_change_changes_the_session_token(tmp_path):
    store = AccountStore(tmp_path / "a.sqlite")
    before = store.add("x1", "P", "viewer", "long-enough").token
    assert store.set_password("x1", "another-one").token != before
    assert not store.set_active("x1", False).is_active


def test_lockout_after_repeated_failures_ends_on_time(tmp_path):
    now = [1000.0]
    lock = Lockout(tmp_path / "a.sqlite", Policy(per_account=3, per_client=5, window=60, lock=120),
                   clock=lambda: now[0])
    for _ in range(2):
        lock.failed("bob", "1.2.3.4")
    assert lock.locked_until("bob", "1.2.3.4") is None
    lock.failed("bob", "1.2.3.4")
    assert lock.locked_until("bob", "1.2.3.4") == 1120.0
    assert lock.locked_until("bob", "5.6.7.8") == 1120.0  # the account, from anywhere
    assert lock.locked_until("carol", "1.2.3.4") is None  # 3 failures < 5 for the address
    now[0] = 1121.0
    assert lock.locked_until("bob", "1.2.3.4") is None
    for i in range(5):
        lock.failed(f"u{i}", "9.9.9.9")
    assert lock.locked_until("anyone", "9.9.9.9") is not None  # the address
    lock.failed("bob", "1.2.3.4")
    lock.succeeded("bob")
    assert lock.locked_until("bob", "1.2.3.4") is None


def test_the_audit_log_is_append_only_and_read_newest_first(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite")
    log.record("login_success", actor="a", actor_org_id="G1", client="1.1.1.1")
    log.record("download", actor="b", actor_org_id="G2", org_id="B21", what="x", rows=3)
    assert [e["actor"] for e in log.entries()] == ["b", "a"]
    assert log.entries(actor_org_ids=["G1"])[0]["actor"] == "a"
    assert log.count(actor_org_ids=[]) == 0 and log.count() == 2
    assert log.entries()[0]["detail"] == {"what": "x", "rows": 3}
    conn = sqlite3.connect(tmp_path / "audit.sqlite")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("delete from audit where actor = 'a'")
    with pytest.raises(ValueError):
        log.record("made_up")
