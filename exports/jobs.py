"""Pack builds in the background of the server: a small pool of threads, each job's progress
polled by the page (dcc.Interval), its files kept in memory for a while to be downloaded."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

KEEP_SECONDS = 3600  # a finished job's files stay downloadable for an hour
KEEP_JOBS = 20


@dataclass
class Job:
    id: str
    label: str  # what is built (the organization's name)
    lang: str
    owner: str | None = None  # the user who asked (when accounts exist)
    state: str = "queued"  # queued | running | done | failed
    fraction: float = 0.0
    message: str = ""
    files: dict = field(default_factory=dict)  # fmt -> (file name, bytes)
    note: str | None = None  # e.g. why the PDF and slides are missing (no chromium)
    error: str | None = None  # the reason, in a line; None: see the server log
    delivered: bool = False  # the files have been handed to the page once
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None

    @property
    def seconds(self) -> float:
        return (self.finished or time.time()) - (self.started or self.created)


class Jobs:
    def __init__(self, workers: int = 1) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="zhtj-pack")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def submit(self, work: Callable, *, label: str, lang: str, owner: str | None = None) -> Job:
        """Run work(job) in the background: it reports through job.fraction and job.message and
        returns (files, note)."""
        job = Job(secrets.token_urlsafe(16), label, lang, owner)
        with self._lock:
            self._prune()
            self._jobs[job.id] = job
        self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Callable) -> None:
        job.state, job.started = "running", time.time()
        try:
            job.files, job.note = work(job)
            job.state = "done"
        except Exception as exc:  # noqa: BLE001 - shown to the user, and logged in full
            import logging

            logging.getLogger("zhtj.exports").exception("pack build failed")
            # The reason in a line, never a stack trace; an exception with no message (a bare
            # KeyError...) says the reason is in the server log rather than show a class name.
            job.error, job.state = str(exc) or None, "failed"
        finally:
            job.finished = time.time()
            job.fraction = 1.0 if job.state == "done" else job.fraction

    def get(self, job_id: str | None) -> Job | None:
        if not job_id:
            return None
        return self._jobs.get(job_id)

    def _prune(self) -> None:
        now = time.time()
        for key, job in list(self._jobs.items()):
            if job.finished and now - job.finished > KEEP_SECONDS:
                del self._jobs[key]
        finished = sorted((j for j in self._jobs.values() if j.finished),
                          key=lambda j: j.finished)
        while len(self._jobs) > KEEP_JOBS and finished:
            del self._jobs[finished.pop(0).id]
