"""`zhtj doctor`: a line per check, the fix named when one fails, and the exit code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from exports.render import chromium_path
from ops import doctor
from ops.backup import Paths
from tests.etl.test_load import source  # noqa: F401
from tests.ops.test_backup import installation


def run_doctor(db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl.cli", "doctor", "--db", str(db)],
                          capture_output=True, text=True)


@pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed")
def test_a_sound_installation_passes_every_check(source, tmp_path):
    """Loaded database, archive, 0600 account files, chromium: six ok lines, exit 0."""
    paths = installation(source, tmp_path / "site")
    run = run_doctor(paths.db)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 6 and all(line.startswith("[正常 / ok  ]") for line in lines)
    assert "load 2, as of 2024-10-08 12:00" in run.stdout
    assert "2 loads, checksums match" in run.stdout
    assert "test chart" in run.stdout


def test_loose_permissions_and_a_damaged_archive_fail_with_their_fix(source, tmp_path):
    """accounts.sqlite readable by others and a damaged archive file: both named, exit 1."""
    paths = installation(source, tmp_path / "site")
    paths.accounts.chmod(0o644)
    damaged = paths.history / "load-000001" / "loads.parquet"
    damaged.write_bytes(damaged.read_bytes() + b"x")
    checks = {c.name: c for c in (doctor.account_files(paths), doctor.history_archive(paths))}
    permissions = checks["账号文件权限 / account files' permissions"]
    assert not permissions.ok and "accounts.sqlite (0644)" in permissions.detail
    assert permissions.fix.startswith("chmod 600 ")
    history = checks["历史存档 / history archive"]
    assert not history.ok and "load-000001/loads.parquet" in history.detail
    run = run_doctor(paths.db)
    assert run.returncode == 1
    assert "修复 / fix: chmod 600" in run.stdout and "check(s) failed" in run.stderr


def test_a_missing_database_fails_and_says_how_to_load(tmp_path):
    """No database at the path: the check fails and names the load command."""
    check = doctor.database(Paths.of(tmp_path / "none.duckdb"))
    assert not check.ok and "zhtj etl SOURCE --db" in check.fix


def test_too_little_free_space_fails(source, tmp_path, monkeypatch):
    """Less free space than a load needs beside the database: named with the amount needed."""
    paths = installation(source, tmp_path / "site")

    class Usage:
        free = 10

    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda _where: Usage)
    check = doctor.disk_space(paths)
    assert not check.ok and "a load needs about" in check.fix
