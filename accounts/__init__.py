"""Accounts, sign-in lockout and the audit log: files of their own beside the analytics database
(which every load replaces)."""

from __future__ import annotations

from pathlib import Path

ACCOUNTS_FILE = "accounts.sqlite"
AUDIT_FILE = "audit.sqlite"
SECRET_FILE = "accounts.secret"


def default_path(db: Path | None) -> Path:
    """The accounts file: next to the database (data/accounts.sqlite when no database is named)."""
    return (Path(db).parent if db else Path("data")) / ACCOUNTS_FILE


def audit_path(accounts: Path) -> Path:
    return Path(accounts).with_name(AUDIT_FILE)


def secret_path(accounts: Path) -> Path:
    return Path(accounts).with_name(SECRET_FILE)
