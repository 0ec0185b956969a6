"""The outbox: every message written (with its stable id) before anything is sent, its delivery
state and the answer of every attempt, in an owner-only SQLite file (notify.sqlite).

A message's life: pending -> sending (claimed by a run) -> sent | pending again (next attempt at a
later time) | failed. A run holds an exclusive lock on <file>.lock for its whole length, so any
row still `sending` when a run starts was left by a run that died (the kernel releases the lock
of a killed process): `recover` settles it. The steps of a message (its requests) are fixed at
its first attempt, and `steps_done` counts those the server accepted, so a resumed delivery sends
only the rest. `step_started_at` is set while a request is in flight: found set after a crash, the
server may or may not have accepted that request (see notify.deliver for the choice made).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from accounts import db
from notify.message import Message

SCHEMA = """
create table if not exists messages (
    seq integer primary key,                    -- the order of enqueueing, the order of sending
    message_id text not null unique,            -- given by the caller: a message is taken once
    channel text not null,
    payload text not null,                      -- the Message as JSON (no secrets)
    created_at text not null,
    status text not null default 'pending'
        check (status in ('pending', 'sending', 'sent', 'failed')),
    attempts integer not null default 0,
    next_attempt_at text not null,
    plan text,                                  -- its requests as JSON, fixed at the 1st attempt
    steps_done integer not null default 0,      -- requests the server accepted
    claimed_at text,                            -- start of the attempt in progress
    step_started_at text,                       -- a request is in flight (null between requests)
    last_attempt_at text,
    last_answer text,                           -- the server's last answer, secrets stripped
    sent_at text
);
create index if not exists messages_due on messages (status, next_attempt_at);
create table if not exists attempts (
    message_id text not null,
    attempt integer not null,
    started_at text not null,
    finished_at text not null,
    outcome text not null check (outcome in ('sent', 'retry', 'failed', 'interrupted')),
    steps_done integer not null,
    answer text
);
create index if not exists attempts_message on attempts (message_id);
"""
STATUSES = ("pending", "sending", "sent", "failed")


class OutboxBusy(RuntimeError):
    """Another run is delivering from this outbox."""


def stamp(moment: datetime) -> str:
    """Times as UTC ISO text of one fixed width, so that text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class MessageState:
    """One message as the status listing shows it."""

    message_id: str
    channel: str
    title: str
    status: str
    attempts: int
    steps_done: int
    steps_total: int | None
    created_at: str
    next_attempt_at: str | None
    last_attempt_at: str | None
    sent_at: str | None
    last_answer: str | None
    uncertain: bool  # a request was in flight when a run died: it may have been delivered


@dataclass(frozen=True)
class Due:
    message: Message
    attempts: int
    plan: list[dict] | None
    steps_done: int


class Outbox:
    def __init__(self, path: Path):
        self.path = Path(path)
        db.create(self.path, SCHEMA)
        self._run_conn = None

    def _connect(self):
        """The run's connection while a run holds the outbox (closing one costs a checkpoint),
        else a short-lived one, as the accounts files do."""
        if self._run_conn is not None:
            return contextlib.nullcontext(self._run_conn)
        return db.connect(self.path)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the outbox for one run; OutboxBusy when another run holds it."""
        fd = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OutboxBusy("另一次发送正在进行 / another delivery run is in progress") from None
            with db.connect(self.path) as conn:
                self._run_conn = conn
                try:
                    yield
                finally:
                    self._run_conn = None
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    def enqueue(self, message: Message, now: datetime | None = None) -> bool:
        """Write the message, due at once; False (and nothing changes) when its id is already in
        the outbox, whatever its state."""
        at = stamp(now or utcnow())
        with self._connect() as conn:
            cur = conn.execute(
                "insert into messages (message_id, channel, payload, created_at, next_attempt_at)"
                " values (?, ?, ?, ?, ?) on conflict (message_id) do nothing",
                (message.message_id, message.channel, message.to_json(), at, at))
            return cur.rowcount == 1

    def due(self, now: datetime) -> list[Due]:
        """Pending messages whose next attempt is due, in the order they were enqueued. A channel
        keeps its order: behind a message of its own still waiting for its next attempt, its
        later messages wait too (the parts of one digest arrive in order)."""
        with self._connect() as conn:
            rows = conn.execute(
                "select channel, payload, attempts, plan, steps_done, next_attempt_at <= ? as due"
                " from messages where status = 'pending' order by seq", (stamp(now),)).fetchall()
        waiting: set[str] = set()
        out = []
        for r in rows:
            if not r["due"] or r["channel"] in waiting:
                waiting.add(r["channel"])
                continue
            out.append(Due(Message.from_json(r["payload"]), r["attempts"],
                           json.loads(r["plan"]) if r["plan"] else None, r["steps_done"]))
        return out

    def claim(self, message_id: str, now: datetime, plan: list[dict] | None) -> int:
        """Start an attempt (the plan is kept at the first); returns the attempt's number."""
        steps = None if plan is None else json.dumps(plan, ensure_ascii=False)
        with self._connect() as conn:
            cur = conn.execute(
                "update messages set status = 'sending', attempts = attempts + 1, claimed_at = ?,"
                " last_attempt_at = ?, plan = coalesce(plan, ?) where message_id = ? and status ="
                " 'pending' returning attempts", (stamp(now), stamp(now), steps, message_id))
            row = cur.fetchone()
        if row is None:
            raise RuntimeError(f"message {message_id} is not pending")
        return row[0]

    def step_started(self, message_id: str, now: datetime) -> None:
        self._set(message_id, "step_started_at = ?", stamp(now))

    def step_done(self, message_id: str) -> None:
        """The server accepted the request in flight: one transaction, so a crash leaves either
        the request in flight or it counted, never both or neither."""
        self._set(message_id, "steps_done = steps_done + 1, step_started_at = null")

    def _set(self, message_id: str, assignments: str, *values) -> None:
        with self._connect() as conn:
            conn.execute(f"update messages set {assignments} where message_id = ?",
                         (*values, message_id))

    def finish(self, message_id: str, now: datetime, outcome: str, answer: str,
               next_attempt: datetime | None = None, *, keep_uncertain: bool = False) -> None:
        """Close the attempt in progress: sent, retry (pending again at `next_attempt`) or
        failed; its answer is logged with it."""
        status = {"sent": "sent", "retry": "pending", "failed": "failed",
                  "interrupted": "pending"}[outcome]
        with self._connect() as conn:
            conn.execute("begin immediate")
            row = conn.execute("select attempts, claimed_at, steps_done from messages where "
                               "message_id = ?", (message_id,)).fetchone()
            conn.execute(
                "update messages set status = ?, last_answer = ?, claimed_at = null,"
                " next_attempt_at = coalesce(?, next_attempt_at), sent_at = ?,"
                " step_started_at = case when ? then step_started_at end where message_id = ?",
                (status, answer, stamp(next_attempt) if next_attempt else None,
                 stamp(now) if outcome == "sent" else None, keep_uncertain, message_id))
            conn.execute("insert into attempts values (?, ?, ?, ?, ?, ?, ?)",
                         (message_id, row["attempts"], row["claimed_at"] or stamp(now),
                          stamp(now), outcome, row["steps_done"], answer))
            conn.execute("commit")

    def interrupted(self) -> list[dict]:
        """Messages a dead run left `sending`, with whether a request was in flight."""
        with self._connect() as conn:
            rows = conn.execute("select message_id, plan, steps_done, step_started_at from "
                                "messages where status = 'sending' order by seq").fetchall()
        return [{"message_id": r["message_id"], "steps_done": r["steps_done"],
                 "steps_total": len(json.loads(r["plan"])) if r["plan"] else None,
                 "in_flight": r["step_started_at"] is not None} for r in rows]

    def counts(self) -> dict[str, int]:
        with self._connect() as conn:
            found = dict(conn.execute("select status, count(*) from messages group by status"))
        return {s: found.get(s, 0) for s in STATUSES}

    def messages(self, status: str | None = None, limit: int = 100) -> list[MessageState]:
        """The latest messages (all, or of one status), newest first, for /admin and the CLI."""
        where, args = ("where status = ?", (status,)) if status else ("", ())
        with self._connect() as conn:
            rows = conn.execute(f"select * from messages {where} order by seq desc limit ?",
                                (*args, limit)).fetchall()
        return [MessageState(
            message_id=r["message_id"], channel=r["channel"],
            title=json.loads(r["payload"])["title"], status=r["status"], attempts=r["attempts"],
            steps_done=r["steps_done"],
            steps_total=len(json.loads(r["plan"])) if r["plan"] else None,
            created_at=r["created_at"],
            next_attempt_at=r["next_attempt_at"] if r["status"] == "pending" else None,
            last_attempt_at=r["last_attempt_at"], sent_at=r["sent_at"],
            last_answer=r["last_answer"], uncertain=r["step_started_at"] is not None)
            for r in rows]

    def attempts(self, message_id: str) -> list[dict]:
        """Every attempt of one message, oldest first (the delivery log)."""
        with self._connect() as conn:
            return [dict(r) for r in conn.execute(
                "select * from attempts where message_id = ? order by rowid", (message_id,))]

    def retry(self, message_ids: list[str] | None = None, now: datetime | None = None, *,
              skip_uncertain: bool = False) -> int:
        """Failed messages (all, or those named) pending again, due at once, with a fresh count of
        attempts; returns how many. A request left uncertain by a crash is sent again, unless
        `skip_uncertain` (someone saw it arrive): then the delivery goes on after it."""
        ids = "" if message_ids is None else \
            f"and message_id in ({', '.join('?' * len(message_ids))})"
        with self._connect() as conn:
            cur = conn.execute(
                "update messages set status = 'pending', attempts = 0, next_attempt_at = ?,"
                " steps_done = steps_done + (case when ? and step_started_at is not null"
                " then 1 else 0 end), step_started_at = null"
                f" where status = 'failed' {ids}",
                (stamp(now or utcnow()), skip_uncertain, *(message_ids or ())))
            return cur.rowcount
