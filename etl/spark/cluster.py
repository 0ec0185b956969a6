"""A Spark standalone cluster on this machine: one master and its workers on 127.0.0.1, started
from the pyspark package's own launcher (bin/spark-class), for tests and for people to try a
cluster load (`make spark-cluster`, `python -m etl.spark.cluster`).

    with Cluster(workers=2) as c:
        load(settings, SparkOptions(master=c.url))
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"


def _spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Cluster:
    """A master and `workers` workers (each `cores` cores, `memory` of executor memory), all
    bound to 127.0.0.1; stopped (process groups killed) on exit."""

    def __init__(self, workers: int = 2, *, cores: int = 1, memory: str = "2g",
                 port: int | None = None, log_dir: Path | None = None) -> None:
        self.workers, self.cores, self.memory = workers, cores, memory
        self.port = port or free_port()
        self.ui_port = free_port()
        self.log_dir = Path(log_dir) if log_dir else Path(os.environ.get("TMPDIR", "/tmp"))
        self.procs: list[subprocess.Popen] = []

    @property
    def url(self) -> str:
        return f"spark://{HOST}:{self.port}"

    def _launch(self, name: str, *args: str) -> None:
        env = dict(os.environ, SPARK_LOCAL_IP=HOST, SPARK_HOME=str(_spark_home()),
                   PYSPARK_PYTHON=sys.executable)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"spark-{name}-{self.port}.log", "wb")  # noqa: SIM115
        self.procs.append(subprocess.Popen(
            [str(_spark_home() / "bin" / "spark-class"), *args], env=env, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True))

    def start(self, timeout: float = 120) -> Cluster:
        self._launch("master", "org.apache.spark.deploy.master.Master", "--host", HOST,
                     "--port", str(self.port), "--webui-port", str(self.ui_port))
        for i in range(self.workers):
            self._launch(f"worker{i + 1}", "org.apache.spark.deploy.worker.Worker", self.url,
                         "--host", HOST, "--cores", str(self.cores), "--memory", self.memory,
                         "--webui-port", str(free_port()))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.alive_workers() >= self.workers:
                return self
            if any(p.poll() is not None for p in self.procs):
                break
            time.sleep(1)
        self.stop()
        raise RuntimeError(f"Spark 集群未能启动 / the Spark cluster did not start (logs in "
                           f"{self.log_dir})")

    def alive_workers(self) -> int:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{self.ui_port}/json/", timeout=2) as r:
                state = json.load(r)
        except OSError:
            return 0
        return sum(1 for w in state.get("workers", []) if w.get("state") == "ALIVE")

    def stop(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        self.procs.clear()

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """Start a cluster and keep it until Ctrl-C (make spark-cluster)."""
    parser = argparse.ArgumentParser(description="Spark standalone cluster on 127.0.0.1")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cores", type=int, default=1)
    parser.add_argument("--memory", default="2g")
    parser.add_argument("--port", type=int, default=7077)
    args = parser.parse_args(argv)
    from etl.spark.session import java_missing

    missing = java_missing()
    if missing:
        print(missing, file=sys.stderr)
        return 2
    with Cluster(args.workers, cores=args.cores, memory=args.memory, port=args.port) as c:
        print(f"Spark 集群已启动 / cluster up: {c.url} ({c.alive_workers()} workers, web UI "
              f"http://{HOST}:{c.ui_port}); 导入 / load with:\n"
              f"  zhtj etl SOURCE --db PATH --engine spark --master {c.url}\n"
              "Ctrl-C 停止 / stops it.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
