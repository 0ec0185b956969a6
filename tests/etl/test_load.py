"""A whole load from files: publishing, reconciliation, idempotence, failure and kill safety."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl import load as load_module
from etl.load import LoadError, LoadSettings, load
from etl.metrics import compute, connect
from tests.etl.killed_load import kill_load_midway
from tests.queries.conftest import make_id

ORGS = [
    ("组织ID", "上级组织ID", "组织类型", "团组织全称"),
    ("r-P==", "", "领导机关团组织", "共青团某省委员会"),
    ("r-U==", "r-P==", "团委", "共青团某大学委员会"),
    ("r-B1==", "r-U==", "团支部", "某大学计算机学院2024级1班团支部"),
    ("r-B2==", "r-U==", "团支部", "某大学计算机学院2024级2班团支部"),
]


def members_rows(n: int, branch: str, start: int = 1):
    header = ("姓名", "身份证号码", "所在团支部", "报到资料状态", "资料审核时间")
    rows = [(f"学生{i}", make_id(f"2006{i // 1000 % 12 + 1:02d}{i // 12000 % 28 + 1:02d}", i % 1000),
             branch, "审核通过", "2024-09-02 10:00:00")
            for i in range(start, start + n)]
    return [header, *rows]


def write_csv(path: Path, rows, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.fixture
def source(tmp_path: Path) -> Path:
    src = tmp_path / "exports"
    write_csv(src / "orgs.csv", ORGS)
    write_csv(src / "b1.csv", members_rows(5, "某大学计算机学院2024级1班团支部"), "gbk")
    write_csv(src / "b2.csv", members_rows(3, "某大学计算机学院2024级2班团支部", start=10))
    return src


def figures(db: Path, org: str = "r-P==") -> dict:
    with connect(db) as conn:
        data = compute(conn, org)
    data.pop("as_of")
    return data


def test_load_publishes_a_database_whose_counts_reconcile(source, tmp_path):
    """A load writes the database, its load log reconciles, and the figures read back."""
    db = tmp_path / "zhtj.duckdb"
    result = load(LoadSettings(source=source, db=db, quiet=True))
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (12, 12, 0)
    assert figures(db)["members_active"] == 8
    assert figures(db, "r-B1==")["members_active"] == 5
    assert not list(tmp_path.glob("zhtj.duckdb.tmp-*"))


def test_loading_the_same_input_twice_gives_the_same_figures(source, tmp_path):
    """Loads are repeatable: same files, same figures, and history grows by one load."""
    db = tmp_path / "zhtj.duckdb"
    load(LoadSettings(source=source, db=db, quiet=True))
    first = figures(db)
    load(LoadSettings(source=source, db=db, quiet=True))
    assert figures(db) == first
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select list(load_id order by load_id) from loads").fetchone()[0] == [1, 2]
    con.close()


def test_a_failing_load_leaves_the_previous_database_intact(source, tmp_path, monkeypatch):
    """A load that fails halfway publishes nothing and leaves no half-built file behind."""
    db = tmp_path / "zhtj.duckdb"
    load(LoadSettings(source=source, db=db, quiet=True))
    before = db.read_bytes()
    write_csv(source / "b3.csv", members_rows(4, "某大学计算机学院2024级2班团支部", start=50))

    real = load_module.build_table

    def failing(con, name):
        if name == "org_rollup":
            raise RuntimeError("disk full")
        real(con, name)

    monkeypatch.setattr(load_module, "build_table", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        load(LoadSettings(source=source, db=db, quiet=True))
    assert db.read_bytes() == before
    assert figures(db)["members_active"] == 8
    assert not list(tmp_path.glob("zhtj.duckdb.tmp-*"))


def test_a_killed_load_leaves_the_previous_database_readable(source, tmp_path):
    """SIGKILL in the middle of a load: the old database still answers, unchanged."""
    db = tmp_path / "zhtj.duckdb"
    load(LoadSettings(source=source, db=db, quiet=True))
    before = figures(db)
    for i in range(40):
        write_csv(source / "more" / f"m{i}.csv",
                  members_rows(200, "某大学计算机学院2024级2班团支部", start=1000 + i * 200))
    kill_load_midway(db, [str(source), "--quiet"], after=0.3)
    assert figures(db) == before
    load(LoadSettings(source=source, db=db, quiet=True))
    assert figures(db)["members_active"] == 8 + 40 * 200
    assert not list(tmp_path.glob("zhtj.duckdb.tmp-*"))


def test_a_reader_keeps_its_view_while_a_load_publishes(source, tmp_path):
    """An open read-only reader is not blocked by a load and does not block it."""
    db = tmp_path / "zhtj.duckdb"
    load(LoadSettings(source=source, db=db, quiet=True))
    reader = duckdb.connect(str(db), read_only=True)
    write_csv(source / "b3.csv", members_rows(4, "某大学计算机学院2024级2班团支部", start=50))
    load(LoadSettings(source=source, db=db, quiet=True))
    old = reader.execute("select members_active from org_rollup where org_id = 'r-P=='").fetchone()
    reader.close()
    assert old == (8,)
    assert figures(db)["members_active"] == 12


def test_an_unreadable_file_fails_the_command_unless_allowed(source, tmp_path):
    """A skipped file is named, the rest loads, and the exit code says so."""
    (source / "notes.csv").write_text("随便写的,不是导出文件\n1,2\n", encoding="utf-8")
    db = tmp_path / "zhtj.duckdb"
    cmd = [sys.executable, "-m", "etl.cli", "etl", str(source), "--db", str(db)]
    first = subprocess.run(cmd, capture_output=True, text=True)
    assert first.returncode == 1
    assert "notes.csv" in first.stderr + first.stdout
    assert figures(db)["members_active"] == 8
    second = subprocess.run([*cmd, "--allow-skipped"], capture_output=True, text=True)
    assert second.returncode == 0, second.stderr


def test_a_missing_source_is_refused(tmp_path):
    """A source path that does not exist stops the load with a clear error."""
    with pytest.raises(LoadError, match="source not found"):
        load(LoadSettings(source=tmp_path / "nope", db=tmp_path / "x.duckdb", quiet=True))


def test_a_memory_limit_spills_to_the_temporary_folder_and_too_low_a_limit_is_said(
        source, tmp_path):
    """`--memory-limit` and `--temp-dir`: the build uses the folder given (made if missing) and
    leaves nothing there; a limit too low even to spill stops with exit 2, a line in Chinese and
    English naming the limit, and the published database unchanged."""
    db, spill = tmp_path / "zhtj.duckdb", tmp_path / "scratch" / "spill"
    cmd = [sys.executable, "-m", "etl.cli", "etl", str(source), "--db", str(db), "--quiet"]
    done = subprocess.run([*cmd, "--memory-limit", "200MB", "--temp-dir", str(spill)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert figures(db)["members_active"] == 8
    assert spill.is_dir() and list(spill.iterdir()) == []
    settings = LoadSettings(source=source, db=db, temp_dir=spill)
    con = load_module.connect_for_build(tmp_path / "x.duckdb", settings)
    try:
        assert con.execute("select current_setting('temp_directory')").fetchone()[0] == str(
            spill / "x.duckdb.spill")
    finally:
        con.close()
    before = db.read_bytes()
    low = subprocess.run([*cmd, "--memory-limit", "8MB", "--temp-dir", str(spill)],
                         capture_output=True, text=True)
    assert low.returncode == 2, low.stderr
    assert "内存上限不够" in low.stderr and "the memory limit (8MB) is too low" in low.stderr
    assert "Traceback" not in low.stderr
    assert db.read_bytes() == before
