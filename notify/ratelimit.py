"""At most N requests per window per robot, spaced by the sender itself before the server has to
say "too many" (WeCom and DingTalk robots: 20 a minute).

A sliding window of the last N send times rather than a token bucket: a bucket holding 20 tokens
and refilled at 20 a minute lets 40 through in the first minute; the window never lets more than
20 through in any 60 seconds. Keys are hashes of the webhook URL, so the URL (which carries the
robot's key) is never kept here, and two channel names for the same robot share one window.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    def __init__(self, per_window: int = 20, window: float = 60.0, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.per_window = per_window
        self.window = window
        self.clock = clock
        self.sleep = sleep
        self._sent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(url: str) -> str:
        return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]

    def wait(self, url: str) -> float:
        """Block until one more request to `url` keeps within the limit, count it, and return the
        seconds waited."""
        key = self.key(url)
        waited = 0.0
        with self._lock:
            sent = self._sent.setdefault(key, deque())
            while True:
                now = self.clock()
                while sent and sent[0] <= now - self.window:
                    sent.popleft()
                if len(sent) < self.per_window:
                    sent.append(now)
                    return waited
                pause = sent[0] + self.window - now
                self.sleep(pause)
                waited += pause

    def hold_off(self, url: str) -> None:
        """The server answered "too many": count the window as full from now on."""
        with self._lock:
            now = self.clock()
            self._sent[self.key(url)] = deque([now] * self.per_window, maxlen=None)
