"""A whole load on Spark: files read in Spark tasks, staging, quarantine, load log and marts as
Spark SQL written as Parquet, then the serving DuckDB file built from that Parquet, its history
carried and archived, and published exactly as a DuckDB load publishes (etl/load.py).

`zhtj etl SOURCE --db PATH --engine spark [--master URL] [--work DIR]`.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from etl import load as duck
from etl import reuse
from etl.load import LoadError, LoadResult, LoadSettings
from etl.progress import make_progress
from etl.settings import check_against_tree, write_settings


@dataclass
class SparkOptions:
    master: str | None = None  # local[2] when None; spark://127.0.0.1:7077 for a cluster
    work: Path | None = None  # where the Parquet goes (kept when given; a temporary folder else)
    driver_memory: str = "4g"
    slices: int | None = None  # read tasks (default: four per core)
    bulk_bytes: int | None = None  # CSVs this large are read by DuckDB's reader in the task


def load(settings: LoadSettings, options: SparkOptions | None = None) -> LoadResult:
    """Run a whole load on Spark and publish it; on any failure the previous database stays."""
    from etl.spark import build as spark_build
    from etl.spark import extract as spark_extract
    from etl.spark import serving
    from etl.spark.session import SparkUnavailable, start

    options = options or SparkOptions()
    started = time.perf_counter()
    db, tmp, as_of, configured, paths = duck.begin(settings)
    keep_work = options.work is not None
    work = (Path(options.work) if keep_work
            else Path(tempfile.mkdtemp(prefix=f"{db.name}.spark-", dir=db.parent)))
    work.mkdir(parents=True, exist_ok=True)
    spark = con = None
    timings: list[tuple[str, float]] = []

    def timed(step, fn):
        t0 = time.perf_counter()
        out = fn()
        timings.append((step, round(time.perf_counter() - t0, 3)))
        return out

    try:
        spark = timed("spark_start", lambda: start(options.master, work=work,
                                                   driver_memory=options.driver_memory))
        con = duck.connect_for_build(tmp, settings)
        steps = ("read", "import_raw", "build", "import", "org_search", "history")
        with make_progress(settings.quiet) as progress:
            task = progress.add_task("Spark 导入 / Spark load", total=len(steps))

            def advance(step: str) -> None:
                progress.update(task, advance=1,
                                description=f"Spark 导入 / Spark load: {step}")
                if settings.on_progress is not None:
                    settings.on_progress(len(paths), len(paths), step, steps.index(step) + 1,
                                         len(steps))

            duck.prepare(con)
            offsets = timed("read", lambda: spark_extract.extract(spark, paths, work,
                                                                  slices=options.slices,
                                                                  bulk_bytes=options.bulk_bytes))
            advance("read")
            timed("import_raw", lambda: serving.import_raw(con, work, offsets))
            plan = reuse.plan(con, paths, settings.source, None, full=True,
                              workers=settings.workers)
            reuse.record(con, plan)
            key = reuse.staging_key(con, duck.staging_sources())
            duck.guard_shrink(con, db, settings)
            advance("import_raw")

            con.execute("create or replace table load_clock as "
                        "select cast(? as timestamp) as as_of", [as_of])
            write_settings(con, configured)
            spark_extract.register(spark, work, offsets)
            spark_build.register_side(spark, spark_build.side_tables(as_of, configured))
            timings += spark_build.build(spark, work)
            advance("build")

            types = timed("types", lambda: serving.reference_types(configured))

            def import_tables(names) -> None:
                for name in names:
                    timed(f"import {name}",
                          lambda name=name: serving.import_table(con, name, work, types[name]))

            import_tables(n for n in serving.KEPT if n not in duck.MARTS)
            serving.import_views(con)  # staging complete: the same checks as a DuckDB load
            check_against_tree(con)
            totals = duck.reconcile(con)
            import_tables(duck.MARTS)
            advance("import")
            from etl.org_search import build_org_search
            timed("org_search", lambda: build_org_search(con))
            advance("org_search")
            con.execute("create or replace table load_steps (step varchar, seconds double)")
            con.executemany("insert into load_steps values (?, ?)", timings)
            reuse.record_staging_key(con, key)
            load_id, notes = duck.record_history(con, settings, db, as_of, started)
            advance("history")
        spark.stop()
        spark = None
        skipped, warnings = duck.publish_build(con, settings, db, tmp, started)
        warnings += notes
    except SparkUnavailable as exc:
        raise LoadError(str(exc)) from None
    except BaseException:
        if con is not None:
            con.close()
        duck.discard(tmp)
        raise
    finally:
        if spark is not None:
            spark.stop()
        shutil.rmtree(work / "spark-tmp", ignore_errors=True)
        if not keep_work:
            shutil.rmtree(work, ignore_errors=True)
        duck.discard_spill(duck.spill_dir(tmp, settings))
    return LoadResult(db=db, load_id=load_id, files=len(paths), rows_read=totals[0],
                      rows_loaded=totals[1], rows_quarantined=totals[2], rows_merged=totals[3],
                      seconds=time.perf_counter() - started, skipped=skipped, warnings=warnings)
