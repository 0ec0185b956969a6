"""A generic JSON webhook: the message POSTed as JSON; any 2xx answer is accepted.

The `Idempotency-Key` header is the message id, so a receiver can drop the one request that an
interrupted delivery may send again. Attachments are named, not sent.
"""

from __future__ import annotations

from notify.errors import ConfigError, SendError
from notify.step import SendContext, Step
from notify.transport import ANSWER_CHARS, post_json


def plan(message, config) -> list[Step]:
    return [Step("post", {})]


def payload(message) -> dict:
    return {"message_id": message.message_id, "channel": message.channel,
            "title": message.title, "language": message.language,
            "markdown": message.markdown, "text": message.plain_text,
            "mentioned_mobiles": list(message.mentions),
            "attachments": [{"name": a.name} for a in message.attachments],
            "extra": message.extra}


def send(step: Step, message, config, ctx: SendContext) -> str:
    if step.kind != "post":
        raise SendError(f"unknown webhook step {step.kind!r}", retry=False)
    url = ctx.secrets.get("url") or config.url
    if not url:
        raise ConfigError(f"渠道 {config.name} 没有 url / channel {config.name} has no url")
    headers = {"Idempotency-Key": message.message_id}
    if ctx.secrets.get("token"):
        headers["Authorization"] = f"Bearer {ctx.secrets['token']}"
    answer = post_json(url, payload(message), timeout=ctx.timeout, headers=headers)
    return f"HTTP {answer.status}: {answer.body[:ANSWER_CHARS]}".strip()
