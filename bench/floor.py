"""`python -m bench.floor FILES`: the engine's own read time of a folder of exports (issue 15's
floor): every CSV file turned into a table of text columns by DuckDB alone, one file at a time
(`create table … as select * from read_csv(file, all_varchar = true, header = true)`), in a
scratch database that is thrown away. A load is judged by its ratio to this, measured in the
same run, since machines differ from run to run. Files DuckDB's reader cannot take as they are
(xlsx, another encoding than UTF-8, title rows) are counted apart, not timed."""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Floor:
    seconds: float = 0.0
    files: int = 0
    rows: int = 0
    bytes: int = 0
    not_read: list[str] = field(default_factory=list)  # files the plain reader refused


def measure(files: Path, threads: int | None = None) -> Floor:
    """The floor of every *.csv under files (sorted, one at a time, one connection)."""
    import duckdb

    out = Floor()
    with tempfile.TemporaryDirectory(prefix="zhtj-floor-") as tmp:
        con = duckdb.connect(str(Path(tmp) / "floor.duckdb"))
        if threads:
            con.execute(f"set threads = {int(threads)}")
        try:
            for n, path in enumerate(sorted(files.rglob("*.csv"))):
                started = time.perf_counter()
                try:
                    con.execute(f"create table t{n} as select * from read_csv(?, "
                                "all_varchar = true, header = true)", [str(path)])
                except duckdb.Error:
                    out.not_read.append(str(path.relative_to(files)))
                    continue
                out.seconds += time.perf_counter() - started
                out.rows += con.execute(f"select count(*) from t{n}").fetchone()[0]
                out.files += 1
                out.bytes += path.stat().st_size
                con.execute(f"drop table t{n}")
        finally:
            con.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.floor", description=__doc__)
    parser.add_argument("files", type=Path)
    args = parser.parse_args(argv)
    floor = measure(args.files)
    print(f"{floor.files:,} CSV files, {floor.rows:,} rows, {floor.bytes / 1e9:.2f} GB: "
          f"{floor.seconds:.1f} s" + (f"; not read by the plain reader: {len(floor.not_read)}"
                                      if floor.not_read else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
