"""One load of a database at a time, whoever starts it: `zhtj etl`, the nightly timer or a load
from the browser (/import) take the same lock file beside the database (an advisory `flock`,
released by the system when the process holding it ends, even killed)."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


class Busy(RuntimeError):
    """A load of this database is already running."""


def lock_path(db: Path) -> Path:
    return Path(db).with_name(Path(db).name + ".import.lock")


def acquire(db: Path) -> int:
    """The database's load lock, taken: an open descriptor holding it (closing it, or the end of
    every process that inherited it, releases the lock). Busy at once when another load holds
    it."""
    path = lock_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise Busy(str(db)) from None
    return fd


def running(db: Path) -> bool:
    """Whether a load (from the command line or the browser) holds the lock now."""
    path = lock_path(db)
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases a lock this check took
    return False


@contextlib.contextmanager
def held(db: Path) -> Iterator[None]:
    """Hold the database's load lock for the block; Busy at once when another load holds it."""
    fd = acquire(db)
    try:
        yield
    finally:
        os.close(fd)  # closing releases the lock
