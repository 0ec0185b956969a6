"""Incremental reload (issue 15, part 3): the same folder again at a later as-of with nothing
changed, then with 1% of its files changed (dues files, then files of other kinds), each timed
against the full load of the same run."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from bench.measure import run_measured
from bench.progress import loads_of
from bench.run import ROOT, zhtj


def _reload(db: Path, files: Path) -> tuple[float, dict]:
    import duckdb

    as_of = loads_of(db)[-1][1] + dt.timedelta(days=7)
    run = run_measured([*zhtj(), "etl", str(files), "--db", str(db), "--allow-skipped", "--quiet",
                        "--as-of", as_of.isoformat()], cwd=str(ROOT))
    if not run.ok:
        raise RuntimeError(f"zhtj etl exited {run.returncode}: {run.stderr[-2000:]}")
    with duckdb.connect(str(db), read_only=True) as con:
        read, reused = con.execute("select count(*) filter (where not reused), "
                                   "count(*) filter (where reused) from file_prints").fetchone()
    return run.seconds, {"read": read, "reused": reused, "peak_rss": run.peak_rss}


def changed_files(files: Path, share: float = 0.01, *, dues: bool = True) -> list[Path]:
    """The files a re-export would change: 1% of them (at least one). dues: the latest months'
    dues CSV files (a month paid late is the common re-export); else CSV files of every other
    kind (the organizations, members, transfers exported again), the last in path order."""
    csvs = sorted(p for p in files.rglob("*.csv") if p.is_file() and "DEMO" not in p.name)
    total = sum(1 for p in files.rglob("*") if p.is_file())
    wanted = max(1, math.ceil(total * share))
    picked = [p for p in csvs if ("团费" in p.parts) == dues]
    return picked[-wanted:]


def _reload_changed(db: Path, files: Path, targets: list[Path]) -> tuple[float, dict]:
    """A reload after each target loses its last line (one record fewer); they are put back."""
    originals = {p: p.read_bytes() for p in targets}
    try:
        for p, data in originals.items():
            lines = data.rstrip(b"\r\n").split(b"\n")
            p.write_bytes(b"\n".join(lines[:-1]) + b"\n")
        return _reload(db, files)
    finally:
        for p, data in originals.items():
            p.write_bytes(data)


def measure(db: Path, files: Path) -> dict:
    """Three reloads after the loads already in `db`: nothing changed, then 1% of the files
    changed twice: dues files, then files of other kinds. Each starts from the folder as it
    was (the changed files are put back after each)."""
    same, same_info = _reload(db, files)
    dues, others = changed_files(files), changed_files(files, dues=False)
    changed, changed_info = _reload_changed(db, files, dues)
    _reload(db, files)  # back to the folder as it was: the next reload changes from there
    other, other_info = _reload_changed(db, files, others)
    return {"same": same, "same_info": same_info, "changed": changed,
            "changed_info": changed_info, "changed_files": len(dues),
            "other": other, "other_info": other_info, "other_files": len(others),
            "other_names": [p.relative_to(files).as_posix() for p in others]}


def _names(names: list[str], shown: int = 3) -> str:
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def render(result: dict, full: float | None, label: str) -> str:
    from bench import report

    def share(s: float) -> str:
        return f"{s / full:.0%} of the full load" if full else "–"

    si, ci, oi = result["same_info"], result["changed_info"], result["other_info"]
    return "\n".join([
        f"**Reload at {label} members (the same folder, a week later)**", "",
        "| reload | files read / reused | time | share | target |", "|---|---:|---:|---:|---|",
        f"| nothing changed | {si['read']:,} / {si['reused']:,} | "
        f"{report.seconds(result['same'])} | {share(result['same'])} | ≤ 40% of a full load |",
        f"| {result['changed_files']} dues file(s) changed (1%) | {ci['read']:,} / "
        f"{ci['reused']:,} | {report.seconds(result['changed'])} | {share(result['changed'])} "
        "| ≤ 3 min at 10M |",
        f"| {result['other_files']} file(s) of other kinds changed (1%: "
        f"{_names(result['other_names'])}) | {oi['read']:,} / {oi['reused']:,} | "
        f"{report.seconds(result['other'])} | {share(result['other'])} | ≤ 3 min at 10M |",
    ])
