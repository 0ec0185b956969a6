"""The background load: one at a time (a lock file beside the database, held by the load's own
process, so it holds whatever the web server's process model), its status in a small JSON file
beside the database that the page polls, and its cancellation."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

# the lock `zhtj etl` takes too
from etl.load_lock import Busy, acquire, lock_path, running  # noqa: F401

CANCEL_GRACE_SECONDS = 20  # then the load's processes are killed (the published file is intact)


def status_path(db: Path) -> Path:
    return Path(db).with_name(Path(db).name + ".import.json")


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def write_status(db: Path, status: dict) -> None:
    """Replace the status file at once (the page never reads half of it)."""
    path = status_path(db)
    tmp = path.with_name(path.name + f".{os.getpid()}.{threading.get_ident()}")
    tmp.write_text(json.dumps(status, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


def read_status(db: Path) -> dict | None:
    """The latest load's status; a load that says it runs but holds no lock has died."""
    try:
        status = json.loads(status_path(db).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if status.get("state") == "running" and not running(db):
        status = {**status, "state": "cancelled" if status.get("cancel_requested") else "failed",
                  "message_zh": "导入进程意外终止，原数据库保持不变",
                  "message_en": "the load stopped unexpectedly; the published database is "
                                "unchanged"}
    return status


def start(db: Path, upload_root: Path, *, settings_file: Path | None, accounts: Path,
          actor: str | None, actor_org_id: str | None, client: str | None,
          accept_shrink: bool = False, as_of: str | None = None) -> int:
    """Start the load of an upload in a process of its own (`python -m importer.run`); its pid.
    Busy when a load is running."""
    fd = acquire(db)
    try:
        (upload_root / "loading").touch()
        write_status(db, {"state": "running", "phase": "starting", "upload": upload_root.name,
                          "actor": actor, "started_at": now(), "files_read": 0,
                          "files_total": 0, "steps_done": 0, "steps_total": 0})
        args = [sys.executable, "-m", "importer.run", "--db", str(db), "--upload",
                str(upload_root), "--accounts", str(accounts), "--lock-fd", str(fd)]
        for flag, value in (("--settings", settings_file), ("--actor", actor),
                            ("--actor-org", actor_org_id), ("--client", client),
                            ("--as-of", as_of)):
            if value:
                args += [flag, str(value)]
        if accept_shrink:
            args.append("--accept-shrink")
        with open(upload_root / "load.log", "ab") as log:
            # The child inherits the locked descriptor: the lock lasts as long as the load.
            proc = subprocess.Popen(args, pass_fds=(fd,), start_new_session=True,
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    finally:
        os.close(fd)
    threading.Thread(target=proc.wait, name="zhtj-import-reap", daemon=True).start()
    return proc.pid


def cancel(db: Path) -> bool:
    """Stop the running load (its process group, so its readers too); False when none runs.
    The load discards its half-built file; the published database stays as it was."""
    status = read_status(db) or {}
    pid = status.get("pid")
    if not running(db) or not isinstance(pid, int):
        return False
    write_status(db, {**status, "cancel_requested": True})
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGTERM)

    def finish() -> None:
        deadline = time.monotonic() + CANCEL_GRACE_SECONDS
        while running(db) and time.monotonic() < deadline:
            time.sleep(0.2)
        if running(db):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
    threading.Thread(target=finish, name="zhtj-import-cancel", daemon=True).start()
    return True
