"""Extraction: export files in, `files` and `raw_<kind>` tables out, nothing interpreted."""

from __future__ import annotations

import multiprocessing
import os
import pathlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import astuple, dataclass
from functools import partial

import duckdb

from etl import labels
from etl.dataset import is_marker
from etl.readers import bulkscan, reasons
from etl.readers.bulkload import load_planned
from etl.readers.csvfile import BULK_BYTES
from etl.readers.files import read_path
from etl.readers.parts import BulkPlan, Part
from etl.readers.store import Batches, create_tables, insert_files, run
from etl.readers.worker import read_many, watch_parent
from etl.reuse import copy_rows

# Below this many files a worker pool costs more to start than it saves.
POOL_MIN_FILES = 16
# A bulk CSV up to this size met while the workers are still reading other files is loaded at
# once on a thread of its own, beside the rest (the per-branch layout's monthly dues).
BESIDE_BULK_BYTES = 16 << 20
# Files from this size are handed to the workers first (see _Reads).
LARGE_FIRST_BYTES = 256 << 10
IGNORED_NAMES = ("thumbs.db", "desktop.ini")


@dataclass
class FileResult:
    """One `files` row: a file, or one recognised sheet of a workbook."""

    file_id: int
    path: str
    sheet: str | None
    kind: str | None
    encoding: str | None
    header_row: int | None
    title: str | None
    rows_read: int
    bytes: int
    status: str
    reason_zh: str | None
    reason_en: str | None


def source_files(source: pathlib.Path) -> list[pathlib.Path]:
    """The file itself, or every file under the folder, sorted; no hidden files or ~$ locks, and
    not the demo marker."""
    source = pathlib.Path(source)
    if source.is_file():
        return [source]
    found = []
    for p in source.rglob("*"):
        rel = p.relative_to(source).parts
        if any(part.startswith(".") for part in rel) or p.name.startswith("~$"):
            continue
        if p.name.lower() in IGNORED_NAMES or is_marker(p) or not p.is_file():
            continue  # the demo marker is no export: etl/dataset.py reads it
        found.append(p)
    return sorted(found, key=str)


def extract(paths: list[pathlib.Path], con: duckdb.DuckDBPyConnection, *, workers: int = 2,
            on_file: Callable[[FileResult], None] | None = None,
            bulk_bytes: int = BULK_BYTES,
            reuse: dict[str, list[tuple]] | None = None) -> list[FileResult]:
    """Read every file into `files` and `raw_<kind>`; files that cannot be used are skipped.

    `on_file` is called once per input file, with its first `files` row, as it is done.
    `reuse` maps a path to the published load's `files` rows of that file, unchanged since
    (etl/reuse.py): it is not read, its rows are copied from the database attached as
    `reused`, under file_ids given in path order exactly as a full read would give them.
    """
    ordered = sorted({pathlib.Path(p) for p in paths}, key=str)
    reuse = reuse or {}
    create_tables(con)
    results: list[FileResult] = []
    bulk: list[tuple[FileResult, Part]] = []
    batches = Batches(con)
    to_read = [p for p in ordered if str(p) not in reuse]
    carried: list[tuple[int, int]] = []  # (previous file_id, new file_id)
    use_pool = workers > 1 and len(to_read) >= POOL_MIN_FILES
    pool = _pool(workers) if use_pool else None
    # UTF-8 copies of large GBK files are made here, and removed one by one once loaded.
    tmpdir = tempfile.mkdtemp(prefix="zhtj-extract-")
    beside = None
    try:
        reads = _Reads(pool, to_read, bulk_bytes)
        pending = len(to_read)
        for path in ordered:
            if str(path) in reuse:
                first_index = len(results)
                for row in reuse[str(path)]:
                    result = FileResult(len(results) + 1, str(path), *row[2:])
                    results.append(result)
                    carried.append((row[0], result.file_id))
                if on_file:
                    on_file(results[first_index])
                continue
            if pool is not None:
                # large files read ahead of their turn start loading now, under a stand-in id
                for index, early in reads.early():
                    if _beside_bulk(early):
                        beside = beside or _Beside(con, tmpdir)
                        beside.start(index, early[0])
            index, parts = reads.next()
            pending -= 1
            first, deferred = None, False
            for part in parts:
                result = _result(len(results) + 1, part)
                results.append(result)
                first = first or result
                if part.rows is not None:
                    batches.add(result.file_id, part.rows)
                elif beside is not None and beside.started(index):
                    beside.claim(index, result)
                    deferred = True
                elif part.bulk is not None and pending and _beside_bulk(parts):
                    beside = beside or _Beside(con, tmpdir)
                    beside.load(result, part)
                    deferred = True
                elif part.bulk is not None:
                    bulk.append((result, part))
                    deferred = True  # reported once loaded
            if on_file and not deferred:
                on_file(first)
            if beside is not None:
                beside.report(on_file)
        batches.flush()
        copy_rows(con, carried)
        if beside is not None:
            beside.finish(on_file)
        if bulk:
            _load_bulk(con, pool, workers, bulk, tmpdir, on_file)
    finally:
        if beside is not None:
            beside.close()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        shutil.rmtree(tmpdir, ignore_errors=True)
    insert_files(con, [astuple(r) for r in results])
    return results


def _pool(workers: int) -> Executor:
    # Spawned, not forked: the parent holds DuckDB's threads, which a fork would copy mid-flight.
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=watch_parent, initargs=(os.getpid(),))


class _Reads:
    """Each path's parts, in path order (`next`). With a pool, the workers take the large files
    first: read last, a few large workbooks would leave one worker busy while everything else
    waits for them. `early` hands out large files read before their turn."""

    def __init__(self, pool: Executor | None, paths: list[pathlib.Path], bulk_bytes: int) -> None:
        read = partial(read_path, bulk_bytes=bulk_bytes)
        self.names = [str(p) for p in paths]
        self.done = 0
        self._early: list[int] = []
        if pool is None:
            self._serial: Iterator[list[Part]] | None = map(read, self.names)
            return
        self._serial = None
        sizes = [_size(n) for n in self.names]
        large = sorted((i for i, size in enumerate(sizes) if size >= LARGE_FIRST_BYTES),
                       key=lambda i: -sizes[i])
        small = [i for i, size in enumerate(sizes) if size < LARGE_FIRST_BYTES]
        chunk = max(1, min(32, len(small) // 64))
        # The small ones go in chunks, as pool.map sends them (a message per file costs more),
        # and the large ones between them, so that results in path order start coming at once.
        batches = [small[i:i + chunk] for i in range(0, len(small), chunk)]
        self._entries: list[object] = [None] * len(self.names)
        for k in range(max(len(batches), len(large))):
            if k < len(batches):
                job = pool.submit(read_many, read, [self.names[i] for i in batches[k]])
                for j, i in enumerate(batches[k]):
                    self._entries[i] = (job, j)
            if k < len(large):
                self._entries[large[k]] = pool.submit(read, self.names[large[k]])
        self._early = sorted(large)

    def next(self) -> tuple[int, list[Part]]:
        index = self.done
        self.done += 1
        if self._serial is not None:
            return index, next(self._serial)
        entry = self._entries[index]
        if isinstance(entry, tuple):
            job, j = entry
            return index, job.result()[j]
        return index, entry.result()

    def early(self) -> list[tuple[int, list[Part]]]:
        """Large files read already whose turn has not come (each handed out once)."""
        ready = [i for i in self._early if i > self.done and self._entries[i].done()]
        self._early = [i for i in self._early if i > self.done and i not in ready]
        return [(i, self._entries[i].result()) for i in ready]


def _beside_bulk(parts: list[Part]) -> bool:
    """A CSV small enough to be loaded on the side (see BESIDE_BULK_BYTES)."""
    return len(parts) == 1 and parts[0].bulk is not None and parts[0].bytes <= BESIDE_BULK_BYTES


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _result(file_id: int, part: Part) -> FileResult:
    zh, en = part.reason or (None, None)
    count = len(part.rows) if part.rows is not None else 0
    return FileResult(file_id, part.path, part.sheet, part.kind, part.encoding, part.header_row,
                      part.title, count, part.bytes, "skipped" if part.reason else "read", zh, en)


def _load_bulk(con, pool: Executor | None, workers: int, bulk: list[tuple[FileResult, Part]],
               tmpdir: str, on_file) -> None:
    """Large CSVs: scanned (and transcoded) in the pool a few ahead, loaded by DuckDB in order."""
    if pool is None:
        prepared = (bulkscan.prepare(part.bulk, tmpdir) for _, part in bulk)
    else:
        prepared = _ahead(pool, workers, [part.bulk for _, part in bulk], tmpdir)
    for (result, part), plan in zip(bulk, prepared, strict=False):
        _load_one(con, result, part, plan, on_file)


def _load_one(con, result: FileResult, part: Part, plan: BulkPlan | reasons.Reason,
              on_file) -> None:
    """Load one prepared bulk CSV into its raw table (or record why it cannot be)."""
    try:
        if not isinstance(plan, BulkPlan):
            _skip(result, plan)
        elif (count := load_planned(con, part.kind, plan, result.file_id)) == 0:
            _skip(result, reasons.NO_DATA)
        else:
            result.rows_read = count
    except Exception as exc:  # noqa: BLE001 - a file that breaks both readers is reported
        _skip(result, reasons.unreadable(f"{type(exc).__name__}: {exc}"))
    finally:
        if isinstance(plan, BulkPlan):
            bulkscan.discard(plan)
    if on_file:
        on_file(result)


class _Beside:
    """Bulk CSVs loaded on a thread of their own, through a second connection to the same
    database, while the load's thread goes on with the files after them (DuckDB appends to a
    table from two connections at once). Files are reported from the load's thread."""

    def __init__(self, con: duckdb.DuckDBPyConnection, tmpdir: str) -> None:
        self.cursor = con.cursor()
        self.tmpdir = tmpdir
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhtj-bulk")
        self.loading: list[tuple[FileResult, Future]] = []
        self.early: dict[int, FileResult] = {}  # index -> its stand-in row, loading ahead

    def load(self, result: FileResult, part: Part) -> None:
        self.loading.append((result, self.thread.submit(self._one, result, part)))

    def start(self, index: int, part: Part) -> None:
        """Load the `index`-th file before its turn, under the stand-in file_id -1 - index."""
        stand_in = _result(-1 - index, part)
        self.early[index] = stand_in
        self.thread.submit(self._one, stand_in, part)

    def started(self, index: int) -> bool:
        return index in self.early

    def claim(self, index: int, result: FileResult) -> None:
        """Its turn: the file's rows take their file_id (after the load: one thread does both)."""
        self.loading.append((result, self.thread.submit(self._renumber, self.early.pop(index),
                                                        result)))

    def _one(self, result: FileResult, part: Part) -> None:
        _load_one(self.cursor, result, part, bulkscan.prepare(part.bulk, self.tmpdir), None)

    def _renumber(self, stand_in: FileResult, result: FileResult) -> None:
        result.status, result.rows_read = stand_in.status, stand_in.rows_read
        result.reason_zh, result.reason_en = stand_in.reason_zh, stand_in.reason_en
        if result.rows_read and result.kind in labels.HEADERS:
            # the kind is one of the fixed raw tables' (identifiers cannot be bound)
            run(self.cursor, f"update raw_{result.kind} set file_id = ? where file_id = ?",
                [result.file_id, stand_in.file_id])

    def report(self, on_file, wait: bool = False) -> None:
        """Report the files loaded so far, in order (all of them when `wait`)."""
        while self.loading and (wait or self.loading[0][1].done()):
            result, future = self.loading.pop(0)
            future.result()
            if on_file:
                on_file(result)

    def finish(self, on_file) -> None:
        self.report(on_file, wait=True)

    def close(self) -> None:
        self.thread.shutdown(wait=True, cancel_futures=True)
        self.cursor.close()


def _ahead(pool: Executor, window: int, plans: list[BulkPlan], tmpdir: str) -> Iterator:
    # At most one file per worker waits on disk as a UTF-8 copy.
    futures = [pool.submit(bulkscan.prepare, p, tmpdir) for p in plans[:window]]
    for i in range(len(plans)):
        if i + window < len(plans):
            futures.append(pool.submit(bulkscan.prepare, plans[i + window], tmpdir))
        yield futures[i].result()


def _skip(result: FileResult, reason: reasons.Reason) -> None:
    result.status, result.rows_read = "skipped", 0
    result.reason_zh, result.reason_en = reason
