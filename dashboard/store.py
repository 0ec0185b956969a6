"""Read-only access to the published database, picking up a newly published file by itself."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb


# The small tables every page touches, read once when a file is opened (written out in full:
# identifiers cannot be bound).
WARM_STATEMENTS = (
    "select count(*) from org_tree",
    "select count(*) from org_rollup",
    "select count(*) from org_rollup_registration",
    "select count(*) from org_rollup_dues",
    "select count(*) from current_load",
)
# Tables copied into memory when a file is opened.
MEMORY_STATEMENTS = (
    "create table fast.org_search as select * from zhtj.org_search",
    "create table fast.branch_contacts as select * from zhtj.branch_contacts",
)
# Unqualified names look in the in-memory copies first, then the file.
SET_SEARCH_PATH = "set search_path = 'fast.main,zhtj.main'"


class NoData(RuntimeError):
    """No database has been published at the configured path yet."""


@dataclass
class Generation:
    """One published file, opened once; every request takes a cursor of it."""

    identity: tuple[int, int, int]
    base: duckdb.DuckDBPyConnection
    cache: dict = field(default_factory=dict)


class DataStore:
    """Cursors on the current published database.

    The loader replaces the file atomically (os.replace). Each file is attached read-only into
    its own in-memory DuckDB instance: connecting to the path again would return DuckDB's cached
    instance of the old file while any cursor of it is alive. Requests already running keep
    their cursor on the old file (still readable after the rename); the next request gets the
    new one.
    """

    def __init__(self, path: Path, *, memory_limit: str = "2GB", threads: int = 2) -> None:
        self.path = Path(path)
        self.memory_limit = memory_limit
        self.threads = threads
        self._lock = threading.Lock()
        self._current: Generation | None = None

    def _identity(self) -> tuple[int, int, int]:
        try:
            st = os.stat(self.path)
        except FileNotFoundError as exc:
            raise NoData(str(self.path)) from exc
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def generation(self) -> Generation:
        identity = self._identity()
        current = self._current
        if current is not None and current.identity == identity:
            return current
        with self._lock:
            if self._current is None or self._current.identity != identity:
                self._current = Generation(identity, self._open())
            return self._current

    def _open(self) -> duckdb.DuckDBPyConnection:
        base = duckdb.connect(":memory:", config={"threads": self.threads,
                                                 "memory_limit": self.memory_limit})
        base.execute("attach ? as zhtj (read_only)", [str(self.path)])
        base.execute("use zhtj")
        # The search scans every organization's name on each keystroke: an uncompressed copy in
        # memory answers in ~50 ms at 700k organizations where the file's compressed strings
        # take ~200 ms. The branches' names and contacts likewise, for the lists' filters by
        # branch (a province's dues arrears filtered by branch: 135 -> 80 ms at 10M members).
        # Unqualified names look in `fast` first (SET_SEARCH_PATH), then the file.
        base.execute("attach ':memory:' as fast")
        for statement in MEMORY_STATEMENTS:
            try:
                base.execute(statement)
            except duckdb.Error:
                pass  # a database loaded before the table existed: read it from the file
        # Read the small tables every page touches once, so the first visitor does not wait.
        for statement in WARM_STATEMENTS:
            try:
                base.execute(statement).fetchone()
            except duckdb.Error:
                pass
        return base

    def warm(self) -> None:
        """Open the current file now (at start-up) rather than on the first request."""
        self.generation()

    @contextlib.contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the current file, with the loaded database as its default catalog."""
        cur = self.generation().base.cursor()
        try:
            cur.execute("use zhtj")
            cur.execute(SET_SEARCH_PATH)
            yield cur
        finally:
            cur.close()

    def cached(self, key, compute):
        """A value computed once per published file (e.g. the load's as-of time)."""
        gen = self.generation()
        if key not in gen.cache:
            with self.cursor() as cur:
                gen.cache[key] = compute(cur)
        return gen.cache[key]
