"""Incremental reload: files unchanged since the published load are not read again, and the
database published is, table for table, the one a full read of the same files gives."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.generate import generate
from etl.load import LoadSettings, load
from tests.etl.killed_load import kill_load_midway

FIRST = dt.datetime(2024, 10, 8, 12)
SECOND = dt.datetime(2024, 10, 15, 12)
# What differs between two loads of the same files by design: when and how fast they ran, and
# whether a file was read or reused.
EXCLUDED = {"loads": {"loaded_at", "seconds"}, "current_load": {"loaded_at", "seconds"},
            "load_steps": None, "file_prints": {"reused"}}


def tables(db: Path) -> dict[str, list[tuple]]:
    """Every table of the published database, its rows sorted (floats to 9 places)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for (name,) in con.execute(
                "select table_name from duckdb_tables() where database_name = current_database() "
                "order by 1").fetchall():
            if name in EXCLUDED and EXCLUDED[name] is None:
                continue
            cols = [c for (c,) in con.execute(
                "select column_name from duckdb_columns() where table_name = ? and "
                "database_name = current_database() order by column_index", [name]).fetchall()
                if c not in (EXCLUDED.get(name) or ())]
            quoted = ", ".join(f'"{c}"' for c in cols)
            rows = con.execute(f'select {quoted} from "{name}"').fetchall()
            out[name] = sorted((tuple(round(v, 9) if isinstance(v, float) else v for v in r)
                                for r in rows), key=repr)
        return out
    finally:
        con.close()


def assert_same(a: Path, b: Path) -> None:
    ta, tb = tables(a), tables(b)
    assert sorted(ta) == sorted(tb)
    for name in ta:
        assert len(ta[name]) == len(tb[name]), name
        assert ta[name] == tb[name], name


def prints(db: Path) -> dict[str, bool]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("select rel_path, reused from file_prints").fetchall())
    finally:
        con.close()


def run_load(source: Path, db: Path, as_of: dt.datetime, **kw):
    return load(LoadSettings(source=source, db=db, as_of=as_of, quiet=True, **kw))


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> tuple[Path, Path]:
    """The same generated province on 10-08 and on 10-15 (branch layout, dirty rows)."""
    root = tmp_path_factory.mktemp("province")
    generate(root / "p1", members=1500, seed=11, as_of=FIRST.date())
    generate(root / "p2", members=1500, seed=11, as_of=SECOND.date())
    return root / "p1", root / "p2"


def test_an_incremental_load_equals_a_full_load_after_files_are_added_changed_and_removed(
        province, tmp_path):
    p1, p2 = province
    source = tmp_path / "source"
    shutil.copytree(p1, source)
    inc, full = tmp_path / "inc.duckdb", tmp_path / "full.duckdb"
    first = run_load(source, inc, FIRST, allow_skipped=True)
    assert first.files_reused == 0
    run_load(source, full, FIRST, allow_skipped=True)

    # a file added (a month's later export in a folder of its own: its lines meet the earlier
    # ones as duplicates), one month re-exported, one member file edited (the branch's later
    # export), one branch's file removed
    dues = sorted(p for p in (p2 / "团费").iterdir()
                  if (source / "团费" / p.name).read_bytes() != p.read_bytes())
    added, reexported = dues[-1], dues[0]
    (source / "团费" / "再次导出").mkdir()
    shutil.copy(added, source / "团费" / "再次导出" / added.name)
    shutil.copy(reexported, source / "团费" / reexported.name)
    members = sorted(p for p in (p2 / "团员").rglob("*.*")
                     if (source / p.relative_to(p2)).exists())
    edited = next(p for p in members if (source / p.relative_to(p2)).read_bytes() != p.read_bytes())
    shutil.copy(edited, source / edited.relative_to(p2))
    removed = next(p for p in sorted((source / "团员").rglob("*.xlsx"))
                   if p.relative_to(source) != edited.relative_to(p2))
    removed.unlink()
    total = sum(1 for p in source.rglob("*") if p.is_file()) - 1  # not the demo marker

    second = run_load(source, inc, SECOND, allow_skipped=True)
    assert second.files_reused == total - 3
    run_load(source, full, SECOND, allow_skipped=True, full=True)
    assert_same(inc, full)

    read = {k for k, v in prints(inc).items() if not v}
    assert read == {f"团费/再次导出/{added.name}", f"团费/{reexported.name}",
                    edited.relative_to(p2).as_posix()}
    assert str(removed.relative_to(source).as_posix()) not in prints(inc)
    assert not any(prints(full).values())  # --full read every file


def test_a_file_changed_in_place_with_the_same_size_and_time_is_read_again(province, tmp_path):
    p1, _ = province
    source = tmp_path / "source"
    shutil.copytree(p1, source)
    inc, full = tmp_path / "inc.duckdb", tmp_path / "full.duckdb"
    run_load(source, inc, FIRST, allow_skipped=True)

    # one digit of a mobile number, in place: same size, same modification time
    target = next(p for p in sorted((source / "团员").rglob("*.csv"))
                  if re.search(rb"1[3-9]\d{9}", p.read_bytes()))
    stat = target.stat()
    data = target.read_bytes()
    m = re.search(rb"1[3-9]\d{9}", data)
    digit = b"0" if data[m.end() - 1:m.end()] != b"0" else b"1"
    target.write_bytes(data[:m.end() - 1] + digit + data[m.end():])
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert target.stat().st_size == stat.st_size
    assert target.stat().st_mtime_ns == stat.st_mtime_ns

    result = run_load(source, inc, SECOND, allow_skipped=True)
    read = {k for k, v in prints(inc).items() if not v}
    assert read == {target.relative_to(source).as_posix()}
    assert result.files_reused == len(prints(inc)) - 1
    run_load(source, full, FIRST, allow_skipped=True)
    run_load(source, full, SECOND, allow_skipped=True, full=True)
    assert_same(inc, full)


def bulk_loaded(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A bulk-layout province, loaded on FIRST into two databases: (source, inc, full)."""
    source = tmp_path / "bulk"
    generate(source, members=1200, seed=5, layout="bulk", max_rows=2000)
    inc, full = tmp_path / "inc.duckdb", tmp_path / "full.duckdb"
    run_load(source, inc, FIRST, allow_skipped=True)
    run_load(source, full, FIRST, allow_skipped=True)
    return source, inc, full


def test_a_bulk_layout_reloads_only_the_changed_file(tmp_path):
    source, inc, full = bulk_loaded(tmp_path)
    # one dues file loses its last bill line
    target = sorted((source / "团费").iterdir())[-1]
    lines = target.read_bytes().rstrip(b"\n").split(b"\n")
    target.write_bytes(b"\n".join(lines[:-1]) + b"\n")
    run_load(source, inc, SECOND, allow_skipped=True)
    run_load(source, full, SECOND, allow_skipped=True, full=True)
    assert {k for k, v in prints(inc).items() if not v} == {
        target.relative_to(source).as_posix()}
    assert_same(inc, full)


def test_a_killed_incremental_load_leaves_the_published_database_as_it_was(province, tmp_path):
    p1, p2 = province
    source = tmp_path / "source"
    shutil.copytree(p1, source)
    db = tmp_path / "zhtj.duckdb"
    run_load(source, db, FIRST, allow_skipped=True)
    before = db.read_bytes()
    for p in sorted((p2 / "团费").iterdir()):
        shutil.copy(p, source / "团费" / p.name)
    kill_load_midway(db, [str(source), "--quiet", "--allow-skipped", "--as-of",
                          SECOND.isoformat()], after=0.5)
    assert db.read_bytes() == before
    # the next load reuses what the published database holds and publishes the new files
    result = run_load(source, db, SECOND, allow_skipped=True)
    assert result.files_reused > 0
    assert not list(tmp_path.glob("zhtj.duckdb.tmp-*"))


def steps(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {s for (s,) in con.execute("select step from load_steps").fetchall()}
    finally:
        con.close()


def test_when_nothing_changed_the_load_starts_from_the_published_database_and_equals_a_full_one(
        province, tmp_path):
    p1, _ = province
    inc, full = tmp_path / "inc.duckdb", tmp_path / "full.duckdb"
    run_load(p1, inc, FIRST, allow_skipped=True)
    run_load(p1, full, FIRST, allow_skipped=True)
    # a new as-of of the same folder, with settings that change the cadre figures: nothing is
    # read, staging is not built again, the marts (ages, deadlines, days waiting, the cadre
    # scope) are built for the new date and settings
    settings = tmp_path / "settings.toml"
    settings.write_text('[cadre_scope]\nbranch_extra_positions = ["组织委员"]\n',
                        encoding="utf-8")
    result = run_load(p1, inc, SECOND, allow_skipped=True, settings_file=settings)
    assert result.files_reused == result.files
    assert not steps(inc) & {"checked_members", "typed_dues", "ric_places", "org_search"}
    assert {"member_arrears", "cadre_scope", "org_rollup"} <= steps(inc)
    run_load(p1, full, SECOND, allow_skipped=True, full=True, settings_file=settings)
    assert "checked_members" in steps(full)
    assert_same(inc, full)
    # and once more, without the settings: the history of three loads is the full load's
    run_load(p1, inc, SECOND + dt.timedelta(days=7), allow_skipped=True)
    run_load(p1, full, SECOND + dt.timedelta(days=7), allow_skipped=True, full=True)
    assert_same(inc, full)


def test_a_published_database_built_from_other_staging_input_is_not_started_from(
        province, tmp_path):
    """When the published staging key differs (another version's SQL, say), the files are
    carried over and staging is built again, as in any reload."""
    p1, _ = province
    inc, full = tmp_path / "inc.duckdb", tmp_path / "full.duckdb"
    run_load(p1, inc, FIRST, allow_skipped=True)
    with duckdb.connect(str(inc)) as con:
        con.execute("update staging_key set key = 'built by another version'")
    result = run_load(p1, inc, SECOND, allow_skipped=True)
    assert result.files_reused == result.files
    assert "checked_members" in steps(inc)
    run_load(p1, full, FIRST, allow_skipped=True)
    run_load(p1, full, SECOND, allow_skipped=True, full=True)
    assert_same(inc, full)


def test_a_killed_reload_of_unchanged_files_leaves_the_published_database_as_it_was(
        province, tmp_path):
    p1, _ = province
    source = tmp_path / "source"
    shutil.copytree(p1, source)
    db = tmp_path / "zhtj.duckdb"
    run_load(source, db, FIRST, allow_skipped=True)
    before = db.read_bytes()
    kill_load_midway(db, [str(source), "--quiet", "--allow-skipped", "--as-of",
                          SECOND.isoformat()], after=0.3)
    assert db.read_bytes() == before
    result = run_load(source, db, SECOND, allow_skipped=True)
    assert result.files_reused == result.files
    assert not list(tmp_path.glob("zhtj.duckdb.tmp-*"))


def test_when_only_dues_files_changed_their_rows_are_replaced_in_a_copy_and_equal_a_full_load(
        tmp_path):
    """The month's main file re-exported without a member whose line its supplement repeats:
    only that file is read, the other staging tables are the published ones, and the supplement's line,
    unchanged, is now the one loaded instead of a merged duplicate, as in a full load."""
    source, inc, full = bulk_loaded(tmp_path)

    def supplement_counts() -> tuple[str, int, int]:
        con = duckdb.connect(str(inc), read_only=True)
        try:
            return con.execute(
                "select f.path, min(c.row_no), count(*) from checked_dues c join files f "
                "using (file_id) where c.disposition = 'merged' and f.path like '%supplement%' "
                "group by 1 order by 1 desc limit 1").fetchone()
        finally:
            con.close()

    path, row_no, merged = supplement_counts()
    supplement = Path(path)
    id_number = supplement.read_bytes().split(b"\n")[row_no - 1].split(b",")[5]
    main = supplement.with_name(supplement.name.replace("_supplement", ""))
    lines = main.read_bytes().split(b"\n")
    kept = [line for line in lines if id_number not in line]  # the member's lines go
    assert 0 < len(lines) - len(kept) < 3
    main.write_bytes(b"\n".join(kept))

    result = run_load(source, inc, SECOND, allow_skipped=True)
    assert {k for k, v in prints(inc).items() if not v} == {main.relative_to(source).as_posix()}
    assert result.files_reused == result.files - 1
    assert {"typed_dues", "dues_duplicates", "quarantine"} <= steps(inc)
    assert not steps(inc) & {"checked_members", "stg_members", "org_tree", "ric_places"}
    assert supplement_counts()[2] == merged - 1  # the unchanged file's line is loaded now
    run_load(source, full, SECOND, allow_skipped=True, full=True)
    assert_same(inc, full)


def test_a_changed_dues_file_that_no_longer_reads_as_dues_is_reloaded_as_any_change(tmp_path):
    source, inc, full = bulk_loaded(tmp_path)
    target = sorted((source / "团费").iterdir())[0]
    target.write_text("这不是团费明细\nnot a dues file\n", encoding="utf-8")
    run_load(source, inc, SECOND, allow_skipped=True)
    assert {k for k, v in prints(inc).items() if not v} == {
        target.relative_to(source).as_posix()}
    assert "checked_members" in steps(inc)  # staging built again, as for any change
    run_load(source, full, SECOND, allow_skipped=True, full=True)
    assert_same(inc, full)


def province_loaded(p1: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A copy of the per-branch province, loaded on FIRST into two databases:
    (source, inc, full)."""
    source = tmp_path / "source"
    shutil.copytree(p1, source)
    inc, full = tmp_path / "inc.duckdb", tmp_path / "full.duckdb"
    run_load(source, inc, FIRST, allow_skipped=True)
    run_load(source, full, FIRST, allow_skipped=True)
    return source, inc, full


def _drop_last_line(path: Path) -> None:
    lines = path.read_bytes().rstrip(b"\r\n").split(b"\n")
    path.write_bytes(b"\n".join(lines[:-1]) + b"\n")


def test_when_cadre_transfer_and_roster_files_changed_only_their_staging_is_built_again(
        province, tmp_path):
    source, inc, full = province_loaded(province[0], tmp_path)
    changed = [sorted((source / folder).glob(pattern))[0] for folder, pattern in
               (("团干部", "*.csv"), ("组织关系转接", "*.csv"), ("报到", "报到名单_*.csv"))]
    for path in changed:
        _drop_last_line(path)

    run_load(source, inc, SECOND, allow_skipped=True)
    assert {k for k, v in prints(inc).items() if not v} == {
        p.relative_to(source).as_posix() for p in changed}
    assert {"ric_places", "checked_cadres", "checked_transfers", "checked_roster",
            "quarantine"} <= steps(inc)
    assert not steps(inc) & {"checked_members", "typed_dues", "org_tree", "checked_campaigns"}
    run_load(source, full, SECOND, allow_skipped=True, full=True)
    assert_same(inc, full)


def test_when_the_campaigns_file_changed_the_rosters_that_read_it_are_checked_again(
        province, tmp_path):
    """A campaign dropped from 报到任务.xlsx: its roster rows, in files that did not change, are
    quarantined as in a full load."""
    import openpyxl

    source, inc, full = province_loaded(province[0], tmp_path)
    campaigns = source / "报到" / "报到任务.xlsx"
    book = openpyxl.load_workbook(campaigns)
    sheet = book.active
    sheet.delete_rows(sheet.max_row)
    book.save(campaigns)

    def roster_quarantined(db: Path) -> int:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return con.execute("select count(*) from quarantine where kind = 'roster'").fetchone()[0]
        finally:
            con.close()

    before = roster_quarantined(inc)
    run_load(source, inc, SECOND, allow_skipped=True)
    assert {k for k, v in prints(inc).items() if not v} == {"报到/报到任务.xlsx"}
    assert {"checked_campaigns", "checked_roster"} <= steps(inc)
    assert not steps(inc) & {"checked_members", "typed_dues", "ric_places"}
    assert roster_quarantined(inc) > before
    run_load(source, full, SECOND, allow_skipped=True, full=True)
    assert_same(inc, full)
