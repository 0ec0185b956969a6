"""The two ways a delivery goes wrong: the settings cannot work, or one send did not go through."""

from __future__ import annotations


class ConfigError(ValueError):
    """A channel's settings or secrets cannot be used; the message is "中文 / English" and never
    holds a secret's value."""


class SendError(Exception):
    """The server did not accept one request. `answer` is what it said (or the network error),
    already stripped of secrets by the caller before it is stored or logged.

    retry: False when sending the same request again cannot succeed (HTTP 4xx, SMTP 5xx, an
    attachment gone): the message is failed at once instead of burning its attempts.
    rate_limited: the server said "too many messages" (WeCom 45009, DingTalk 130101, HTTP 429).
    """

    def __init__(self, answer: str, *, retry: bool = True, rate_limited: bool = False):
        super().__init__(answer)
        self.answer = answer
        self.retry = retry
        self.rate_limited = rate_limited
