"""WeChat Work (企业微信) group robot: markdown parts of at most 4,096 bytes, a text message that
@-mentions by mobile (`mentioned_mobile_list`), and files (upload_media, then msgtype file)."""

from __future__ import annotations

import urllib.parse

from notify import chunks, robot
from notify.errors import ConfigError, SendError
from notify.step import SendContext, Step
from notify.transport import post_file

DEFAULT_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"
MARKDOWN_BYTES = 4096
TEXT_BYTES = 2048
RATE_LIMITED = {45009}
MENTION_TEXT = {"zh": "{title}：请相关同志查看上面的消息并处理。",
                "en": "{title}: please see the message above and act on it."}


def plan(message, config) -> list[Step]:
    """Markdown parts, then one text message with the mentions, then one step per file."""
    steps = [Step("markdown", {"content": part})
             for part in robot.titled_parts(message.title, message.markdown, MARKDOWN_BYTES)]
    mobiles = [m for m in message.mentions if m.strip() and m != "@all"]
    if mobiles:
        text = MENTION_TEXT[message.language].format(title=" ".join(message.title.split()))
        steps.append(Step("mention", {"content": chunks.cut(text, TEXT_BYTES),
                                      "mentioned_mobile_list": mobiles}))
    steps += [Step("file", {"name": a.name, "path": str(a.path)}) for a in message.attachments]
    return steps


def send_url(config, secrets) -> str:
    """The robot's URL with its key: the secrets' `url`, or the settings' URL (default WeCom's)
    with the secrets' `key`."""
    if secrets.get("url"):
        return secrets["url"]
    if not secrets.get("key"):
        raise ConfigError(f"渠道 {config.name} 缺少企业微信机器人的 key（密钥文件或环境变量）/ "
                          f"channel {config.name} has no WeCom robot key (secrets file or "
                          "environment)")
    base = config.url or DEFAULT_URL
    return base + ("&" if "?" in base else "?") + urllib.parse.urlencode({"key": secrets["key"]})


def upload_url(url: str) -> str:
    """…/cgi-bin/webhook/send?key=K -> …/cgi-bin/webhook/upload_media?key=K&type=file"""
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rsplit("/", 1)[0] + "/upload_media"
    query = urllib.parse.urlencode(urllib.parse.parse_qsl(parts.query) + [("type", "file")])
    return urllib.parse.urlunsplit(parts._replace(path=path, query=query))


def send(step: Step, message, config, ctx: SendContext) -> str:
    url = send_url(config, ctx.secrets)
    body = step.body
    if step.kind == "markdown":
        payload = {"msgtype": "markdown", "markdown": {"content": body["content"]}}
    elif step.kind == "mention":
        payload = {"msgtype": "text", "text": {
            "content": body["content"],
            "mentioned_mobile_list": list(body["mentioned_mobile_list"])}}
    elif step.kind == "file":
        payload = {"msgtype": "file", "file": {"media_id": _upload(url, body, ctx)}}
    else:
        raise SendError(f"unknown WeCom step {step.kind!r}", retry=False)
    return robot.post_message(url, payload, ctx, RATE_LIMITED)


def _upload(url: str, body, ctx: SendContext) -> str:
    """The file's media_id (valid 3 days). An upload shows nothing in the group, so doing it again
    after a crash is harmless: only the file message that follows is the delivery."""
    try:
        with open(body["path"], "rb") as f:
            content = f.read()
    except OSError as exc:
        raise SendError(f"attachment {body['name']} cannot be read: {exc.strerror}",
                        retry=False) from None
    data = post_file(upload_url(url), "media", body["name"], content, timeout=ctx.timeout).json()
    robot.check_errcode(data, RATE_LIMITED)
    if not data.get("media_id"):
        raise SendError(f"upload_media answered without media_id: {str(data)[:200]}")
    return data["media_id"]
