"""`python -m bench.progress --db PATH [--files DIR]`: follow-up items across loads.

With --files, first loads those files again onto --db at later as-of times (a week apart) until
the database holds --loads loads, timing each load and its history steps (followup_items, the
archive, progress_item_states and org_rollup_progress). Then times `etl.followup.compute` at
the root and the mid-level organization (the previous load, and the first load as --since) and
the `zhtj progress` command. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from bench.measure import median_seconds, run_measured
from bench.run import ROOT, pick_orgs, zhtj

TARGET_SECONDS = 2.0


def loads_of(db: Path) -> list[tuple[int, dt.datetime]]:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select load_id, as_of from loads order by load_id").fetchall()


def reload(db: Path, files: Path, wanted: int) -> list[dict]:
    """Load files again at a week after the latest as-of until there are `wanted` loads."""
    import duckdb

    out = []
    while len(loads := loads_of(db)) < wanted:
        as_of = loads[-1][1] + dt.timedelta(days=7)
        run = run_measured([*zhtj(), "etl", str(files), "--db", str(db), "--allow-skipped",
                            "--quiet", "--as-of", as_of.isoformat()], cwd=str(ROOT))
        if not run.ok:
            raise RuntimeError(f"zhtj etl exited {run.returncode}: {run.stderr[-2000:]}")
        with duckdb.connect(str(db), read_only=True) as con:
            steps = dict(con.execute("select step, seconds from load_steps").fetchall())
            items = con.execute("select count(*) from followup_items").fetchone()[0]
        out.append({"as_of": as_of, "seconds": run.seconds, "peak_rss": run.peak_rss,
                    "followup_items": steps.get("followup_items"), "items": items})
    return out


def measure(db: Path) -> list[tuple[str, float]]:
    from etl.followup import compute
    from etl.metrics import connect

    loads = loads_of(db)
    first = loads[0][1].date()
    rows = []
    root, mid = pick_orgs(db)
    with connect(db) as conn:
        for level, org in (("root", root), ("mid", mid)):
            rows.append((f"progress, {level}, since the previous load",
                         median_seconds(lambda o=org: compute(conn, o), repeat=5)))
            rows.append((f"progress, {level}, since the first load ({first})",
                         median_seconds(lambda o=org: compute(conn, o, since=first), repeat=5)))
    times = []
    for _ in range(3):
        run = run_measured([*zhtj(), "progress", "--db", str(db), "--org", root, "--json"],
                           cwd=str(ROOT))
        if not run.ok:
            raise RuntimeError(f"zhtj progress exited {run.returncode}: {run.stderr[-2000:]}")
        times.append(run.seconds)
    rows.append(("`zhtj progress --json` command, root", sorted(times)[1]))
    return rows


def render(reloads: list[dict], rows: list[tuple[str, float]], title: str) -> str:
    lines = [f"- load at {r['as_of']:%Y-%m-%d}: {r['seconds']:.1f} s, peak RSS "
             f"{r['peak_rss'] / 1e9:.2f} GB, followup_items {r['followup_items'] or 0:.1f} s, "
             f"{r['items']:,} open items" for r in reloads]
    lines += ["", f"**{title}** (target < {TARGET_SECONDS:.0f} s)", "",
              "| call | seconds |", "|---|---:|"]
    lines += [f"| {label} | {seconds:.3f} |" for label, seconds in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.progress", description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--files", type=Path, help="the export files, loaded again")
    parser.add_argument("--loads", type=int, default=3)
    args = parser.parse_args(argv)
    reloads = reload(args.db, args.files, args.loads) if args.files else []
    print(render(reloads, measure(args.db),
                 f"Follow-up progress on {args.db.name}, {len(loads_of(args.db))} loads"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
