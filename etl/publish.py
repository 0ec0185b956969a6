"""Build the new database beside the old one and swap it in atomically."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def temp_path(db: Path) -> Path:
    """Where a load builds its database: beside the target, so the final rename is atomic."""
    return db.with_name(f"{db.name}.tmp-{os.getpid()}")


def remove_stale(db: Path) -> None:
    """Delete half-built databases left by loads that were killed."""
    for p in db.parent.glob(f"{db.name}.tmp-*"):
        pid = p.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and alive(int(pid)) and int(pid) != os.getpid():
            continue
        with contextlib.suppress(OSError):
            p.unlink()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_in(tmp: Path, db: Path) -> None:
    """Atomically replace db with tmp; readers holding the old file keep reading it."""
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, db)
    dir_fd = os.open(db.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
