"""The demo province: realistic, deterministic 智慧团建 export files (CONTRACT.md §1)."""

from __future__ import annotations

import datetime
import pathlib
import shutil
import time
from collections.abc import Callable

from etl.dataset import write_marker

from . import branch_layout, bulk_layout
from .dirty import REASONS
from .model import build

# Subfolders this generator owns in `out`; they are replaced on every run.
FOLDERS = ("组织", "团员", "团干部", "组织关系转接", "报到", "团费")
BULK_MAX_ROWS = 1_000_000


def generate(out: pathlib.Path, *, members: int = 50_000, seed: int = 1, layout: str = "branch",
             as_of: datetime.date = datetime.date(2024, 10, 8),
             progress: Callable[[str, int, int], None] | None = None, max_rows: int = BULK_MAX_ROWS,
             workers: int | None = None, base: datetime.date | None = None) -> dict:
    """Write the demo province's export files into `out`, with the marker that makes their load
    say 演示数据 / demo data (etl/dataset.py), and return a summary:
    {"files": n, "rows": {kind: n}, "dirty_rows": {reason: n}, "seconds": t}.

    layout "branch": what users get from the platform (a file per branch, xlsx and csv mixed);
    "bulk": UTF-8 CSV files of at most max_rows rows each, for big runs.
    A later as_of of the same campaign season (base: by default 37 days after 1 September of
    the intake year) shows the same province with the progress made since (later.py).
    Same arguments, same bytes."""
    if layout not in ("branch", "bulk"):
        raise ValueError(f"layout must be 'branch' or 'bulk', not {layout!r}")
    if members < 3:
        raise ValueError("members must be at least 3 (a branch has at least 3)")
    started = time.perf_counter()
    report = progress or (lambda step, done, total: None)
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for folder in FOLDERS:
        shutil.rmtree(out / folder, ignore_errors=True)
    province = build(members, seed, as_of, report, base)
    if layout == "branch":
        files, rows = branch_layout.write(province, out, report, workers)
    else:
        files, rows = bulk_layout.write(province, out, max_rows, report)
    write_marker(out)  # not counted in "files": the load does not read it as an export
    dirty = {reason: province.dirty.counts.get(reason, 0) for reason in REASONS}
    return {"files": files, "rows": rows, "dirty_rows": dirty,
            "seconds": round(time.perf_counter() - started, 2)}
