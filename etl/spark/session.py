"""The Spark session of a load: local threads by default, or a cluster's master URL; every
address on 127.0.0.1 unless the master says otherwise."""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from pathlib import Path


class SparkUnavailable(RuntimeError):
    """Spark cannot start here (no Java, or no pyspark): the message says what is missing."""


def java_missing() -> str | None:
    """Why Spark cannot start on this machine, or None."""
    try:
        import pyspark  # noqa: F401
        import sqlglot  # noqa: F401
    except ImportError as exc:
        return (f"{exc.name} 未安装 / {exc.name} is not installed "
                "(pip install 'zhtj-dashboard[spark]')")
    java = shutil.which("java", path=os.path.join(os.environ["JAVA_HOME"], "bin")
                        if os.environ.get("JAVA_HOME") else None)
    if not java:
        return ("未找到 Java / Java not found: Spark needs Java 17 "
                "(as root: apt-get install openjdk-17-jre-headless)")
    return None


def start(master: str | None = None, *, work: Path, driver_memory: str = "4g",
          shuffle_partitions: int | None = None):
    """A SparkSession for one load. `work` holds Spark's scratch files."""
    missing = java_missing()
    if missing:
        raise SparkUnavailable(missing)
    warnings.filterwarnings("ignore", module="pyspark")
    from pyspark.sql import SparkSession

    master = master or "local[2]"
    local = master.startswith("local")
    scratch = Path(work) / "spark-tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    builder = (SparkSession.builder.master(master).appName("zhtj-etl")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.local.dir", str(scratch))
               .config("spark.driver.memory", driver_memory)
               # the readers are this package's Python: the workers run the driver's interpreter
               .config("spark.pyspark.python", sys.executable)
               .config("spark.pyspark.driver.python", sys.executable)
               .config("spark.executorEnv.PYTHONPATH", os.pathsep.join(sys.path))
               # DuckDB's semantics: a timestamp has no time zone, a bad cast gives null
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.timestampType", "TIMESTAMP_NTZ")
               .config("spark.sql.ansi.enabled", "false")
               .config("spark.sql.legacy.timeParserPolicy", "CORRECTED")
               .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
               .config("spark.sql.shuffle.partitions",
                       str(shuffle_partitions or (8 if local else 200))))
    if local or "127.0.0.1" in master or "localhost" in master:
        builder = (builder.config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1"))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
