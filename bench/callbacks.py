"""Server-side time of each dashboard callback, at the root and at a mid-level organization.

Calls what each Dash callback calls (the page render, the search, a tree-chart drill, the grids'
pages of rows, a download) in-process, 1 warm-up then N timed runs; prints p50 and p95.
Run alone: `python -m bench.callbacks --db PATH` (organizations picked as bench.run does).
"""

from __future__ import annotations

import argparse
import sys
import statistics
import time
from collections.abc import Callable
from pathlib import Path

TARGET_MS = 100.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def time_call(fn: Callable, repeat: int) -> tuple[float, float]:
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), _percentile(runs, 0.95)


def cases(store, org: str, search_text: str) -> list[tuple[str, Callable]]:
    from dashboard import lazy, navigator
    from dashboard.app import render_view
    from dashboard.pages import cadres, dues, quality, registration, transfers
    from dashboard.grids import download, rows_response
    from dashboard.view import PATHS, View

    q = View(org=org).search()
    view = View(org=org)
    first_page = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}
    by_name = {"startRow": 100, "endRow": 200, "sortModel": [{"colId": "branch_name",
                                                              "sort": "asc"}],
               "filterModel": {"parent_name": {"filter": "学院", "type": "contains"}}}
    reg, stuck = registration.branches_spec(), transfers.stuck_spec()
    child = _first_child(store, org)
    out = [(f"frame: {page}", lambda path=path: render_view(store, path, q))
           for page, path in PATHS.items()]
    out.append(("frame: overview, English",
                lambda: render_view(store, "/", View(org=org, lang="en").search())))
    for key in sorted(lazy.SECTIONS):
        page = key.split(".")[0]
        path = PATHS.get(page, "/")
        out.append((f"section: {key}", lambda key=key, path=path: lazy.render(store, key, path, q)))
    out += [
        ("search (name)", lambda: navigator.search_results(store, search_text, view)),
        ("search (pinyin initials)", lambda: navigator.search_results(store, "jsj", view)),
        ("tree chart drill", lambda: navigator.drill_target(
            store, {"points": [{"customdata": child}]}, view)),
        ("lagging branches, first page", lambda: rows_response(
            reg, store, "/registration", q, first_page)),
        ("lagging branches, sorted + filtered",
         lambda: rows_response(reg, store, "/registration", q, by_name)),
        ("stuck transfers, first page", lambda: rows_response(
            stuck, store, "/transfers", q, first_page)),
        ("cadre detections, first page", lambda: rows_response(
            cadres.detections_spec(), store, "/cadres", q, first_page)),
        ("cadre follow-up list, first page", lambda: rows_response(
            cadres.followup_spec(), store, "/cadres", q, first_page)),
        ("empty and hollow organizations, first page", lambda: rows_response(
            cadres.empty_spec(), store, "/cadres", q, first_page)),
        ("members failing checks, first page", lambda: rows_response(
            quality.members_spec(), store, "/quality", q, first_page)),
        ("quarantined rows, first page", lambda: rows_response(
            quality.quarantine_spec(), store, "/quality", q, first_page)),
        ("lagging branches CSV download (whole list)", lambda: download(
            reg, store, "/registration", q, first_page, "csv")),
        ("dues arrears, first page", lambda: rows_response(
            dues.arrears_spec(), store, "/dues", q, first_page)),
        ("dues arrears, by amount + branch filter", lambda: rows_response(
            dues.arrears_spec(), store, "/dues", q,
            {**first_page, "sortModel": [{"colId": "unpaid_run_yuan", "sort": "desc"}],
             "filterModel": {"branch_name": {"filter": "1班", "type": "contains"}}})),
        ("dues by branch, first page", lambda: rows_response(
            dues.branches_spec(), store, "/dues", q, first_page)),
        ("dues mismatches, first page", lambda: rows_response(
            dues.mismatches_spec(), store, "/dues", q, first_page)),
        ("dues month picked", lambda: dues.period_search(store, view, _month(store, 3), None)),
        ("dues heatmap drill", lambda: navigator.drill_target(
            store, {"points": [{"customdata": child}]}, View(page="dues", org=org))),
    ]
    older = View(org=org, month=_month(store, 5)).search()
    out += [(f"section: {key}, an older month",
             lambda key=key: lazy.render(store, key, "/dues", older))
            for key in sorted(lazy.SECTIONS) if key.startswith("dues.")]
    out += _progress_cases(store, org, first_page)
    return out


def _progress_cases(store, org: str, first_page: dict) -> list[tuple[str, Callable]]:
    """The progress page's lists (the period the load kept), and its sections and a list for
    the first load of the history (computed from the items; once per file and organization for
    the sections)."""
    from dashboard import lazy
    from dashboard.grids import rows_response
    from dashboard.progress_lists import spec
    from dashboard.view import View

    q = View(page="progress", org=org).search()
    with store.cursor() as cur:
        first = cur.execute("select min(load_id) from loads").fetchone()[0]
    earlier = View(page="progress", org=org, from_load=first).search()
    out = [(f"progress {which} list, first page", lambda which=which: rows_response(
        spec(which), store, "/progress", q, first_page)) for which in ("resolved", "new",
                                                                       "over_14_days")]
    out.append(("progress over-14-days list, by open since", lambda: rows_response(
        spec("over_14_days"), store, "/progress", q,
        {**first_page, "sortModel": [{"colId": "open_since", "sort": "asc"}]})))
    out += [(f"section: {key}, since the first load",
             lambda key=key: lazy.render(store, key, "/progress", earlier))
            for key in sorted(lazy.SECTIONS) if key.startswith("progress.")]
    out.append(("progress resolved list since the first load, first page",
                lambda: rows_response(spec("resolved"), store, "/progress", earlier,
                                      first_page)))
    return out


def _month(store, back: int) -> str:
    """The month `back` months before the latest with dues data, as 'YYYY-MM'."""
    from dashboard.pages import dues

    months = dues.months(store)
    return months[min(back, len(months) - 1)].strftime("%Y-%m") if months else "2024-01"


def _first_child(store, org: str) -> str:
    with store.cursor() as cur:
        row = cur.execute("select org_id from org_tree where parent_org_id = ? order by seq "
                          "limit 1", [org]).fetchone()
    return row[0] if row else org


def mid_org(store) -> str | None:
    """The mid level: the university whose campaign has the largest roster (the registration
    page's usual user)."""
    with store.cursor() as cur:
        college = cur.execute("select c.org_id from org_rollup_registration g join stg_campaigns c "
                              "on c.campaign_id = g.campaign_id and c.org_id = g.org_id "
                              "order by g.roster desc limit 1").fetchone()
    return college[0] if college else None


def measure(db: Path, orgs: tuple[str, str], repeat: int = 20,
            only: str | None = None) -> list[dict]:
    """Rows of (callback, p50 and p95 at the root, p50 and p95 at the mid-level org)."""
    from dashboard.store import DataStore

    store = DataStore(db)
    store.warm()
    orgs = (orgs[0], mid_org(store) or orgs[1])
    with store.cursor() as cur:
        name = cur.execute("select full_name from org_tree where org_id = ?",
                           [orgs[1]]).fetchone()[0]
    search_text = name[-6:-2] if len(name) > 6 else name
    results: dict[str, dict] = {}
    for level, org in zip(("root", "mid"), orgs):
        for label, fn in cases(store, org, search_text):
            if only and only not in label:
                continue
            results.setdefault(label, {"callback": label})
            try:
                p50, p95 = time_call(fn, repeat)
            except Exception as exc:  # noqa: BLE001 - one broken callback must not end the run
                print(f"{label} at {level} failed: {exc}", file=sys.stderr)
                continue
            results[label][f"{level}_p50"] = p50
            results[label][f"{level}_p95"] = p95
    return list(results.values())


def render(rows: list[dict], title: str) -> str:
    lines = [f"**{title}** (ms, server-side, {TARGET_MS:.0f} ms target for page callbacks)", "",
             "| callback | root p50 | root p95 | mid p50 | mid p95 |",
             "|---|---:|---:|---:|---:|"]
    for r in rows:
        cells = [f"{r.get(k, float('nan')):.1f}" for k in
                 ("root_p50", "root_p95", "mid_p50", "mid_p95")]
        lines.append(f"| {r['callback']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from bench.run import pick_orgs

    parser = argparse.ArgumentParser(prog="bench.callbacks", description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", help="time only the callbacks whose label contains this")
    args = parser.parse_args(argv)
    orgs = pick_orgs(args.db)
    rows = measure(args.db, orgs, args.repeat, args.only)
    print(render(rows, f"Dashboard callbacks on {args.db.name}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
