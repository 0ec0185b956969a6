"""Loads that cannot wipe the data (an empty or half-present source) and skipped files named in
full whatever the width of the output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from etl.load import LoadError, LoadSettings, load
from tests.etl.test_load import ORGS, figures, members_rows, source, write_csv  # noqa: F401

CADRES = [("姓名", "身份证号码", "所在组织", "团内现任职务", "是否入驻企业号"),
          ("书记甲", "11010519491231002X", "某大学计算机学院2024级1班团支部", "书记", "是")]


def published(db: Path) -> bytes:
    return db.read_bytes()


def test_an_empty_source_is_refused_and_the_database_kept(source, tmp_path):
    """A drop folder that was not mounted (empty) stops the load; the figures stay."""
    db = tmp_path / "zhtj.duckdb"
    load(LoadSettings(source=source, db=db, quiet=True))
    before = published(db)
    empty = tmp_path / "drop"
    empty.mkdir()
    with pytest.raises(LoadError, match="source holds no files"):
        load(LoadSettings(source=empty, db=db, quiet=True, accept_shrink=True))
    assert published(db) == before
    assert figures(db)["members_active"] == 8


def test_a_source_of_only_unreadable_files_is_refused(tmp_path):
    """Files none of which can be read publish nothing, even into a new database."""
    src = tmp_path / "drop"
    write_csv(src / "notes.csv", [("随便写的", "不是导出文件"), ("1", "2")])
    with pytest.raises(LoadError, match="no rows could be read"):
        load(LoadSettings(source=src, db=tmp_path / "zhtj.duckdb", quiet=True))
    assert not (tmp_path / "zhtj.duckdb").exists()


def test_a_missing_kind_of_file_stops_the_load_unless_accepted(source, tmp_path):
    """The previous load had member files and this one has none: refused, named, then accepted."""
    db = tmp_path / "zhtj.duckdb"
    load(LoadSettings(source=source, db=db, quiet=True))
    before = published(db)
    (source / "b1.csv").unlink()
    (source / "b2.csv").unlink()
    with pytest.raises(LoadError) as info:
        load(LoadSettings(source=source, db=db, quiet=True))
    message = str(info.value)
    assert "缺少团员文件（上次导入 8 行）" in message and "no members files" in message
    assert "--accept-shrink" in message
    assert published(db) == before
    load(LoadSettings(source=source, db=db, quiet=True, accept_shrink=True))
    assert figures(db)["members_active"] == 0


def test_a_kind_that_falls_by_more_than_half_stops_the_load(source, tmp_path):
    """5 + 3 members, then 3: the fall is named with both counts; 5 of 8 would pass."""
    db = tmp_path / "zhtj.duckdb"
    load(LoadSettings(source=source, db=db, quiet=True))
    (source / "b1.csv").unlink()
    with pytest.raises(LoadError, match="members rows fell from 8 to 3"):
        load(LoadSettings(source=source, db=db, quiet=True))
    assert figures(db)["members_active"] == 8
    write_csv(source / "b1.csv", members_rows(2, "某大学计算机学院2024级1班团支部"))
    load(LoadSettings(source=source, db=db, quiet=True))
    assert figures(db)["members_active"] == 5


def test_a_new_kind_of_file_is_no_shrink(source, tmp_path):
    """Kinds the previous load lacked (cadres here) never stop a load."""
    db = tmp_path / "zhtj.duckdb"
    load(LoadSettings(source=source, db=db, quiet=True))
    write_csv(source / "cadres.csv", CADRES)
    load(LoadSettings(source=source, db=db, quiet=True))
    assert figures(db)["cadres"]["records"] == 1


def test_the_command_says_why_and_exits_2_on_a_shrink(source, tmp_path):
    """`zhtj etl` on an empty folder: exit 2, one bilingual line, the old database kept."""
    db = tmp_path / "zhtj.duckdb"
    load(LoadSettings(source=source, db=db, quiet=True))
    empty = tmp_path / "drop"
    empty.mkdir()
    run = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(empty), "--db", str(db)],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "原数据库保持不变" in run.stderr and "the source holds no files" in run.stderr
    assert figures(db)["members_active"] == 8


def test_a_skipped_file_is_named_in_full_however_deep_and_narrow(source, tmp_path):
    """A long name under a deep folder, output not a terminal (80 columns): the name relative
    to SOURCE stands whole on one line, with its reason."""
    deep = source.joinpath(*(["很长的文件夹名称-long-folder-name"] * 4))
    name = "2024年9月某大学计算机学院各班团支部团员名单-导出失败的文件-not-an-export.csv"
    write_csv(deep / name, [("随便写的", "不是导出文件"), ("1", "2")])
    db = tmp_path / "zhtj.duckdb"
    run = subprocess.run([sys.executable, "-m", "etl.cli", "etl", str(source), "--db", str(db)],
                         capture_output=True, text=True, env={"COLUMNS": "80", "PATH": "/usr/bin"})
    assert run.returncode == 1, run.stderr
    relative = str(deep.relative_to(source) / name)
    lines = [line for line in (run.stdout + run.stderr).splitlines() if relative in line]
    assert lines and "skipped" in lines[0], run.stderr
