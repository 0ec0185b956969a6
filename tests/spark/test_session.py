"""What a Spark load says when Spark cannot start here (no JVM is started by these tests)."""

from __future__ import annotations

import subprocess
import sys

from etl.spark.session import java_missing


def test_no_java_is_named_with_the_package_to_install(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    message = java_missing()
    assert "Java" in message and "openjdk-17-jre-headless" in message


def test_a_spark_load_without_java_exits_2_and_publishes_nothing(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "组织.csv").write_text("组织ID,上级组织ID,组织类型,团组织全称\nr-P==,,领导机关团组织,省\n",
                                  encoding="utf-8")
    db = tmp_path / "z.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "etl.cli", "etl", str(src), "--db", str(db), "--engine", "spark",
         "--quiet"], capture_output=True, text=True, timeout=120,
        env={"PATH": "/nonexistent", "HOME": str(tmp_path)})
    assert done.returncode == 2, done.stderr
    assert "Java" in done.stderr and "原数据库保持不变" in done.stderr
    assert not db.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("z.duckdb")] in (
        [], ["z.duckdb.import.lock"])


def test_master_and_work_are_refused_without_the_spark_engine(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "etl.cli", "etl", str(tmp_path), "--db", str(tmp_path / "z.duckdb"),
         "--master", "spark://127.0.0.1:7077", "--quiet"],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "--engine spark" in done.stderr
