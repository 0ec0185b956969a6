"""`python -m bench.pandas_timed SOURCE --org ID`: time the pandas approach in its own process.

Prints one JSON line: compute_all and metrics seconds, the process's peak RSS in bytes, and the
figures (so that the benchmark can check both approaches give the same answer).
Run apart so that its memory is measured alone and a run past the time cap can be stopped.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

from bench.pandas_reference import compute_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.pandas_timed")
    parser.add_argument("source")
    parser.add_argument("--org", required=True)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    ref = compute_all(args.source)
    loaded = time.perf_counter()
    figures = ref.metrics(args.org)
    answered = time.perf_counter()
    print(json.dumps({
        "compute_all_s": loaded - start,
        "metrics_s": answered - loaded,
        "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,  # KiB on Linux
        "figures": figures,
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
