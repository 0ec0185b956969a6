"""The load of one upload, in a process of its own (started by importer.job): unzip, the same
load as `zhtj etl` with its guards, the summary, the audit entry, and the upload removed."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path

from importer import job


class Cancelled(BaseException):
    """SIGTERM from the page's cancel button."""


def _cancel(signum, frame):
    raise Cancelled()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m importer.run")
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--upload", type=Path, required=True)
    p.add_argument("--accounts", type=Path, required=True)
    p.add_argument("--lock-fd", type=int, required=True)  # held (inherited) until this exits
    p.add_argument("--settings", type=Path)
    p.add_argument("--actor")
    p.add_argument("--actor-org")
    p.add_argument("--client")
    p.add_argument("--as-of")
    p.add_argument("--accept-shrink", action="store_true")
    args = p.parse_args(argv)
    signal.signal(signal.SIGTERM, _cancel)
    return Run(args).run()


class Run:
    def __init__(self, args) -> None:
        self.args = args
        self.started = time.perf_counter()
        manifest = json.loads((args.upload / "manifest.json").read_text(encoding="utf-8"))
        self.files = manifest["files"]
        self.status = {"state": "running", "phase": "unzip", "upload": args.upload.name,
                       "actor": args.actor, "pid": os.getpid(), "started_at": job.now(),
                       "files_read": 0, "files_total": 0, "steps_done": 0, "steps_total": 0,
                       "uploaded_files": len(self.files),
                       "uploaded_bytes": sum(f["size"] for f in self.files)}
        self._last_write = 0.0
        self.update(force=True)

    def update(self, force: bool = False, **changes) -> None:
        self.status.update(changes)
        if force or time.monotonic() - self._last_write > 0.3:
            self._last_write = time.monotonic()
            if not self.status.get("cancel_requested") and self._cancel_requested():
                self.status["cancel_requested"] = True  # the page's cancel, kept on screen
            job.write_status(self.args.db, self.status)

    def progress(self, files_read: int, files_total: int, step: str, steps_done: int,
                 steps_total: int) -> None:
        self.update(phase="read" if step == "read" else "build", files_read=files_read,
                    files_total=files_total, step=step, steps_done=steps_done,
                    steps_total=steps_total, force=step != "read")

    def run(self) -> int:
        from etl.load import LoadError
        from importer.settings import ImportSettingsError, read_import_settings
        from importer.uploads import UploadRefused

        args = self.args
        keep = False
        result = {}
        try:
            keep = read_import_settings(args.settings, args.db).keep_uploads
            result = self.load()
            state, zh, en = "done", "导入完成", "load published"
        except Cancelled:
            state = "cancelled"
            zh, en = ("导入已取消，原数据库保持不变",
                      "load cancelled; the published database is unchanged")
        except (LoadError, UploadRefused, ImportSettingsError) as exc:
            state = "failed"
            zh = en = f"导入未完成，原数据库保持不变 / load not completed, previous database kept: {exc}"
        except Exception as exc:  # noqa: BLE001 - whatever it was, the page must say so
            state = "failed"
            zh = en = (f"导入出错，原数据库保持不变 / the load failed, previous database kept: "
                       f"{type(exc).__name__}: {exc}")
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the end is written whatever happens now
        if self._cancel_requested() and state == "failed":
            state = "cancelled"  # stopped mid-way by the cancel (a reader killed first, ...)
        seconds = round(time.perf_counter() - self.started, 1)
        self.status.update(state=state, message_zh=zh, message_en=en, seconds=seconds,
                           finished_at=job.now(), **result)
        self.audit(state, seconds, zh if state == "failed" else f"{zh} / {en}")
        if not keep:
            shutil.rmtree(args.upload, ignore_errors=True)
        else:
            (args.upload / "loading").unlink(missing_ok=True)
        # The page learns the end, and the next upload may start, at the same moment: the lock
        # is let go right after the final status (not when this process has wound down).
        self.update(force=True)
        os.close(args.lock_fd)
        return 0 if state == "done" else 1

    def _cancel_requested(self) -> bool:
        return bool((job.read_status(self.args.db) or {}).get("cancel_requested"))

    def load(self) -> dict:
        from etl.load import LoadSettings, load
        from etl.summary import facts
        from importer.settings import read_import_settings
        from importer.unzip import unzip_all

        import duckdb

        args = self.args
        settings = read_import_settings(args.settings, args.db)
        files_dir = args.upload / "files"
        zips = [f["path"] for f in self.files if f["path"].lower().endswith(".zip")]
        if zips:
            count = {"n": 0}

            def member() -> None:
                count["n"] += 1
                self.update(unzipped=count["n"])
            unzip_all(files_dir, zips, max_bytes=settings.max_zip_bytes,
                      max_ratio=settings.max_zip_ratio, on_member=member)
        self.update(force=True, phase="read")
        as_of = dt.datetime.fromisoformat(args.as_of) if args.as_of else None
        outcome = load(LoadSettings(source=files_dir, db=args.db, as_of=as_of, quiet=True,
                                    settings_file=args.settings,
                                    accept_shrink=args.accept_shrink,
                                    on_progress=self.progress))
        con = duckdb.connect(str(outcome.db), read_only=True)
        try:
            summary = facts(con, files_dir)
        finally:
            con.close()
        return {"load_id": outcome.load_id, "summary": summary, "files_total": outcome.files,
                "warnings": outcome.warnings}

    def audit(self, state: str, seconds: float, message: str) -> None:
        import accounts
        from accounts.audit import AuditLog

        s = self.status
        AuditLog(accounts.audit_path(self.args.accounts)).record(
            "import", actor=self.args.actor, actor_org_id=self.args.actor_org,
            client=self.args.client, result=state, upload=self.args.upload.name,
            files=s.get("uploaded_files"), bytes=s.get("uploaded_bytes"),
            load_id=s.get("load_id"), rows=(s.get("summary") or {}).get("rows"),
            skipped=len((s.get("summary") or {}).get("skipped", [])), seconds=seconds,
            message=None if state == "done" else message)


if __name__ == "__main__":
    sys.exit(main())
