"""A send run: the due messages of the outbox, in order, each marked sent only once its server
accepted it; failures retried later with backoff, and failed for good after `max_attempts`.

Crash policy. A run may be killed anywhere. The outbox records each request's start and its
acceptance, so the next run knows exactly where the dead one stopped:
- between requests (or before the first, or after the last was accepted): it resumes with the
  first request not accepted; nothing is sent twice and nothing is lost;
- during a request (sent, no answer recorded): the server may or may not have accepted it. By
  default (uncertain="resend") that one request is sent again: a digest is worth more than the
  rare duplicate of one part, and the window is one HTTP request. The e-mail's Message-ID and the
  webhook's Idempotency-Key are derived from the message id, so those receivers can drop it.
  With uncertain="hold" the message is failed instead, marked uncertain, with an answer saying
  so: someone checks the group, then `Outbox.retry` sends that request again or, with
  skip_uncertain=True, goes on after it.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from notify import channels as kinds
from notify.channels import ChannelConfig
from notify.credentials import Secrets
from notify.errors import ConfigError, SendError
from notify.outbox import Outbox, OutboxBusy, utcnow
from notify.ratelimit import RateLimiter
from notify.step import SendContext, Step

log = logging.getLogger("notify")

BACKOFF = tuple(timedelta(minutes=m) for m in (1, 5, 30, 120, 360, 720, 1440))
RATE_LIMIT_PAUSE = timedelta(minutes=1)
UNCERTAIN = ("resend", "hold")
_LIMITER = RateLimiter()  # one per process: successive runs in one process share the windows


@dataclass
class DeliveryReport:
    """What one run did, by message id. `exit_code` is 1 when any message failed or is waiting
    for another attempt."""

    sent: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)  # their channel failed earlier in the run
    recovered: list[str] = field(default_factory=list)  # left `sending` by a run that died
    busy: bool = False  # another run held the outbox: this one sent nothing

    @property
    def ok(self) -> bool:
        return not (self.retrying or self.failed)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1


def _recover(outbox: Outbox, now: datetime, uncertain: str, report: DeliveryReport) -> None:
    for row in outbox.interrupted():
        mid, done, total = row["message_id"], row["steps_done"], row["steps_total"]
        report.recovered.append(mid)
        if not row["in_flight"] and total is not None and done >= total:
            outbox.finish(mid, now, "sent", "every request was accepted before the run stopped")
            report.sent.append(mid)
        elif row["in_flight"] and uncertain == "hold":
            outbox.finish(mid, now, "failed", (
                f"发送第 {done + 1} 个请求时中断，服务器可能已收到：请核对后重试 / interrupted "
                f"during request {done + 1} of {total}: the server may have accepted it; check, "
                "then retry"), keep_uncertain=True)
            report.failed.append(mid)
        else:
            how = "during" if row["in_flight"] else "after"
            outbox.finish(mid, now, "interrupted", f"run stopped {how} request {done + 1} of "
                          f"{total}; resuming with request {done + 1}", next_attempt=now)


def deliver(outbox: Outbox, channels: Mapping[str, ChannelConfig], secrets: Secrets, *,
            now: datetime | None = None, max_attempts: int = 8,
            backoff: Sequence[timedelta] = BACKOFF, uncertain: str = "resend",
            limiter: RateLimiter | None = None,
            clock: Callable[[], float] = time.monotonic,
            wall_clock: Callable[[], float] = time.time) -> DeliveryReport:
    """Send every due message of the outbox once; see the module's docstring for crashes.

    now: the run's start (due messages are those due by then); times recorded later in the run
    add the `clock`'s elapsed seconds to it. limiter: spaces robot messages (the process's own by
    default; tests give one with a fake clock and sleep). wall_clock: for DingTalk's signature.
    """
    if uncertain not in UNCERTAIN:
        raise ValueError(f"uncertain must be one of {UNCERTAIN}")
    start, t0 = now or utcnow(), clock()

    def at() -> datetime:
        return start + timedelta(seconds=clock() - t0)

    report = DeliveryReport()
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(outbox.lock())
        except OutboxBusy:
            report.busy = True
            return report
        _recover(outbox, at(), uncertain, report)
        blocked: set[str] = set()
        for due in outbox.due(at()):
            message = due.message
            if message.channel in blocked:
                report.deferred.append(message.message_id)
                continue
            outcome, channel_down = _deliver_one(
                outbox, due, channels.get(message.channel), secrets, limiter or _LIMITER,
                wall_clock, at, max_attempts, backoff)
            getattr(report, outcome).append(message.message_id)
            if channel_down:
                # Keep the channel's order and spare a server that is down: its later messages
                # wait for the next run.
                blocked.add(message.channel)
    return report


def _failure(exc: Exception, secrets: Secrets) -> tuple[str, bool, bool]:
    """(answer without secrets, worth retrying, rate limited) for what a send raised."""
    if isinstance(exc, SendError):
        return secrets.redact(exc.answer), exc.retry, exc.rate_limited
    if isinstance(exc, ConfigError):  # fixed by an admin, then `retry`: no use trying again alone
        return secrets.redact(str(exc)), False, False
    return secrets.redact(f"{type(exc).__name__}: {exc}"), True, False


def _deliver_one(outbox, due, config, secrets, limiter, wall_clock, at, max_attempts,
                 backoff) -> tuple[str, bool]:
    """One message, from its first request not yet accepted. Returns the report's list for it and
    whether its channel looks down (a failure worth retrying)."""
    message = due.message
    mid = message.message_id
    try:
        if config is None:
            raise ConfigError(f"没有名为 {message.channel} 的渠道 / no channel named "
                              f"{message.channel}")
        plan = due.plan or [s.to_dict() for s in kinds.plan(message, config)]
    except Exception as exc:  # a message that cannot even be planned fails visibly, alone
        text = _failure(exc, secrets)[0]
        outbox.claim(mid, at(), None)
        outbox.finish(mid, at(), "failed", text)
        log.error("notify: message %s via %s failed: %s", mid, message.channel, text)
        return "failed", False
    attempt = outbox.claim(mid, at(), plan)
    steps = [Step.from_dict(s) for s in plan]
    ctx = SendContext(secrets.for_channel(message.channel), limiter, wall_clock, config.timeout)
    done = due.steps_done
    answer = ""
    try:
        for step in steps[done:]:
            outbox.step_started(mid, at())
            answer = kinds.send(step, message, config, ctx)
            outbox.step_done(mid)
            done += 1
    except Exception as exc:
        text, retry, rate_limited = _failure(exc, secrets)
        if len(steps) > 1:
            text = f"request {done + 1} of {len(steps)}: {text}"
        if retry and attempt < max_attempts:
            delay = backoff[min(attempt, len(backoff)) - 1]
            if rate_limited:
                delay = max(delay, RATE_LIMIT_PAUSE)
            outbox.finish(mid, at(), "retry", text, next_attempt=at() + delay)
            log.warning("notify: message %s via %s not accepted (attempt %d of %d, next in %s): "
                        "%s", mid, message.channel, attempt, max_attempts, delay, text)
            return "retrying", True
        outbox.finish(mid, at(), "failed", text)
        log.error("notify: message %s via %s failed after %d attempt(s): %s", mid,
                  message.channel, attempt, text)
        return "failed", retry
    outbox.finish(mid, at(), "sent", secrets.redact(answer))
    log.info("notify: message %s sent via %s (%d request(s))", mid, message.channel, len(steps))
    return "sent", False
