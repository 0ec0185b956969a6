"""The history archive beside the database: written by every load, never rewritten, and the
source of the history when the database is lost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl import archive
from etl.load import LoadError, LoadSettings, load
from tests.etl.test_load import members_rows, source, write_csv  # noqa: F401

BRANCH = "某大学计算机学院2024级2班团支部"
HISTORY = {
    "loads": "select load_id, as_of, source, files, rows_read, rows_loaded from loads",
    "history_org": "select * from history_org",
    "history_registration": "select * from history_registration",
}


def history(db: Path, upto: int = 10**9) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {table: sorted(con.execute(f"select * from ({sql}) where load_id <= ?",
                                          [upto]).fetchall())
                for table, sql in HISTORY.items()}
    finally:
        con.close()


def three_loads(source: Path, db: Path) -> None:
    for i, day in enumerate(("2024-10-01", "2024-10-08", "2024-10-15")):
        write_csv(source / f"more{i}.csv", members_rows(i + 1, BRANCH, start=100 + 10 * i))
        load(LoadSettings(source=source, db=db, quiet=True, as_of=_at(day)))


def _at(day: str):
    import datetime as dt

    return dt.datetime.fromisoformat(day + "T12:00:00")


def test_each_load_writes_its_folder_with_a_manifest(source, tmp_path):
    """One folder per load: a Parquet file per history table, rows and SHA-256 in the manifest."""
    db = tmp_path / "zhtj.duckdb"
    three_loads(source, db)
    where = tmp_path / "zhtj.duckdb.history"
    assert archive.archived_loads(where) == [1, 2, 3]
    manifest = json.loads((where / "load-000002" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["load_id"] == 2
    assert manifest["files"]["loads.parquet"]["rows"] == 1
    assert manifest["files"]["history_org.parquet"]["rows"] == 4  # the four organizations
    entry = manifest["files"]["history_org.parquet"]
    assert entry["sha256"] == archive.sha256(where / "load-000002" / "history_org.parquet")
    assert archive.check(where) == []
    assert not [p for p in where.iterdir() if p.name.startswith(".")]


def test_deleting_the_database_loses_no_history(source, tmp_path):
    """Three loads, the database deleted, a fourth load: loads 1-3 exactly as before."""
    db = tmp_path / "zhtj.duckdb"
    three_loads(source, db)
    before = history(db)
    assert [r[0] for r in before["loads"]] == [1, 2, 3]
    written = {p: p.stat().st_mtime_ns for p in (tmp_path / "zhtj.duckdb.history").rglob("*")}
    db.unlink()
    load(LoadSettings(source=source, db=db, quiet=True, as_of=_at("2024-10-22")))
    assert history(db, upto=3) == before
    assert [r[0] for r in history(db)["loads"]] == [1, 2, 3, 4]
    # nothing already archived was rewritten
    assert {p: p.stat().st_mtime_ns for p in written} == written


def test_an_unreadable_database_is_rebuilt_from_the_archive(source, tmp_path):
    """A corrupted database file: the next load takes the history from the archive."""
    db = tmp_path / "zhtj.duckdb"
    three_loads(source, db)
    before = history(db)
    db.write_bytes(b"not a database" * 100)
    result = load(LoadSettings(source=source, db=db, quiet=True, as_of=_at("2024-10-22"),
                               accept_shrink=True))
    assert history(db, upto=3) == before
    assert any("history starts afresh" in w for w in result.warnings)


def test_a_damaged_archive_file_is_named_and_stops_the_load(source, tmp_path):
    """A flipped byte in one archived file: the load names it and stops; --allow-skipped
    leaves that load's history out and says so."""
    db = tmp_path / "zhtj.duckdb"
    three_loads(source, db)
    damaged = tmp_path / "zhtj.duckdb.history" / "load-000002" / "history_org.parquet"
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    assert [p.path for p in archive.check(damaged.parent.parent)] == [damaged]
    db.unlink()
    with pytest.raises(LoadError, match="load-000002/history_org.parquet") as info:
        load(LoadSettings(source=source, db=db, quiet=True))
    assert "校验和不符" in str(info.value) and "checksum does not match" in str(info.value)
    assert not db.exists()
    result = load(LoadSettings(source=source, db=db, quiet=True, allow_skipped=True))
    assert [r[0] for r in history(db)["loads"]] == [1, 3, 4]
    assert any("load-000002/history_org.parquet" in w for w in result.warnings)


def test_history_made_before_the_archive_is_archived_by_the_next_load(source, tmp_path):
    """A database whose loads were never archived (an older version, or another --history):
    the next load writes them all."""
    db = tmp_path / "zhtj.duckdb"
    three_loads(source, db)
    moved = tmp_path / "elsewhere"
    load(LoadSettings(source=source, db=db, quiet=True, history=moved))
    assert archive.archived_loads(moved) == [1, 2, 3, 4]
    assert archive.check(moved) == []


def test_the_command_takes_a_history_folder(source, tmp_path):
    """`zhtj etl --history DIR` writes the archive there, not beside the database."""
    db, where = tmp_path / "zhtj.duckdb", tmp_path / "archive"
    run = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(source), "--db", str(db),
                          "--history", str(where), "--quiet"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert archive.archived_loads(where) == [1]
    assert not (tmp_path / "zhtj.duckdb.history").exists()


def test_a_folder_left_by_a_killed_load_is_never_read_and_is_cleared(source, tmp_path):
    """A half-written `.load-000002.tmp-PID` of a dead process: ignored, then replaced whole."""
    db = tmp_path / "zhtj.duckdb"
    load(LoadSettings(source=source, db=db, quiet=True))
    where = tmp_path / "zhtj.duckdb.history"
    stale = where / ".load-000002.tmp-999999999"
    stale.mkdir()
    (stale / "loads.parquet").write_bytes(b"half")
    assert archive.archived_loads(where) == [1] and archive.check(where) == []
    load(LoadSettings(source=source, db=db, quiet=True))
    assert not stale.exists()
    assert archive.archived_loads(where) == [1, 2] and archive.check(where) == []
