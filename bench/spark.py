"""The Spark engine against DuckDB (issue 16): the same files loaded with `zhtj etl --engine
spark` (local[2]: this machine's two cores) into a scratch database, timed with its peak memory
(driver JVM, Python workers), checked table for table against the DuckDB load of the same run,
and where Spark's time went (its load_steps). `python -m bench.spark FILES --duckdb DB` runs it
alone; `make bench` runs it at 1M members and above unless --no-spark."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from bench.measure import run_measured

FROM_MEMBERS = 1_000_000
SPARK_MEMORY = "6g"  # the driver's heap; in local mode the executors' too
# What differs between two loads of the same files by design (as in tests/etl/test_incremental).
EXCLUDED = {"loads": {"loaded_at", "seconds"}, "current_load": {"loaded_at", "seconds"},
            "load_steps": None, "file_prints": {"reused"}}


@dataclass
class SparkRun:
    seconds: float
    peak_rss: int
    tables: int = 0
    differing: list[str] = field(default_factory=list)
    steps: list[tuple[str, float]] = field(default_factory=list)


def differing_tables(expected: Path, got: Path) -> tuple[int, list[str]]:
    """(tables compared, names whose rows differ), by EXCEPT ALL both ways in DuckDB (scales to
    10M members, where fetching every row into Python would not)."""
    con = duckdb.connect()
    try:
        # DuckDB's default is 80% of the machine: at 10M the comparison took 20 GB of 24 without it
        con.execute("set memory_limit = '4GB'")
        con.execute("set temp_directory = ?", [str(Path(got).parent / "compare.spill")])
        con.execute("attach ? as a (read_only)", [str(expected)])
        con.execute("attach ? as b (read_only)", [str(got)])
        names = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'a' order by 1"
        ).fetchall()]
        theirs = {r[0] for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'b'").fetchall()}
        bad = sorted(set(names) ^ theirs)
        for name in names:
            if name not in theirs or (name in EXCLUDED and EXCLUDED[name] is None):
                continue
            cols = [r[0] for r in con.execute(
                "select column_name from duckdb_columns() where database_name = 'a' and "
                "table_name = ? order by column_index", [name]).fetchall()
                if r[0] not in (EXCLUDED.get(name) or ())]
            picked = ", ".join(f'"{c}"' for c in cols)
            # names come from the database's own catalog
            diff = con.execute(
                f'select (select count(*) from (select {picked} from a."{name}" except all '
                f'select {picked} from b."{name}")) + (select count(*) from (select {picked} '
                f'from b."{name}" except all select {picked} from a."{name}"))').fetchone()[0]
            if diff:
                bad.append(name)
        return len(names), bad
    finally:
        con.close()


def measure(files: Path, duckdb_db: Path | None, scratch: Path | None = None,
            master: str = "local[2]") -> SparkRun:
    from bench.run import AS_OF, ROOT, zhtj

    work = Path(tempfile.mkdtemp(prefix="zhtj-spark-", dir=scratch))
    try:
        db = work / "spark.duckdb"
        run = run_measured([*zhtj(), "etl", str(files), "--db", str(db), "--allow-skipped",
                            "--quiet", "--as-of", AS_OF, "--engine", "spark", "--master", master,
                            "--spark-memory", SPARK_MEMORY],
                           cwd=str(ROOT))
        if not run.ok:
            raise RuntimeError(f"zhtj etl --engine spark exited {run.returncode}: "
                               f"{run.stderr[-2000:]}")
        result = SparkRun(run.seconds, run.peak_rss)
        con = duckdb.connect(str(db), read_only=True)
        try:
            result.steps = con.execute(
                "select step, seconds from load_steps order by seconds desc").fetchall()
        finally:
            con.close()
        if duckdb_db is not None and Path(duckdb_db).exists():
            result.tables, result.differing = differing_tables(Path(duckdb_db), db)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def phase_of(step: str) -> str:
    """Which part of a Spark load a load_steps row belongs to."""
    if step in ("read", "import_raw"):
        return "reading the files (Spark tasks) and their import"
    if step.startswith("import ") or step in ("types", "org_search"):
        return "the serving DuckDB file"
    if step == "spark_start":
        return "starting Spark"
    return "Spark SQL (staging, quarantine, marts)"


def render(result: SparkRun, duck_seconds: float | None, duck_peak: int | None,
           label: str) -> str:
    from bench import report

    ratio = f"{result.seconds / duck_seconds:.1f}×" if duck_seconds else "–"
    same = ("not compared" if not result.tables else
            f"{result.tables - len(result.differing)} of {result.tables} tables equal"
            + (f" (differ: {', '.join(result.differing)})" if result.differing else ""))
    total = sum(s for _, s in result.steps) or 1.0
    phases: dict[str, float] = {}
    for step, seconds in result.steps:
        phases[phase_of(step)] = phases.get(phase_of(step), 0.0) + seconds
    lines = [f"**Spark (local[2], {SPARK_MEMORY} heap) and DuckDB, the same files at {label} "
             "members**", "",
             "| engine | load | peak RSS | result |", "|---|---:|---:|---|",
             f"| DuckDB | {report.seconds(duck_seconds) if duck_seconds else '–'} | "
             f"{report.size(duck_peak) if duck_peak else '–'} | published |",
             f"| Spark local[2] | {report.seconds(result.seconds)} ({ratio}) | "
             f"{report.size(result.peak_rss)} | {same} |", "",
             "Where the time went, by phase: " + "; ".join(
                 f"{name} {seconds:.0f} s ({seconds / total:.0%})"
                 for name, seconds in sorted(phases.items(), key=lambda kv: -kv[1])) + ".", "",
             "Its ten slowest steps:", "",
             "| step | seconds | share |", "|---|---:|---:|"]
    lines += [f"| {step} | {seconds:.1f} | {seconds / total:.0%} |"
              for step, seconds in result.steps[:10]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.spark", description=__doc__)
    parser.add_argument("files", type=Path)
    parser.add_argument("--duckdb", type=Path, default=None,
                        help="the DuckDB load of the same files, to compare with")
    parser.add_argument("--duckdb-seconds", type=float, default=None)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args(argv)
    result = measure(args.files, args.duckdb, master=args.master)
    print(render(result, args.duckdb_seconds, None, str(args.files)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
