"""`zhtj backup` and `zhtj restore`: one consistent set, checked, put back, working."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

import accounts
from accounts.audit import AuditLog
from accounts.store import AccountStore
from dashboard.auth import secret_key
from etl import archive
from etl.load import LoadSettings, load
from ops.backup import BackupError, Paths, backup
from ops.restore import restore
from tests.etl.test_history_archive import history
from tests.etl.test_load import figures, members_rows, source, write_csv  # noqa: F401

BRANCH = "某大学计算机学院2024级2班团支部"
PASSWORD = "correct horse 1"


def installation(source: Path, where: Path) -> Paths:
    """Two loads, an admin account who signed in once, as a running site has them."""
    db = where / "zhtj.duckdb"
    load(LoadSettings(source=source, db=db, quiet=True, as_of=dt.datetime(2024, 10, 1, 12)))
    write_csv(source / "more.csv", members_rows(2, BRANCH, start=500))
    load(LoadSettings(source=source, db=db, quiet=True, as_of=dt.datetime(2024, 10, 8, 12)))
    paths = Paths.of(db)
    AccountStore(paths.accounts).add("prov-admin", "r-P==", "admin", PASSWORD)
    AuditLog(accounts.audit_path(paths.accounts)).record("login_success", actor="prov-admin",
                                                         client="10.1.2.3")
    secret_key(accounts.secret_path(paths.accounts))  # as the server makes it on its first start
    return paths


def audit_rows(paths: Paths) -> int:
    import sqlite3

    con = sqlite3.connect(accounts.audit_path(paths.accounts))
    try:
        return con.execute("select count(*) from audit").fetchone()[0]
    finally:
        con.close()


def test_backup_and_restore_round_trip_after_a_lost_disk(source, tmp_path):
    """Everything deleted, then restored: figures, history, accounts, audit and secret back."""
    paths = installation(source, tmp_path / "site")
    before = figures(paths.db), history(paths.db)
    secret = accounts.secret_path(paths.accounts).read_text()
    manifest = backup(paths, tmp_path / "backup")
    assert manifest["loads"] == [1, 2]
    assert set(manifest["files"]) == {"zhtj.duckdb", "accounts.sqlite", "audit.sqlite",
                                      "accounts.secret"}
    import shutil

    shutil.rmtree(tmp_path / "site")
    done = restore(tmp_path / "backup", paths)
    assert any("+2 loads" in line for line in done)
    assert (figures(paths.db), history(paths.db)) == before
    assert archive.check(paths.history) == [] and archive.archived_loads(paths.history) == [1, 2]
    assert AccountStore(paths.accounts).verify("prov-admin", PASSWORD) is not None
    assert audit_rows(paths) == 1
    assert accounts.secret_path(paths.accounts).read_text() == secret
    for name in ("accounts.sqlite", "audit.sqlite", "accounts.secret"):
        assert (paths.db.parent / name).stat().st_mode & 0o077 == 0
    # the next load after a restore goes on from the restored history
    load(LoadSettings(source=source, db=paths.db, quiet=True))
    assert [r[0] for r in history(paths.db)["loads"]] == [1, 2, 3]


def test_a_damaged_backup_is_refused_and_nothing_changes(source, tmp_path):
    """A changed byte in the backup's database: restore names the file and touches nothing."""
    paths = installation(source, tmp_path / "site")
    backup(paths, tmp_path / "backup")
    copy = tmp_path / "backup" / "zhtj.duckdb"
    data = bytearray(copy.read_bytes())
    data[len(data) // 3] ^= 0xFF
    copy.write_bytes(bytes(data))
    before = paths.db.read_bytes()
    with pytest.raises(BackupError, match="backup/zhtj.duckdb: .*checksum does not match"):
        restore(tmp_path / "backup", paths, replace=True)
    assert paths.db.read_bytes() == before


def test_restore_over_a_database_needs_replace(source, tmp_path):
    """A database in place is overwritten only when asked; a non-empty backup folder is refused."""
    paths = installation(source, tmp_path / "site")
    backup(paths, tmp_path / "backup")
    with pytest.raises(BackupError, match="--replace"):
        restore(tmp_path / "backup", paths)
    with pytest.raises(BackupError, match="not empty"):
        backup(paths, tmp_path / "backup")
    restore(tmp_path / "backup", paths, replace=True)
    assert figures(paths.db)["members_active"] == 10


def test_a_backup_taken_during_a_load_and_while_serving_restores_to_a_working_app(
        source, tmp_path):
    """The app reads the database and a bigger load runs while `zhtj backup` copies: the
    restored set opens in the app, signs in and shows the province."""
    from tests.dashboard.secured import sign_in

    from dashboard.app import Settings, create_app

    paths = installation(source, tmp_path / "site")
    app = create_app(Settings(db=paths.db, accounts=paths.accounts))
    client = sign_in(app, "prov-admin")
    assert client.get("/").status_code == 200
    for i in range(40):
        write_csv(source / "bulk" / f"m{i}.csv", members_rows(300, BRANCH, start=10_000 + i * 300))
    loading = subprocess.Popen([sys.executable, "-m", "etl.cli", "etl", str(source), "--db",
                                str(paths.db), "--quiet"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(paths.db.parent.glob("zhtj.duckdb.tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    run = subprocess.run([sys.executable, "-m", "etl.cli", "backup", "--db", str(paths.db),
                          "--to", str(tmp_path / "backup")], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert loading.wait(timeout=300) == 0, loading.stderr.read()
    restored = tmp_path / "restored" / "zhtj.duckdb"
    run = subprocess.run([sys.executable, "-m", "etl.cli", "restore", "--from",
                          str(tmp_path / "backup"), "--db", str(restored)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "restore done and checked" in run.stdout
    assert figures(restored)["members_active"] in (10, 10 + 40 * 300)
    app = create_app(Settings(db=restored, accounts=restored.parent / "accounts.sqlite"))
    client = sign_in(app, "prov-admin")
    page = client.get("/")
    assert page.status_code == 200
    con = duckdb.connect(str(restored), read_only=True)
    assert con.execute("select count(*) from loads").fetchall()[0][0] in (2, 3)
    con.close()
