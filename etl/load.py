"""One load: export files -> raw -> staging (with quarantine) -> marts -> snapshot -> publish."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import duckdb

import queries
from etl import archive as history_archive
from etl import dataset, labels, partial_reload, publish, reuse, shrink
from etl.history import archive_history, carry_history, record_load
from etl.idcheck import build_ric_places
from etl.org_search import Romanizer
from etl.progress import make_progress
from etl.settings import (Settings, SettingsError, check_against_tree, read_settings,
                          warning_lines, write_settings)

# Build order. Each name is a .sql file under queries/; each becomes a table of that name.
STAGING = (
    "ranked_orgs", "checked_orgs", "stg_orgs", "org_tree", "org_closure", "org_refs",
    "checked_members", "stg_members", "member_duplicates",
    "checked_cadres", "stg_cadres",
    "checked_transfers", "stg_transfers",
    "checked_campaigns", "stg_campaigns",
    "checked_roster", "stg_roster",
    "typed_dues", "dues_duplicates", "checked_dues", "stg_dues",
)
BOOKKEEPING = ("row_dispositions", "quarantine", "load_log")
MARTS = (
    "cadre_scope", "org_rollup", "org_rollup_registration",
    # the cadres page (cadre_scope reads the rules written by etl/cadre_rules.py)
    "org_rollup_cadres", "cadre_org_gaps", "cadre_findings", "cadre_followup_items",
    # the dues page (dues_mismatches compares with the dues_standard written by etl/settings.py)
    "member_arrears", "dues_mismatches", "org_rollup_dues", "dues_months", "dues_child_months",
    # the registration page
    "registration_daily", "registration_reviews", "org_contacts", "branch_contacts",
    "dues_branch_months",
    # the transfers page
    "transfer_steps", "transfer_reviews", "transfer_review_rollup",
    # the data-quality page
    "member_checks", "org_rollup_quality",
    # follow-up items of CONTRACT.md §4 (snapshot_items keeps them in history_items)
    "followup_kinds", "followup_items",
)
# Intermediate tables dropped once the quarantine and the load log are built (the dues tables
# stay: stg_dues is a view over them).
INTERMEDIATE = ("ranked_orgs", "row_dispositions") + tuple(
    n for n in STAGING if n.startswith("checked_") and n != "checked_dues")


class LoadError(RuntimeError):
    """The load could not complete; the previous database is left as it was."""


@dataclass
class LoadSettings:
    source: Path
    db: Path
    as_of: dt.datetime | None = None
    workers: int = 2
    memory_limit: str = "5GB"
    temp_dir: Path | None = None  # where DuckDB spills past the memory limit (default: beside db)
    threads: int = 2
    quiet: bool = False
    settings_file: Path | None = None  # TOML: cadre scope setting, seat quotas (etl/settings.py)
    history: Path | None = None  # the history archive (default: <db>.history/ beside the database)
    allow_skipped: bool = False  # a damaged history archive file is left out instead of stopping
    accept_shrink: bool = False  # publish even when a kind of file is missing or fell by half
    full: bool = False  # read every file, even those unchanged since the published load
    # Called as the load goes: on_progress(files_read, files_total, step, steps_done,
    # steps_total) (the import page's live status; the command line has its bars).
    on_progress: Callable[[int, int, str, int, int], None] | None = None


@dataclass
class LoadResult:
    db: Path
    load_id: int
    files: int
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_merged: int
    seconds: float
    skipped: list[tuple[str, str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # from the settings file
    files_reused: int = 0  # unchanged since the published load: rows carried over, not read


def connect_for_build(path: Path, settings: LoadSettings) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("set memory_limit = ?", [_checked_size(settings.memory_limit)])
    con.execute("set threads = ?", [int(settings.threads)])
    con.execute("set preserve_insertion_order = false")
    if settings.temp_dir:
        try:
            Path(settings.temp_dir).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LoadError(f"临时目录无法创建 / the temporary folder cannot be made: "
                            f"{settings.temp_dir}: {exc.strerror}") from None
    con.execute("set temp_directory = ?", [str(spill_dir(path, settings))])
    return con


def spill_dir(path: Path, settings: LoadSettings) -> Path:
    """Where the build of `path` spills past the memory limit: `--temp-dir`, else beside it."""
    return (Path(settings.temp_dir) if settings.temp_dir else path.parent) / f"{path.name}.spill"


def _checked_size(text: str) -> str:
    t = text.strip().upper()
    if not t[:-2].replace(".", "").isdigit() or t[-2:] not in ("MB", "GB"):
        raise LoadError(f"memory limit must look like 6GB or 800MB: {text}")
    return t


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Tables and macros every staging query relies on."""
    write_label_codes(con)
    con.execute((queries.ROOT / "macros.sql").read_text(encoding="utf-8"))


def write_label_codes(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create or replace table label_codes (key varchar, label varchar, code varchar)")
    con.executemany("insert into label_codes values (?, ?, ?)", labels.label_code_rows())


# Queries kept as views: cheap to scan twice, costly to store at 120 million rows.
VIEWS = ("row_dispositions", "checked_dues", "stg_dues")


# Point lookups by id that readers make on every request (a scan of 700,000 rows costs ~20 ms).
INDEXES = {"org_tree": "create index org_tree_org_id on org_tree (org_id)"}


def build_table(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Create (or replace) the table of the named query. Identifiers cannot be bound: the name
    must be one of the build lists (STAGING, BOOKKEEPING, MARTS), never input."""
    if name not in STAGING + BOOKKEEPING + MARTS:
        raise ValueError(f"not a query of the build: {name!r}")
    kind = "view" if name in VIEWS else "table"
    con.execute("create or replace " + kind + ' "' + name + '" as ' + queries.sql(name))
    if name in INDEXES:
        con.execute(INDEXES[name])


# What the staging tables are computed from, besides the raw layer: their SQL, the macros and
# the code that builds ric_places (etl/reuse.py, staging_key); and org_search, which depends on
# the organizations alone (a staging table) and the code and library that romanize their names.
def staging_sources() -> list[str]:
    import inspect

    import pypinyin

    from etl import idcheck, org_search

    texts = [(queries.ROOT / "macros.sql").read_text(encoding="utf-8"), inspect.getsource(idcheck),
             inspect.getsource(org_search), f"pypinyin {pypinyin.__version__}"]
    return texts + [queries.sql(name) for name in STAGING + BOOKKEEPING]


KEPT_STAGING = tuple(n for n in STAGING + BOOKKEEPING if n not in INTERMEDIATE + VIEWS)


def reconcile(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int, int]:
    bad = con.execute(
        "select path, rows_read, rows_loaded, rows_quarantined, rows_merged from load_log "
        "where rows_read <> rows_loaded + rows_quarantined + rows_merged").fetchall()
    if bad:
        raise LoadError(f"行数不平衡 / row counts do not reconcile: {bad[:5]}")
    return con.execute(
        "select coalesce(sum(rows_read), 0), coalesce(sum(rows_loaded), 0), "
        "coalesce(sum(rows_quarantined), 0), coalesce(sum(rows_merged), 0) from load_log"
    ).fetchone()


def build(con: duckdb.DuckDBPyConnection, on_step=lambda step: None, *,
          as_of: dt.datetime | None = None,
          settings: Settings | None = None,
          staging_kept: bool = False,
          changed_kinds: frozenset[str] = frozenset()) -> tuple[int, int, int, int]:
    """Everything after extraction: ID places, staging, quarantine, load log, marts.

    Expects `prepare` and the raw tables; returns (read, loaded, quarantined, merged). as_of is
    the time the data describes (default: now); marts that need it (ages, "28 or over") read
    it from the one-row table `load_clock`. settings (default: none set) become the tables
    cadre_rules, setting_cadre_scope and seat_quota, which the cadre marts read.
    staging_kept: the database is a copy of the published one, built from the same staging
    input (etl/reuse.py, same_load): its staging tables are there already, not built again.
    changed_kinds (with staging_kept): the rows of changed files of these kinds were put in
    place of the old ones (etl/partial_reload.py): what reads them is built again.
    """
    con.execute("create or replace table load_clock as select cast(? as timestamp) as as_of",
                [as_of or dt.datetime.now().replace(microsecond=0)])
    timings: list[tuple[str, float]] = []

    def timed(step: str, fn) -> None:
        started = time.perf_counter()
        fn()
        timings.append((step, round(time.perf_counter() - started, 3)))
        on_step(step)

    timed("settings", lambda: write_settings(con, settings or Settings()))
    if staging_kept:
        redo = partial_reload.rebuilt(changed_kinds)
        for name in ("ric_places",) + STAGING + BOOKKEEPING:
            if name == "quarantine" and changed_kinds:  # with the load log
                timed(name, lambda: partial_reload.replace_bookkeeping(
                    con, partial_reload.bookkept(changed_kinds)))
            elif name in redo:
                timed(name, lambda name=name: PARTIAL.get(name, build_table)(con, name))
            else:
                on_step(name)
        if changed_kinds:
            partial_reload.clean_up(con)
    else:
        timed("ric_places", lambda: build_ric_places(con))
        for name in STAGING + BOOKKEEPING:
            timed(name, lambda name=name: build_table(con, name))
            if name == "org_tree":  # the names are known: romanized beside the other steps
                romanizer = Romanizer(con)
    check_against_tree(con)
    totals = reconcile(con)
    for name in INTERMEDIATE:
        # INTERMEDIATE is a fixed list (identifiers cannot be bound)
        con.execute("drop " + ("view" if name in VIEWS else "table") + ' if exists "' + name + '"')
    for name in MARTS:
        timed(name, lambda name=name: build_table(con, name))
    if staging_kept:  # the same organizations, romanized by the same code
        on_step("org_search")
    else:
        timed("org_search", lambda: romanizer.build(con))
    # Where a load's time went, kept in the database for whoever has to make it faster.
    con.execute("create or replace table load_steps (step varchar, seconds double)")
    con.executemany("insert into load_steps values (?, ?)", timings)
    return totals


# How a reload of changed files of leaf kinds builds the staging steps it redoes, where that is
# not build_table: the typed rows of the changed dues files only (etl/partial_reload.py).
PARTIAL = {
    "typed_dues": lambda con, _name: partial_reload.replace_typed(con),
    "ric_places": lambda con, _name: build_ric_places(con),
}


class Begun(NamedTuple):
    db: Path  # the published database, resolved
    tmp: Path  # where the new one is built
    as_of: dt.datetime
    configured: Settings  # the settings file, read
    paths: list[Path]  # the files of SOURCE


def begin(settings: LoadSettings) -> Begun:
    """What every load checks and decides before reading (the DuckDB and the Spark engines):
    the source exists and holds files, the settings file reads, where the new file is built."""
    from etl.extract import source_files

    db = settings.db.resolve()
    db.parent.mkdir(parents=True, exist_ok=True)
    if not settings.source.exists():
        raise LoadError(f"找不到数据源 / source not found: {settings.source}")
    publish.remove_stale(db)
    as_of = settings.as_of or dt.datetime.now().replace(microsecond=0)
    try:
        configured = read_settings(settings.settings_file)
    except SettingsError as exc:
        raise LoadError(str(exc)) from None
    paths = source_files(settings.source)
    if not paths:
        raise LoadError(f"数据源中没有文件，未导入任何数据 / the source holds no files, nothing was "
                        f"loaded: {settings.source}")
    return Begun(db, publish.temp_path(db), as_of, configured, paths)


def load(settings: LoadSettings) -> LoadResult:
    """Run a whole load and publish it; on any failure the previous database stays in place."""
    started = time.perf_counter()
    db, tmp, as_of, configured, paths = begin(settings)
    steps = (("prepare", "settings", "ric_places") + STAGING + BOOKKEEPING + MARTS
             + ("org_search", "history"))
    con = None
    side = tmp.with_name(tmp.name + ".side")  # the changed files, read (partial_reload)
    try:
        prints, kept_key = _same_load(db, paths, settings)
        changed = (_changed_files(db, paths, prints) if kept_key is None and prints is not None
                   else None)
        with make_progress(settings.quiet) as progress:
            read_task = progress.add_task("读取文件 / reading files", total=len(paths))
            build_task = progress.add_task("构建 / building", total=len(steps))

            done = {"files": 0, "steps": 0}

            def report(step: str) -> None:
                if settings.on_progress is not None:
                    settings.on_progress(done["files"], len(paths), step, done["steps"],
                                         len(steps))

            def advance_build(step: str) -> None:
                progress.update(build_task, advance=1, description=f"构建 / building: {step}")
                done["steps"] += 1
                report(step)

            def advance_read(_result) -> None:
                progress.advance(read_task)
                done["files"] += 1
                report("read")

            mapping, kinds = None, frozenset()
            if changed is not None:
                got = _read_changed(changed, side, settings, advance_read)
                if got is None:  # not leaf kinds alone after all: the reload reads as usual
                    progress.reset(read_task)
                    done["files"] = 0
                else:
                    mapping, kinds = got[0], frozenset(got[1])
            copied = kept_key is not None or mapping is not None
            if copied:
                reuse.copy_database(db, tmp)  # the published load, to start from
            con = connect_for_build(tmp, settings)
            prepare(con)
            advance_build("prepare")
            if copied:
                if mapping is not None:
                    partial_reload.put_in_place(con, side, mapping, kinds)
                    plan = partial_reload.plan_of(changed, prints)
                else:
                    plan = reuse.kept_plan(con, prints)
                for _ in plan.reuse:
                    advance_read(None)
                reuse.record(con, plan)
                key = kept_key or reuse.staging_key(con, staging_sources())
                reused = plan.reused
                guard_shrink(con, db, settings)
                totals = build(con, on_step=advance_build, as_of=as_of, settings=configured,
                               staging_kept=True, changed_kinds=kinds)
            else:
                key, totals, reused = _read_and_build(
                    con, paths, db, settings, configured, as_of, prints, advance_read,
                    advance_build)
            reuse.record_staging_key(con, key)
            load_id, history_notes = record_history(con, settings, db, as_of, started,
                                                    carried=copied)
            advance_build("history")
        skipped, warnings = publish_build(con, settings, db, tmp, started)
        warnings += history_notes
    except BaseException:
        if con is not None:
            # closed before the file goes: DuckDB would hand a later load in this process the
            # same (deleted) database if a connection to the path stayed open
            con.close()
        discard(tmp)
        raise
    finally:
        discard_spill(spill_dir(tmp, settings))
        discard(side)
        discard_spill(spill_dir(side, settings))
    return LoadResult(db=db, load_id=load_id, files=len(paths), rows_read=totals[0],
                      rows_loaded=totals[1], rows_quarantined=totals[2], rows_merged=totals[3],
                      seconds=time.perf_counter() - started, skipped=skipped, warnings=warnings,
                      files_reused=reused)


def _with_label_codes() -> duckdb.DuckDBPyConnection:
    """An in-memory connection holding this version's label codes (what a staging key hashes
    besides the published file, attached to it)."""
    mem = duckdb.connect()
    write_label_codes(mem)
    return mem


def _same_load(db: Path, paths: list[Path], settings: LoadSettings
               ) -> tuple[dict[str, reuse.Fingerprint] | None, str | None]:
    """Before a reload (not --full): the files' fingerprints, and the staging key when they are
    the very files the published database was loaded from (etl/reuse.py, same_load)."""
    if settings.full or not db.exists():
        return None, None
    prints = reuse.fingerprints(paths, settings.source, settings.workers)
    with _with_label_codes() as mem:
        key = reuse.same_load(mem, db, paths, prints, staging_sources(),
                              KEPT_STAGING + ("ric_places", "org_search"))
    return prints, key


def _changed_files(db: Path, paths: list[Path], prints: dict[str, reuse.Fingerprint]
                   ) -> partial_reload.Changed | None:
    """The changed files, when only files of leaf kinds changed in place
    (etl/partial_reload.py)."""
    with _with_label_codes() as mem:
        return partial_reload.changed_files(mem, db, paths, prints, staging_sources(),
                                            KEPT_STAGING + ("ric_places", "org_search"))


def _read_changed(changed: partial_reload.Changed, side: Path, settings: LoadSettings,
                  on_file) -> tuple[list[tuple[int, int]], set[str]] | None:
    """Read the changed files into the side database; their (side, published) file_ids and the
    kinds changed, or None when one of them no longer reads as it did
    (etl/partial_reload.py, id_mapping)."""
    from etl.extract import extract

    con = connect_for_build(side, settings)
    try:
        extract([Path(p) for p in changed.paths], con, workers=settings.workers,
                on_file=on_file)
        got = partial_reload.id_mapping(con, changed)
        con.execute("checkpoint")
    finally:
        con.close()
    return got


def _read_and_build(con: duckdb.DuckDBPyConnection, paths: list[Path], db: Path,
                    settings: LoadSettings, configured: Settings, as_of: dt.datetime,
                    prints: dict[str, reuse.Fingerprint] | None, advance_read, advance_build
                    ) -> tuple[str, tuple[int, int, int, int], int]:
    """Read the files (those unchanged since the published load are carried over, etl/reuse.py)
    and build; returns the staging key, the row totals and the number of files reused."""
    from etl.extract import extract

    plan = reuse.plan(con, paths, settings.source, db if db.exists() else None,
                      full=settings.full, workers=settings.workers, prints=prints)
    try:
        extract(paths, con, workers=settings.workers, on_file=advance_read, reuse=plan.reuse)
        reuse.record(con, plan)
        key = reuse.staging_key(con, staging_sources())
    finally:
        reuse.detach(con)
    guard_shrink(con, db, settings)
    totals = build(con, on_step=advance_build, as_of=as_of, settings=configured)
    return key, totals, plan.reused


def record_history(con: duckdb.DuckDBPyConnection, settings: LoadSettings, db: Path,
                   as_of: dt.datetime, started: float, *,
                   carried: bool = False) -> tuple[int, list[str]]:
    """The load's place in history: the dataset kind, the history carried from the database it
    replaces and the archive, this load's row in `loads`, and the archive written. Returns the
    load id and warnings. carried: the database is a copy of the one it replaces (its history
    is there already)."""
    archive = settings.history or history_archive.default_path(db)
    dataset.record(con, demo=dataset.source_is_demo(settings.source))
    previous = db if db.exists() and not carried else None
    try:
        notes = carry_history(con, previous=previous, archive=archive,
                              allow_damaged=settings.allow_skipped)
    except history_archive.ArchiveDamaged as exc:
        raise LoadError(f"历史存档损坏（用 --allow-skipped 跳过损坏的部分） / history "
                        f"archive damaged (pass --allow-skipped to leave it out): {exc}") from None
    load_id = record_load(con, as_of=as_of, source=str(settings.source),
                          seconds=time.perf_counter() - started)
    try:
        archive_history(con, archive)
    except OSError as exc:
        raise LoadError(f"无法写入历史存档 / cannot write the history archive "
                        f"{archive}: {exc}") from None
    return load_id, notes


def publish_build(con: duckdb.DuckDBPyConnection, settings: LoadSettings, db: Path, tmp: Path,
                  started: float) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Print the summary, close the built file and put it in place of the published one.
    Returns the skipped files and the settings' warnings."""
    from etl.summary import print_summary

    skipped = con.execute(
        "select path, reason_zh, reason_en from files where status = 'skipped' order by file_id"
    ).fetchall()
    warnings = warning_lines(con)
    con.execute("checkpoint")
    if not settings.quiet:
        print_summary(con, db, time.perf_counter() - started, source=settings.source)
    con.close()
    publish.swap_in(tmp, db)
    return skipped, warnings


def guard_shrink(con: duckdb.DuckDBPyConnection, db: Path, settings: LoadSettings) -> None:
    """Refuse, before the long build, a load that would publish much less than the database it
    replaces (a drop folder not mounted, an export half done)."""
    now = shrink.rows_by_kind(con, "files")
    if sum(now.values()) == 0:
        raise LoadError(f"没有读到任何数据行（所有文件都未能读取） / no rows could be read from "
                        f"any file of {settings.source}")
    if settings.accept_shrink or not db.exists():
        return
    before = shrink.previous_rows(db)
    lines = shrink.shrinkage(before or {}, now)
    if lines:
        raise LoadError("本次数据比上次少很多，若确属预期请加 --accept-shrink / this load has much "
                        "less than the previous one; pass --accept-shrink if that is intended: "
                        + "; ".join(lines))


def discard(tmp: Path) -> None:
    for p in (tmp, tmp.with_name(tmp.name + ".wal")):
        if p.exists():
            p.unlink()


def discard_spill(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
