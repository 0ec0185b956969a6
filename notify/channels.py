"""The channel kinds (one entry each in REGISTRY) and the channel settings: plain data from the
settings TOML, checked here so that no secret is ever kept in them.

    [notify.channels.college-wecom]
    kind = "wecom"                 # the robot's key is in the secrets file
    [notify.channels.college-dingtalk]
    kind = "dingtalk"
    [notify.channels.committee-mail]
    kind = "email"
    host = "smtp.example.edu.cn"
    port = 587
    security = "starttls"          # or "ssl", or "plain" for a local relay (no login then)
    user = "tw@example.edu.cn"     # its password is in the secrets file
    from = "tw@example.edu.cn"
    to = ["secretary@example.edu.cn"]
    [notify.channels.ops]
    kind = "webhook"
    url = "https://ops.example.edu.cn/hooks/zhtj"
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from notify import dingtalk, mail, webhook, wecom
from notify.errors import ConfigError
from notify.step import SendContext, Step

REGISTRY = {"wecom": wecom, "dingtalk": dingtalk, "email": mail, "webhook": webhook}
KEYS = ("kind", "url", "host", "port", "security", "user", "from", "to", "timeout", "cafile",
        "description")
SECRET_KEYS = ("key", "secret", "password", "token", "access_token", "sign")


@dataclass(frozen=True)
class ChannelConfig:
    name: str
    kind: str
    url: str | None = None
    host: str | None = None
    port: int | None = None
    security: str | None = None
    user: str | None = None
    sender: str | None = None
    to: tuple[str, ...] = ()
    timeout: float = 10.0
    cafile: str | None = None
    description: str = ""


def _fail(name: str, zh: str, en: str) -> ConfigError:
    return ConfigError(f"渠道 {name}：{zh} / channel {name}: {en}")


def _check_url(name: str, url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _fail(name, "url 应为 http(s) 地址", "url must be an http(s) address")
    carried = {k for k, _ in urllib.parse.parse_qsl(parts.query)} & set(SECRET_KEYS)
    if carried or parts.password:
        # The value itself is never repeated in the message.
        raise _fail(name, f"url 带有密钥（{'、'.join(sorted(carried)) or '密码'}），应写在密钥文件中",
                    f"the url carries a secret ({', '.join(sorted(carried)) or 'password'}); "
                    "put it in the secrets file")


def parse_channel(name: str, data: Mapping) -> ChannelConfig:
    """One channel's settings, checked: known keys only, no secret, what its kind needs."""
    unknown = [k for k in data if k not in KEYS]
    secret = [k for k in unknown if k in SECRET_KEYS]
    if secret:
        raise _fail(name, f"{'、'.join(secret)} 是密钥，应写在密钥文件中",
                    f"{', '.join(secret)} is a secret: put it in the secrets file")
    if unknown:
        raise _fail(name, f"未知的键 {'、'.join(unknown)}", f"unknown keys {', '.join(unknown)}")
    kind = data.get("kind")
    if kind not in REGISTRY:
        raise _fail(name, f"kind 应为 {'|'.join(REGISTRY)}", f"kind must be one of "
                    f"{', '.join(REGISTRY)}")
    to = data.get("to", ())
    config = ChannelConfig(
        name=name, kind=kind, url=data.get("url"), host=data.get("host"), port=data.get("port"),
        security=data.get("security"), user=data.get("user"), sender=data.get("from"),
        to=(to,) if isinstance(to, str) else tuple(to), timeout=float(data.get("timeout", 10)),
        cafile=data.get("cafile"), description=data.get("description", ""))
    if config.url:
        _check_url(name, config.url)
    if kind == "email":
        if not (config.host and config.sender and config.to):
            raise _fail(name, "电子邮件需要 host、from 和 to", "e-mail needs host, from and to")
        if (config.security or "starttls") not in mail.SECURITY_PORTS:
            raise _fail(name, "security 应为 starttls|ssl|plain",
                        "security must be starttls, ssl or plain")
        if config.user and config.security == "plain":
            raise _fail(name, "不加密的连接不能登录（密码会明文传输）", "no login over a plain "
                        "connection (the password would travel in clear)")
    return config


def parse_channels(table: Mapping[str, Mapping]) -> dict[str, ChannelConfig]:
    """The [notify.channels.*] tables as ChannelConfig by name."""
    return {name: parse_channel(name, data) for name, data in table.items()}


def plan(message, config: ChannelConfig) -> list[Step]:
    return REGISTRY[config.kind].plan(message, config)


def send(step: Step, message, config: ChannelConfig, ctx: SendContext) -> str:
    """Send one step; returns the server's answer (a short text), raises SendError or
    ConfigError."""
    return REGISTRY[config.kind].send(step, message, config, ctx)
