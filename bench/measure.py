"""Timing a command with its peak memory (the process and all its children), and warm latencies."""

from __future__ import annotations

import contextlib
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass

import psutil

POLL_SECONDS = 0.05


@dataclass
class Run:
    seconds: float
    peak_rss: int  # bytes, the largest sum over the process tree seen while polling
    returncode: int | None  # None: stopped at the timeout
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        for p in [proc, *proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return total


def run_measured(cmd: list[str], timeout: float | None = None, cwd: str | None = None) -> Run:
    """Run cmd to the end (or the timeout), polling the RSS of it and its children."""
    start = time.perf_counter()
    with open_capture() as (out, err):
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd)
        ps = psutil.Process(proc.pid)
        peak, returncode = 0, None
        while True:
            peak = max(peak, _tree_rss(ps))
            returncode = proc.poll()
            if returncode is not None:
                break
            if timeout is not None and time.perf_counter() - start > timeout:
                _kill_tree(ps)
                proc.wait()
                returncode = None
                break
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return Run(seconds, peak, returncode, out.read().decode(errors="replace"),
                   err.read().decode(errors="replace"))


def _kill_tree(ps: psutil.Process) -> None:
    """Stop the process we started and its children (and nothing else)."""
    for p in [*ps.children(recursive=True), ps]:
        try:
            p.kill()
        except psutil.Error:
            pass


@contextlib.contextmanager
def open_capture():
    """Two temporary files for a child's output (pipes would fill up and block a long run)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        yield out, err


def median_seconds(fn: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of fn after warm-up calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
