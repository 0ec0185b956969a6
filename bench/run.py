"""`python -m bench.run --sizes 100000,1000000,10000000`: generate, load and query each size, and
compare with the obvious pandas approach; prints a Markdown table (also bench/out/results.md)."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import traceback
from pathlib import Path

import psutil

from bench import callbacks, report
from bench import floor as floor_bench
from bench import pack as pack_bench
from bench import spark as spark_bench
from bench import spill as spill_bench
from bench.measure import median_seconds, run_measured

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2024-10-08T12:00:00"
BULK_FROM = 1_000_000  # bulk exports (few big files) from this size up; per-branch files below
DEMO_MEMBERS = 50_000
# Peak memory of the pandas approach per byte of export files: measured 17× on 100k members
# (bulk CSV: 127 MB -> 2.2 GB; per-branch files: 161 MB -> 2.7 GB), rounded up to stay safe.
PANDAS_BYTES_PER_FILE_BYTE = {".csv": 20.0, ".xlsx": 40.0, ".xls": 40.0}


def zhtj() -> list[str]:
    script = Path(sys.executable).parent / "zhtj"
    return [str(script)] if script.exists() else [sys.executable, "-m", "etl.cli"]


def log(size: str, message: str) -> None:
    print(f"[{size}] {message}", file=sys.stderr, flush=True)


class Stage:
    """Runs one step; a failure is printed and recorded in the row, and the run goes on."""

    def __init__(self, row: dict[str, str], label: str):
        self.row, self.label = row, label

    def __call__(self, name: str, keys: tuple[str, ...], fn) -> object:
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - one broken stage must not end the benchmark
            log(self.label, f"{name} failed: {exc}")
            traceback.print_exc(file=sys.stderr)
            for key in keys:
                self.row[key] = "failed"
            return None


def generate(size: int, layout: str, files: Path, reuse: bool) -> dict:
    marker = files.parent / "generated.json"
    if reuse and marker.exists() and files.exists():
        return json.loads(marker.read_text())
    shutil.rmtree(files, ignore_errors=True)
    run = run_measured([*zhtj(), "generate", "--members", str(size), "--seed", "1",
                        "--out", str(files), "--layout", layout], cwd=str(ROOT))
    if not run.ok:
        raise RuntimeError(f"zhtj generate exited {run.returncode}: {run.stderr[-2000:]}")
    info = {"seconds": run.seconds, "files": sum(1 for p in files.rglob("*") if p.is_file()),
            "bytes": sum(p.stat().st_size for p in files.rglob("*") if p.is_file())}
    marker.write_text(json.dumps(info))
    return info


def fresh_start(db: Path) -> None:
    """Remove a database left by an earlier run, with its history and lock: the full load is
    timed as a first load (a database left in place would make it a reload that reuses files)."""
    for p in (db, db.with_name(db.name + ".wal"), db.with_name(db.name + ".import.lock")):
        p.unlink(missing_ok=True)
    shutil.rmtree(db.with_name(db.name + ".history"), ignore_errors=True)


def load(files: Path, db: Path):
    """A first load of the files into db (whatever was there before is removed)."""
    fresh_start(db)
    run = run_measured([*zhtj(), "etl", str(files), "--db", str(db), "--allow-skipped",
                        "--quiet", "--as-of", AS_OF], cwd=str(ROOT))
    if not run.ok:
        raise RuntimeError(f"zhtj etl exited {run.returncode}: {run.stderr[-2000:]}")
    return run


def pick_orgs(db: Path) -> tuple[str, str]:
    """The root, and the depth-2 organization (root = 0: a county or a university under a city)
    with the largest subtree, from the loaded organizations."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        edges = con.execute("select org_id, parent_org_id from stg_orgs").fetchall()
    parent = dict(edges)
    depth: dict[str, int] = {}

    def depth_of(org: str) -> int:
        chain = []
        while org not in depth and parent.get(org) is not None:
            chain.append(org)
            org = parent[org]
        d = depth.setdefault(org, 0)
        for o in reversed(chain):
            d += 1
            depth[o] = d
        return depth[chain[0]] if chain else d

    size: dict[str, int] = {}
    for org in parent:
        depth_of(org)
        o = org
        while o is not None:
            size[o] = size.get(o, 0) + 1
            o = parent.get(o)
    roots = [o for o in parent if depth[o] == 0]
    root = max(roots, key=lambda o: (size[o], o))
    mids = [o for o in parent if depth[o] == 2]
    return root, (max(mids, key=lambda o: (size[o], o)) if mids else root)


def same_answer(db: Path, org: str, theirs: dict) -> str:
    """Whether our figures at org equal the pandas approach's (as_of aside)."""
    from etl.metrics import compute, connect

    with connect(db) as conn:
        ours = compute(conn, org)
    differ = [k for k in ours if k != "as_of" and ours[k] != theirs.get(k)]
    return "yes" if not differ else "no: " + ", ".join(differ)


def metrics_latency(db: Path, orgs: tuple[str, str]) -> tuple[float, float]:
    from etl.metrics import compute, connect

    with connect(db) as conn:
        return tuple(median_seconds(lambda o=o: compute(conn, o), repeat=5) for o in orgs)


def metrics_command(db: Path, org: str) -> float:
    times = []
    for _ in range(3):
        run = run_measured([*zhtj(), "metrics", "--db", str(db), "--org", org, "--json"],
                           cwd=str(ROOT))
        if not run.ok:
            raise RuntimeError(f"zhtj metrics exited {run.returncode}: {run.stderr[-2000:]}")
        times.append(run.seconds)
    return sorted(times)[1]


def pandas_estimate(files: Path) -> int:
    return int(sum(p.stat().st_size * PANDAS_BYTES_PER_FILE_BYTE.get(p.suffix.lower(), 0)
                   for p in files.rglob("*") if p.is_file()))


def pandas_run(files: Path, org: str, timeout: float) -> dict:
    """compute_all + one metrics call in a child process, or why it was not run."""
    estimate, budget = pandas_estimate(files), int(psutil.virtual_memory().total * 0.8)
    if estimate > budget:
        return {"skip": f"not run (estimated {report.size(estimate)} of memory > "
                        f"{report.size(budget)})"}
    run = run_measured([sys.executable, "-m", "bench.pandas_timed", str(files), "--org", org],
                       timeout=timeout, cwd=str(ROOT))
    if run.returncode is None:
        return {"skip": f"not run (stopped at the {report.seconds(timeout)} time cap)"}
    if not run.ok:
        raise RuntimeError(f"pandas approach exited {run.returncode}: {run.stderr[-2000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


# One table of dashboard callback timings per size, printed after the main table.
CALLBACK_TABLES: list[str] = []


def bench_size(size: int, args) -> dict[str, str]:
    label = f"{size:,}"
    row = {"members": label}
    stage = Stage(row, label)
    layout = "bulk" if size >= BULK_FROM else "branch"
    base = args.out / str(size)
    files, db = base / "files", base / "zhtj.duckdb"
    base.mkdir(parents=True, exist_ok=True)

    log(label, f"generating ({layout} layout)")
    info = stage("generate", ("generate", "files"),
                 lambda: generate(size, layout, files, args.reuse))
    if info is None:
        return row
    row["generate"] = report.seconds(info["seconds"])
    row["files"] = f"{info['files']:,} ({layout}, {report.size(info['bytes'])})"

    log(label, "loading")
    ours = stage("load", ("load", "load_peak", "db_size"), lambda: load(files, db))
    if ours is not None:
        row["load"], row["load_peak"] = report.seconds(ours.seconds), report.size(ours.peak_rss)
        row["db_size"] = report.size(db.stat().st_size)
        log(label, f"loaded in {row['load']}, peak {row['load_peak']}")
        stage("slowest steps", (), lambda: CALLBACK_TABLES.append(slowest_steps(db, label)))
        if layout == "bulk":  # DuckDB's plain reader takes the bulk CSV files as they are
            log(label, "the engine's own read time (the floor)")
            floor = stage("floor", ("floor", "floor_ratio"), lambda: floor_bench.measure(files))
            if floor is not None:
                row["floor"] = report.seconds(floor.seconds)
                row["floor_ratio"] = f"{ours.seconds / floor.seconds:.1f}×"

    orgs = stage("pick organizations", ("metrics_root", "metrics_mid", "metrics_cmd"),
                 lambda: pick_orgs(db)) if ours is not None else None
    latency = cmd = None
    if orgs is not None:
        latency = stage("metrics", ("metrics_root", "metrics_mid"),
                        lambda: metrics_latency(db, orgs))
        if latency is not None:
            row["metrics_root"], row["metrics_mid"] = (report.seconds(t) for t in latency)
        cmd = stage("metrics command", ("metrics_cmd",), lambda: metrics_command(db, orgs[0]))
        if cmd is not None:
            row["metrics_cmd"] = report.seconds(cmd)
        if not args.no_progress:
            progress_tables(db, files, label, stage)
        if not args.no_callbacks:
            log(label, "dashboard callbacks")
            timed = stage("dashboard callbacks", (), lambda: callbacks.measure(db, orgs))
            if timed is not None:
                CALLBACK_TABLES.append(callbacks.render(
                    timed, f"Dashboard callbacks at {label} members"))
            log(label, "meeting pack")
            packs = stage("meeting pack", (), lambda: pack_bench.measure(db, orgs))
            if packs is not None:
                CALLBACK_TABLES.append(pack_bench.render_table(
                    packs, f"Meeting pack at {label} members"))

    if ours is not None and size >= spill_bench.FROM_MEMBERS and not args.no_spill:
        log(label, f"a load under a {spill_bench.DEFAULT_LIMIT} memory limit (spilling)")
        spilled = stage("spill", (), lambda: spill_bench.measure(files, scratch=base))
        if spilled is not None:
            CALLBACK_TABLES.append(spill_bench.render(spilled, ours.seconds, ours.peak_rss,
                                                       f"{label} members"))

    if ours is not None and size >= spark_bench.FROM_MEMBERS and not args.no_spark:
        log(label, "the same files loaded with Spark (local[2])")
        sparked = stage("spark", (), lambda: spark_bench.measure(files, db, scratch=base))
        if sparked is not None:
            CALLBACK_TABLES.append(spark_bench.render(sparked, ours.seconds, ours.peak_rss,
                                                      label))

    pandas_columns(row, args, files, db, orgs, ours, latency, stage, label)

    # Last: the reloads change the database (a later as-of, then 1% of the files changed), and
    # the pandas approach is compared with the figures of the first load.
    if ours is not None and not args.no_reload:
        log(label, "reloads: nothing changed, then 1% of the files changed (dues, then other kinds)")
        from bench import reload as reload_bench

        reloads = stage("reload", (), lambda: reload_bench.measure(db, files))
        if reloads is not None:
            CALLBACK_TABLES.append(reload_bench.render(reloads, ours.seconds, label))
    return row


def pandas_columns(row: dict[str, str], args, files: Path, db: Path, orgs, ours, latency,
                   stage: Stage, label: str) -> None:
    """The pandas approach on the same files, and whether its figures equal the load's."""
    if args.no_pandas or orgs is None:
        row["pandas_load"] = "not run" + (" (--no-pandas)" if args.no_pandas else "")
        return
    log(label, "pandas approach")
    pandas = stage("pandas", ("pandas_load", "pandas_peak", "pandas_metrics"),
                   lambda: pandas_run(files, orgs[0], args.pandas_timeout))
    if pandas is None:
        return
    if "skip" in pandas:
        row["pandas_load"] = pandas["skip"]
        return
    row["pandas_load"] = report.seconds(pandas["compute_all_s"])
    row["pandas_peak"] = report.size(pandas["peak_rss"])
    row["pandas_metrics"] = report.seconds(pandas["metrics_s"])
    row["ratio_load"] = report.ratio(pandas["compute_all_s"], ours.seconds if ours else None)
    row["ratio_metrics"] = report.ratio(pandas["metrics_s"], latency[0] if latency else None)
    stage("compare", ("same_answer",), lambda: row.__setitem__(
        "same_answer", same_answer(db, orgs[0], pandas["figures"])))


def slowest_steps(db: Path, label: str, count: int = 10) -> str:
    """The load's slowest steps (load_steps), a Markdown table."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        steps = con.execute("select step, seconds from load_steps order by seconds desc "
                            "limit ?", [count]).fetchall()
    lines = [f"**The {count} slowest load steps at {label} members**", "",
             "| step | seconds |", "|---|---:|"]
    return "\n".join(lines + [f"| `{step}` | {seconds:.1f} |" for step, seconds in steps])


PROGRESS_LOADS = 3  # the first load and two more a week apart (the same files, later as-of)


def progress_tables(db: Path, files: Path, label: str, stage: Stage) -> None:
    """Follow-up progress over three loads (`zhtj progress`) and the alerts' dry run for 1,000
    subscriptions, after loading the same files again at later as-of times."""
    from bench import notify as notify_bench
    from bench import progress as progress_bench

    log(label, "two more loads a week apart (follow-up progress)")
    reloads = stage("progress reloads", (),
                    lambda: progress_bench.reload(db, files, PROGRESS_LOADS))
    if reloads is None:
        return
    rows = stage("progress", (), lambda: progress_bench.measure(db))
    if rows is not None:
        CALLBACK_TABLES.append(progress_bench.render(
            reloads, rows, f"Follow-up progress at {label} members, {PROGRESS_LOADS} loads"))
    log(label, "alerts: 1,000 subscriptions, dry run")
    line = stage("notify", (), lambda: notify_bench.measure(db, 1000))
    if line is not None:
        CALLBACK_TABLES.append(f"**Alerts at {label} members**\n\n| run | time | target |\n"
                               f"|---|---:|---|\n{line}")


def bench_demo(args) -> str:
    """Loading the per-branch files of the default demo province (target ≤ 8 s)."""
    base = args.out / "demo"
    files, db = base / "files", base / "zhtj.duckdb"
    base.mkdir(parents=True, exist_ok=True)
    try:
        info = generate(DEMO_MEMBERS, "branch", files, args.reuse)
        run = load(files, db)
    except Exception as exc:  # noqa: BLE001 - reported in the table instead
        log("demo", f"failed: {exc}")
        return f"Demo province ({DEMO_MEMBERS:,} members, per-branch files): load failed: {exc}"
    return (f"Demo province ({DEMO_MEMBERS:,} members, {info['files']:,} per-branch files): "
            f"load {report.seconds(run.seconds)}, peak RSS {report.size(run.peak_rss)} "
            f"(target ≤ 8 s).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.run", description=__doc__)
    parser.add_argument("--sizes", default="100000,1000000,10000000",
                        help="comma-separated member counts")
    parser.add_argument("--pandas-timeout", type=float, default=1800.0,
                        help="seconds before the pandas approach is stopped (default 30 min)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--readme", action="store_true",
                        help="also put the table into README.md between the bench markers")
    parser.add_argument("--reuse", action="store_true",
                        help="keep previously generated files of the same size")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas approach")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo-province load")
    parser.add_argument("--no-callbacks", action="store_true",
                        help="skip timing the dashboard's callbacks")
    parser.add_argument("--no-progress", action="store_true",
                        help="skip the two later loads, `zhtj progress` and the alerts' dry run")
    parser.add_argument("--no-reload", action="store_true",
                        help="skip the incremental reloads (nothing changed; 1%% changed)")
    parser.add_argument("--no-spark", action="store_true",
                        help="skip the Spark engine's load (1M members and above)")
    parser.add_argument("--no-spill", action="store_true",
                        help="skip the load under a 3GB memory limit (run from 10M members)")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    rows = [bench_size(size, args) for size in sizes]
    notes = [
        ("Times are wall-clock on this machine "
         f"({psutil.cpu_count()} CPUs, {report.size(psutil.virtual_memory().total)} RAM). "
         "Warm metrics: `etl.metrics.compute` in-process, median of 5 after one warm-up; "
         "the command includes interpreter start. Peak RSS sums the process and its children."),
        ("pandas: `bench/pandas_reference.py` (read every file, validate, deduplicate, build "
         "the tree) then one `metrics` call at the root; ratios are pandas time / our time for "
         "the load and for one warm metrics answer at the root."),
    ]
    if not args.no_demo:
        log("demo", "generating and loading the demo province")
        notes.insert(0, bench_demo(args))
    table = report.render(rows, notes)
    if CALLBACK_TABLES:
        table += "\n" + "\n\n".join(CALLBACK_TABLES) + "\n"
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(table, encoding="utf-8")
    if args.readme:
        report.replace_readme_section(ROOT / "README.md", table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
