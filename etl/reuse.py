"""Incremental reload: files whose bytes did not change since the published load are not read
again; their `files` rows and raw rows are carried over from the published database.

Each load records every input file's fingerprint (its path relative to SOURCE, size, SHA-256)
in `file_prints`. The next load of the same source hashes its files, and a file with the same
relative path, size and hash (read by the same reader version) is reused: its rows are copied
from the published database, attached read-only. Staging and marts are then built from the whole
raw layer as always, so the figures are those of a full load.
"""

from __future__ import annotations

import hashlib
import pathlib
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from etl import labels
from etl.readers.store import FILES_COLUMNS, run

# Raised whenever a change to the readers would read an unchanged file differently: rows read
# by another version are never reused.
READER_VERSION = 1
ALIAS = "reused"
CHUNK = 8 << 20

_PRINTS = ("create or replace table file_prints (path varchar, rel_path varchar, size bigint, "
           "sha256 varchar, reader integer, reused boolean)")


@dataclass(frozen=True)
class Fingerprint:
    rel_path: str
    size: int
    sha256: str


@dataclass
class Plan:
    """What the extraction does with each input file: read it, or copy its previous rows."""

    # str(path) -> fingerprint; or, when nothing can be reused, the hashing still under way
    hashed: dict[str, Fingerprint] | Future
    # str(path) -> the previous load's `files` rows of that file, in file_id order
    reuse: dict[str, list[tuple]] = field(default_factory=dict)
    previous: pathlib.Path | None = None

    @property
    def prints(self) -> dict[str, Fingerprint]:
        if isinstance(self.hashed, Future):
            self.hashed = self.hashed.result()
        return self.hashed

    @property
    def reused(self) -> int:
        return len(self.reuse)


def rel_path(path: pathlib.Path, source: pathlib.Path) -> str:
    """The file's path relative to SOURCE (its name when SOURCE is the file itself)."""
    try:
        rel = pathlib.Path(path).resolve().relative_to(pathlib.Path(source).resolve())
    except ValueError:
        return pathlib.Path(path).name
    return rel.as_posix() if str(rel) != "." else pathlib.Path(path).name


def sha256(path: pathlib.Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(CHUNK):
            h.update(block)  # hashlib lets go of the GIL on large blocks: threads hash in parallel
    return h.hexdigest()


def fingerprints(paths: Iterable[pathlib.Path], source: pathlib.Path,
                 workers: int = 2) -> dict[str, Fingerprint]:
    """Every file's fingerprint, hashed on `workers` threads; an unreadable file gets none (the
    reader reports it)."""

    def one(p: pathlib.Path) -> tuple[str, Fingerprint | None]:
        try:
            return str(p), Fingerprint(rel_path(p, source), p.stat().st_size, sha256(p))
        except OSError:
            return str(p), None

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return {k: v for k, v in pool.map(one, list(paths)) if v is not None}


def plan(con: duckdb.DuckDBPyConnection, paths: list[pathlib.Path], source: pathlib.Path,
         previous: pathlib.Path | None, *, full: bool = False, workers: int = 2,
         prints: dict[str, Fingerprint] | None = None) -> Plan:
    """Fingerprint the files and find those the published database already holds, unchanged.

    Attaches the published database read-only as `reused` when anything can be reused (the
    caller copies the rows, then calls `detach`). When nothing can be (a first load, `full`),
    the files are hashed on a thread while the extraction reads them: `prints` waits for it.
    `prints`: the fingerprints, when the caller has them already (not hashed again)."""
    if full or previous is None or not previous.exists():
        hashing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhtj-hash")
        try:
            return Plan(hashed=hashing.submit(fingerprints, list(paths), source, workers))
        finally:
            hashing.shutdown(wait=False)
    result = Plan(hashed=prints if prints is not None else fingerprints(paths, source, workers))
    try:
        run(con, f"attach ? as {ALIAS} (read_only)", [str(previous)])
    except duckdb.Error:
        return result  # unreadable: everything is read (the history code says why)
    ok = False
    try:
        have = {r[0] for r in run(con, "select table_name from duckdb_tables() "
                                       "where database_name = ?", [ALIAS])}
        needed = {"file_prints", "files"} | {f"raw_{k}" for k in labels.HEADERS}
        if not needed <= have or not _same_columns(con):
            return result
        earlier = {}
        for path, rel, size, digest in run(
                con, f"select path, rel_path, size, sha256 from {ALIAS}.file_prints "
                     "where reader = ?", [READER_VERSION]):
            earlier[(rel, size, digest)] = path
        rows = files_by_path(con, published=True)
        for path, fp in result.prints.items():
            old = earlier.get((fp.rel_path, fp.size, fp.sha256))
            if old is not None and old in rows:
                result.reuse[path] = rows[old]
        ok = bool(result.reuse)
        result.previous = previous if ok else None
        return result
    finally:
        if not ok:
            detach(con)


def _same_columns(con: duckdb.DuckDBPyConnection) -> bool:
    """The published raw tables have this version's columns (else nothing is reused)."""
    for kind in labels.HEADERS:
        cols = [r[0] for r in run(
            con, "select column_name from duckdb_columns() where database_name = ? "
                 "and table_name = ? order by column_index", [ALIAS, f"raw_{kind}"])]
        if cols != ["file_id", "row_no", *labels.HEADERS[kind], "extra"]:
            return False
    return True


def copy_rows(con: duckdb.DuckDBPyConnection, mapping: list[tuple[int, int]]) -> None:
    """Copy the raw rows of reused files from the published database, each under its new
    file_id (mapping: (previous file_id, new file_id))."""
    if not mapping:
        return
    con.register("_zhtj_reuse", pa.table({
        "old_id": pa.array([o for o, _ in mapping], pa.int32()),
        "new_id": pa.array([n for _, n in mapping], pa.int32())}))
    try:
        for kind in labels.HEADERS:  # fixed list: identifiers cannot be bound
            cols = ", ".join(["row_no", *labels.HEADERS[kind], "extra"])
            picked = ", ".join(f"r.{c}" for c in ["row_no", *labels.HEADERS[kind], "extra"])
            run(con, f"insert into raw_{kind} (file_id, {cols}) select m.new_id, {picked} "
                     f"from {ALIAS}.raw_{kind} r join _zhtj_reuse m on m.old_id = r.file_id")
    finally:
        con.unregister("_zhtj_reuse")


def detach(con: duckdb.DuckDBPyConnection) -> None:
    try:
        run(con, f"detach database if exists {ALIAS}")
    except duckdb.Error:
        pass


def record(con: duckdb.DuckDBPyConnection, result: Plan) -> None:
    """Write `file_prints`: every input file's fingerprint, and whether it was reused."""
    run(con, _PRINTS)
    data = sorted(result.prints.items())
    con.register("_zhtj_prints", pa.table({
        "path": pa.array([p for p, _ in data], pa.string()),
        "rel_path": pa.array([f.rel_path for _, f in data], pa.string()),
        "size": pa.array([f.size for _, f in data], pa.int64()),
        "sha256": pa.array([f.sha256 for _, f in data], pa.string()),
        "reader": pa.array([READER_VERSION] * len(data), pa.int32()),
        "reused": pa.array([p in result.reuse for p, _ in data], pa.bool_())}))
    try:
        run(con, "insert into file_prints select * from _zhtj_prints")
    finally:
        con.unregister("_zhtj_prints")


# ---- a reload of the very files of the published load -----------------------------------------
# Staging reads only the raw layer, `files`, label_codes, ric_places (built from the raw layer by
# python-stdnum) and the SQL: not the as-of time, not the settings (a test checks this).
# When every file is the one the published load read (same path, bytes and reader) and all of
# these are as the published load had them, the new load starts from an OS copy of the published
# database: the same statements on the same input give the same raw and staging rows. Only what
# depends on the as-of time and the settings (the marts) and the history are built again.

def staging_key(con: duckdb.DuckDBPyConnection, sql_texts: Iterable[str], *,
                published: bool = False) -> str:
    """A hash of everything the staging tables are computed from. published: the `files` and
    `file_prints` of the published database, attached as `reused`, are hashed (with this
    version's label codes and SQL), not the new load's."""
    import stdnum

    h = hashlib.sha256()
    for part in (f"reader {READER_VERSION}", f"duckdb {duckdb.__version__}",
                 f"stdnum {stdnum.__version__}", *sql_texts):
        h.update(part.encode("utf-8") + b"\0")
    names = ", ".join(name for name, _ in FILES_COLUMNS)
    db = f"{ALIAS}." if published else ""  # a fixed name: identifiers cannot be bound
    for row in run(con, f"select {names} from {db}files order by file_id"):
        h.update(repr(row).encode("utf-8") + b"\0")
    for row in run(con, f"select sha256 from {db}file_prints order by path"):
        h.update(row[0].encode("ascii") + b"\0")
    for row in run(con, "select key, label, code from label_codes order by all"):
        h.update(repr(row).encode("utf-8") + b"\0")
    return h.hexdigest()


def record_staging_key(con: duckdb.DuckDBPyConnection, key: str) -> None:
    run(con, "create or replace table staging_key (key varchar)")
    run(con, "insert into staging_key values (?)", [key])


def published_state(con: duckdb.DuckDBPyConnection, previous: pathlib.Path,
                    sql_texts: Iterable[str], tables: Iterable[str]
                    ) -> tuple[dict[str, Fingerprint], str] | None:
    """The published database's fingerprints (path -> fingerprint) and staging key, when a load
    can start from a copy of it: a cleanly closed file holding every table in `tables` and the
    raw layer in this version's columns, every file read by this reader version, its staging
    built by this version from its raw layer (the key, recomputed with this version's SQL and
    label codes, is the one it holds). `con` holds this version's label_codes; the database is
    attached to it as `reused`, and the caller detaches it."""
    if not previous.exists() or previous.with_name(previous.name + ".wal").exists():
        return None  # not a cleanly closed file: copied bytes might not be the database
    try:
        run(con, f"attach ? as {ALIAS} (read_only)", [str(previous)])
    except duckdb.Error:
        return None
    have = {r[0] for r in run(con, "select table_name from duckdb_tables() "
                                   "where database_name = ?", [ALIAS])}
    needed = ({"file_prints", "files", "staging_key"} | set(tables)
              | {f"raw_{k}" for k in labels.HEADERS})
    if not needed <= have or not _same_columns(con):
        return None
    earlier = {row[0]: Fingerprint(*row[1:4]) for row in run(
        con, f"select path, rel_path, size, sha256, reader from {ALIAS}.file_prints")
        if row[4] == READER_VERSION}
    if run(con, f"select count(*) from {ALIAS}.file_prints")[0][0] != len(earlier):
        return None
    read = {r[0] for r in run(con, f"select distinct path from {ALIAS}.files")}
    if read != set(earlier):
        return None
    key = staging_key(con, sql_texts, published=True)
    stored = [r[0] for r in run(con, f"select key from {ALIAS}.staging_key")]
    return (earlier, key) if stored == [key] else None


def same_load(con: duckdb.DuckDBPyConnection, previous: pathlib.Path,
              paths: list[pathlib.Path], prints: dict[str, Fingerprint],
              sql_texts: Iterable[str], tables: Iterable[str]) -> str | None:
    """The staging key, when the published database `previous` was loaded from exactly these
    files and can be started from (published_state); else None. `con` holds this version's
    label_codes (an in-memory connection will do)."""
    if len(prints) != len({str(p) for p in paths}):
        return None  # a file could not be fingerprinted
    try:
        state = published_state(con, previous, sql_texts, tables)
        return state[1] if state is not None and state[0] == prints else None
    finally:
        detach(con)


def copy_database(previous: pathlib.Path, to: pathlib.Path) -> None:
    """The published database's bytes, copied by the kernel, as the file the new load builds."""
    import shutil

    shutil.copyfile(previous, to)


def kept_plan(con: duckdb.DuckDBPyConnection, prints: dict[str, Fingerprint]) -> Plan:
    """The plan of a load started from a copy of the published database: every file reused."""
    return Plan(hashed=prints, reuse=files_by_path(con))


def files_by_path(con: duckdb.DuckDBPyConnection, *, published: bool = False
                  ) -> dict[str, list[tuple]]:
    """path -> its `files` rows, in file_id order: this load's, or (published) those of the
    published database attached as `reused`."""
    names = ", ".join(name for name, _ in FILES_COLUMNS)
    db = f"{ALIAS}." if published else ""  # a fixed name: identifiers cannot be bound
    rows: dict[str, list[tuple]] = {}
    for row in run(con, f"select {names} from {db}files order by file_id"):
        rows.setdefault(row[1], []).append(row)
    return rows
