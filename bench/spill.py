"""A load under a small memory limit (issue 15, part 4): the same files loaded again into a
scratch database with `--memory-limit 3GB`, DuckDB spilling past it into `--temp-dir`, timed
against the full load of the same run. `python -m bench.spill FILES [--limit 3GB]` runs it alone."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.measure import run_measured

DEFAULT_LIMIT = "3GB"
FROM_MEMBERS = 10_000_000  # `make bench` runs it at this size and above


@dataclass
class Spill:
    limit: str
    seconds: float
    peak_rss: int
    spilled_dir: str


def measure(files: Path, limit: str = DEFAULT_LIMIT, scratch: Path | None = None) -> Spill:
    from bench.run import AS_OF, ROOT, zhtj

    work = Path(tempfile.mkdtemp(prefix="zhtj-spill-", dir=scratch))
    try:
        db, temp = work / "zhtj.duckdb", work / "spill"
        run = run_measured([*zhtj(), "etl", str(files), "--db", str(db), "--allow-skipped",
                            "--quiet", "--as-of", AS_OF, "--memory-limit", limit,
                            "--temp-dir", str(temp)], cwd=str(ROOT))
        if not run.ok:
            raise RuntimeError(f"zhtj etl --memory-limit {limit} exited {run.returncode}: "
                               f"{run.stderr[-2000:]}")
        return Spill(limit, run.seconds, run.peak_rss, str(temp))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render(result: Spill, full: float | None, full_peak: int | None, label: str) -> str:
    from bench import report

    slower = f"{result.seconds / full:.2f}× the full load's time" if full else "–"
    return "\n".join([
        f"**Load of {label} under a {result.limit} memory limit (spilling)**", "",
        "| load | time | peak RSS | vs the load without the limit |", "|---|---:|---:|---|",
        f"| `--memory-limit {result.limit}` | {report.seconds(result.seconds)} | "
        f"{report.size(result.peak_rss)} | {slower} "
        f"({report.seconds(full) if full else '–'}, {report.size(full_peak) if full_peak else '–'}) |",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.spill", description=__doc__)
    parser.add_argument("files", type=Path)
    parser.add_argument("--limit", default=DEFAULT_LIMIT)
    args = parser.parse_args(argv)
    print(render(measure(args.files, args.limit), None, None, str(args.files)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
