"""`zhtj backup`: the database, the history archive, the accounts and the audit log copied as one
consistent set while the app serves and a load may run.

A published database file never changes (a load builds a new file and renames it in place), so
the file open at the start is copied whole even if a load publishes meanwhile. The archive is
append-only, and a load writes it before it publishes: every load of the copied database is in
the archive when it is copied after the database. The SQLite files go through SQLite's online
backup API, which copies a consistent state while the server writes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import accounts
from etl import archive

MANIFEST = "BACKUP.json"
HISTORY_DIR = "history"


@dataclass(frozen=True)
class Paths:
    """Where the live files of one installation are."""

    db: Path
    history: Path
    accounts: Path

    @classmethod
    def of(cls, db: Path, history: Path | None = None, accounts_file: Path | None = None):
        db = Path(db)
        return cls(db=db, history=Path(history) if history else archive.default_path(db),
                   accounts=Path(accounts_file) if accounts_file else accounts.default_path(db))

    def sqlite_files(self) -> dict[str, Path]:
        return {accounts.ACCOUNTS_FILE: self.accounts,
                accounts.AUDIT_FILE: accounts.audit_path(self.accounts)}

    def secret(self) -> Path:
        return accounts.secret_path(self.accounts)


class BackupError(RuntimeError):
    """The backup or restore could not be done; the message is bilingual."""


def backup(paths: Paths, to: Path) -> dict:
    """Write the set into `to` (new or empty); returns the manifest."""
    to = Path(to)
    if to.exists() and any(to.iterdir()):
        raise BackupError(f"目标目录不为空 / the backup folder is not empty: {to}")
    if not paths.db.is_file():
        raise BackupError(f"数据库不存在 / database not found: {paths.db}")
    tmp = to.with_name(f".{to.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        files: dict[str, dict] = {}
        with open(paths.db, "rb") as src:  # this file, even if a load renames another over it
            with open(tmp / paths.db.name, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 24)
        files[paths.db.name] = {"role": "database"}
        for load_id in archive.archived_loads(paths.history):
            source = archive.folder(paths.history, load_id)
            shutil.copytree(source, tmp / HISTORY_DIR / source.name)
        problems = archive.check(tmp / HISTORY_DIR)
        if problems:
            raise BackupError("历史存档损坏，未备份 / the history archive is damaged, no backup "
                              "made: " + "; ".join(str(p) for p in problems))
        for name, live in paths.sqlite_files().items():
            if live.is_file():
                copy_sqlite(live, tmp / name)
                files[name] = {"role": "accounts" if name == accounts.ACCOUNTS_FILE else "audit"}
        if paths.secret().is_file():
            shutil.copy2(paths.secret(), tmp / accounts.SECRET_FILE)
            files[accounts.SECRET_FILE] = {"role": "session secret"}
        for name, entry in files.items():
            entry.update(bytes=(tmp / name).stat().st_size, sha256=archive.sha256(tmp / name))
        manifest = {"format": 1, "made_at": dt.datetime.now().isoformat(timespec="seconds"),
                    "database": paths.db.name, "loads": archive.archived_loads(tmp / HISTORY_DIR),
                    "files": files}
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                    encoding="utf-8")
        for p in tmp.iterdir():
            if p.is_file():
                os.chmod(p, 0o600)
        if to.exists():
            to.rmdir()
        os.rename(tmp, to)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite file (SQLite's online backup API)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    os.chmod(target, 0o600)
