"""What the two group robots (WeCom, DingTalk) share: titled parts within a byte limit, the
answer's errcode, and at most 20 messages a minute."""

from __future__ import annotations

from collections.abc import Callable

from notify import chunks
from notify.errors import SendError
from notify.step import SendContext
from notify.transport import ANSWER_CHARS, post_json

TITLE_BYTES = 300  # a title longer than this is cut ("…"), so the body keeps its room


def titled_parts(title: str, markdown: str, limit: int) -> list[str]:
    """The body split at lines into parts of at most `limit` bytes, each opened by the title as
    a heading ("### 标题 (2/3)" when there are several)."""
    title = chunks.cut(" ".join(title.split()), TITLE_BYTES)
    room = limit - len(f"### {title} (999/999)\n\n".encode("utf-8"))
    parts = chunks.split_lines(markdown, room)
    if len(parts) == 1:
        return [f"### {title}\n\n{parts[0]}".rstrip("\n")]
    return [f"### {title} ({i}/{len(parts)})\n\n{p}".rstrip("\n")
            for i, p in enumerate(parts, 1)]


def check_errcode(data: dict, rate_limited: set[int]) -> str:
    """The answer "errcode 0" as a short text; anything else raises SendError (retried)."""
    code = data.get("errcode")
    text = f"errcode {code}: {data.get('errmsg', '')}".strip()[:ANSWER_CHARS]
    if code != 0:
        raise SendError(text, rate_limited=code in rate_limited)
    return text


def post_message(url: str | Callable[[], str], payload: dict, ctx: SendContext,
                 rate_limited: set[int], *, limit_key: str | None = None) -> str:
    """One robot message: spaced by the limiter (per robot: `limit_key`, else the URL), then sent
    and its answer checked. `url` may be a function, called after the wait, for URLs signed with
    the time of sending."""
    key = limit_key or url
    ctx.limiter.wait(key)
    try:
        target = url() if callable(url) else url
        return check_errcode(post_json(target, payload, timeout=ctx.timeout).json(), rate_limited)
    except SendError as exc:
        if exc.rate_limited:
            ctx.limiter.hold_off(key)
        raise
