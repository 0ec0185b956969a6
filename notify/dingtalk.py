"""DingTalk (钉钉) custom robot: markdown (title + text) with `at.atMobiles`, on the signed URL
(timestamp + HMAC-SHA256 of the secret) when the robot has a secret.

The custom robot cannot send files: attachments are not sent on this channel. The mobiles go in
`at.atMobiles` only; DingTalk highlights an @ inside the markdown only where "@mobile" is written in
the text, which these messages never do (mobiles are not printed).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse

from notify import robot
from notify.errors import ConfigError, SendError
from notify.step import SendContext, Step

DEFAULT_URL = "https://oapi.dingtalk.com/robot/send"
MARKDOWN_BYTES = 20000
RATE_LIMITED = {130101}


def plan(message, config) -> list[Step]:
    """One step per markdown part; the first one carries the @-mentions."""
    parts = robot.titled_parts(message.title, message.markdown, MARKDOWN_BYTES)
    mobiles = [m for m in message.mentions if m.strip() and m != "@all"]
    title = " ".join(message.title.split())
    return [Step("markdown", {
        "title": title if len(parts) == 1 else f"{title} ({i}/{len(parts)})",
        "text": part, "at_mobiles": mobiles if i == 1 else []})
        for i, part in enumerate(parts, 1)]


def sign(secret: str, timestamp_ms: int) -> str:
    """URL-encoded base64 of HMAC-SHA256(secret, "{timestamp}\\n{secret}")."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode("utf-8"),
                      hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode("ascii"))


def send_url(config, secrets, timestamp_ms: int) -> str:
    """The robot's URL with its access_token, signed when the secrets hold a `secret`."""
    if secrets.get("url"):
        url = secrets["url"]
    elif secrets.get("access_token"):
        base = config.url or DEFAULT_URL
        url = base + ("&" if "?" in base else "?") + urllib.parse.urlencode(
            {"access_token": secrets["access_token"]})
    else:
        raise ConfigError(f"渠道 {config.name} 缺少钉钉机器人的 access_token（密钥文件或环境变量）/ "
                          f"channel {config.name} has no DingTalk access_token (secrets file or "
                          "environment)")
    if secrets.get("secret"):
        url += f"&timestamp={timestamp_ms}&sign={sign(secrets['secret'], timestamp_ms)}"
    return url


def send(step: Step, message, config, ctx: SendContext) -> str:
    if step.kind != "markdown":
        raise SendError(f"unknown DingTalk step {step.kind!r}", retry=False)
    body = step.body
    payload = {"msgtype": "markdown",
               "markdown": {"title": body["title"], "text": body["text"]},
               "at": {"atMobiles": list(body["at_mobiles"]), "isAtAll": False}}
    # One robot, one window: the limiter's key is the URL before signing (the signature changes).
    unsigned = send_url(config, {k: v for k, v in ctx.secrets.items() if k != "secret"}, 0)
    return robot.post_message(
        lambda: send_url(config, ctx.secrets, int(ctx.wall_clock() * 1000)), payload, ctx,
        RATE_LIMITED, limit_key=unsigned)
