"""The benchmark's full load starts from nothing: a database left by an earlier run would make
it a reload that reuses files, and its time a reload's."""

from __future__ import annotations

from bench.run import fresh_start


def test_a_database_left_by_an_earlier_run_is_removed_with_its_history(tmp_path):
    db = tmp_path / "zhtj.duckdb"
    db.write_bytes(b"earlier")
    (tmp_path / "zhtj.duckdb.wal").write_bytes(b"log")
    (tmp_path / "zhtj.duckdb.import.lock").write_bytes(b"")
    (tmp_path / "zhtj.duckdb.history").mkdir()
    (tmp_path / "zhtj.duckdb.history" / "load_1.parquet").write_bytes(b"x")
    (tmp_path / "files").mkdir()
    fresh_start(db)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files"]
    fresh_start(db)  # nothing there: nothing to do
