"""SQLite connections for the account files: one short-lived connection per operation, so that
the server's threads never share one."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("pragma busy_timeout = 10000")
        yield conn
    finally:
        conn.close()


def create(path: Path, schema: str) -> None:
    """Create the file (owner-only) and its tables when missing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.touch(mode=0o600)
    with connect(path) as conn:
        conn.execute("pragma journal_mode = wal")
        conn.executescript(schema)
