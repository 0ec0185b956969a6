"""One request of a delivery, and what a channel needs to send it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from notify.ratelimit import RateLimiter


@dataclass(frozen=True)
class Step:
    """One request a channel makes to deliver a message (a markdown part, the @-mention, a file).

    A message's steps are planned once and kept in the outbox with the count already accepted, so a
    resumed delivery sends only the steps after the last one the server accepted. `body` is plain
    JSON data without secrets (they are added at send time).
    """

    kind: str
    body: Mapping[str, Any]

    def to_dict(self) -> dict:
        return {"kind": self.kind, "body": dict(self.body)}

    @classmethod
    def from_dict(cls, data: Mapping) -> "Step":
        return cls(kind=data["kind"], body=data["body"])


@dataclass
class SendContext:
    """What every send needs besides the step: the channel's secrets (in memory only), the shared
    rate limiter, the clock for signatures and the request timeout."""

    secrets: Mapping[str, str]
    limiter: RateLimiter
    wall_clock: Callable[[], float]  # seconds since the epoch (DingTalk's timestamp)
    timeout: float = 10.0
