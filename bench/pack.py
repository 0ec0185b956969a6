"""Time of a whole meeting pack (PDF + slides + workbook, every chart drawn) at the root and at a
mid-level organization, warm (the chart renderer started, one pack built first).

Run alone: `python -m bench.pack --db PATH` (organizations picked as bench.callbacks does).
Targets: a college's pack in at most 10 s, the province's in at most 20 s at 10M members.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

TARGETS = {"root": 20.0, "mid": 10.0}


def measure(db: Path, orgs: tuple[str, str], repeat: int = 3) -> list[dict]:
    """Rows of (level, organization, charts, list rows, seconds median, step breakdown)."""
    from bench.callbacks import mid_org
    from dashboard import context
    from dashboard.store import DataStore
    from dashboard.view import View
    from exports import pack, render

    if render.problem():
        return [{"level": "-", "note": render.problem()}]
    store = DataStore(db)
    store.warm()
    render.renderer().warm()
    orgs = (orgs[0], mid_org(store) or orgs[1])
    rows = []
    for level, org in zip(("root", "mid"), orgs):
        ctx = context.resolve(store, View(org=org))
        pack.build(store, ctx, built_by="bench")  # warm-up
        runs, last = [], None
        for _ in range(repeat):
            started = time.perf_counter()
            last = pack.build(store, ctx, built_by="bench")
            runs.append(time.perf_counter() - started)
        p = last.pack
        rows.append({"level": level, "org": ctx.org["full_name"], "charts": len(p.charts),
                     "list_rows": sum(lst.total for lst in p.lists),
                     "seconds": statistics.median(runs), "target": TARGETS[level],
                     "steps": {k: round(v, 2) for k, v in p.timings.items()},
                     "sizes": {f: len(d) for f, (_, d) in last.files.items()}})
    return rows


def render_table(rows: list[dict], title: str) -> str:
    lines = [f"**{title}** (PDF + PPTX + XLSX from one click, warm, median of the runs)", "",
             "| level | organization | charts | list rows | pack (s) | target (s) | steps (s) |",
             "|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        if "note" in r:
            lines.append(f"| – | {r['note']} | | | | | |")
            continue
        steps = ", ".join(f"{k} {v}" for k, v in r["steps"].items())
        lines.append(f"| {r['level']} | {r['org']} | {r['charts']} | {r['list_rows']:,} | "
                     f"{r['seconds']:.1f} | ≤ {r['target']:.0f} | {steps} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from bench.run import pick_orgs

    parser = argparse.ArgumentParser(prog="bench.pack", description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rows = measure(args.db, pick_orgs(args.db), args.repeat)
    print(render_table(rows, f"Meeting pack on {args.db.name}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
