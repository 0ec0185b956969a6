"""bench/reload.py: which files the benchmark's reloads change."""

from __future__ import annotations

from pathlib import Path

from bench.reload import changed_files


def _folder(root: Path) -> Path:
    for month in range(1, 13):
        for part in ("0001", "supplement_0001"):
            path = root / "团费" / f"dues_2024-{month:02d}_{part}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("x\n", encoding="utf-8")
    for name in ("团员/members_0001.csv", "团员/members_0002.csv", "组织/orgs_0001.csv",
                 "演示数据-DEMO.csv"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x\n", encoding="utf-8")
    for i in range(170):  # 198 files in all: 1% is two
        (root / "团员" / "branches" / f"{i:03d}.xlsx").parent.mkdir(parents=True, exist_ok=True)
        (root / "团员" / "branches" / f"{i:03d}.xlsx").write_bytes(b"")
    return root


def test_the_dues_reload_changes_the_latest_months_dues_files(tmp_path):
    files = _folder(tmp_path)
    assert [p.name for p in changed_files(files)] == [
        "dues_2024-12_0001.csv", "dues_2024-12_supplement_0001.csv"]


def test_the_other_reload_changes_csv_files_of_other_kinds_never_the_demo_marker(tmp_path):
    files = _folder(tmp_path)
    assert [p.relative_to(files).as_posix() for p in changed_files(files, dues=False)] == [
        "团员/members_0002.csv", "组织/orgs_0001.csv"]


def test_a_long_list_of_changed_files_is_shortened_in_the_table():
    from bench.reload import _names

    assert _names(["a", "b"]) == "a, b"
    assert _names(["a", "b", "c", "d", "e"]) == "a, b, c and 2 more"
