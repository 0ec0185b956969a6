"""Secrets of the channels (robot keys, robot secrets, SMTP passwords, URLs carrying a key): read
from an owner-only TOML file or the environment, kept in memory, shown only masked.

    # notify-secrets.toml, chmod 600
    [channels.college-wecom]
    key = "693a91f6-…"                    # or url = "https://…/send?key=…"
    [channels.college-dingtalk]
    access_token = "…"
    secret = "SEC…"
    [channels.committee-mail]
    password = "…"

The environment overrides the file: ZHTJ_NOTIFY_<CHANNEL>__<FIELD>, the channel's name in capitals
with every other character than A-Z and 0-9 as "_" (ZHTJ_NOTIFY_COLLEGE_WECOM__KEY).
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
import urllib.parse
from collections.abc import Mapping
from pathlib import Path

ENV_PREFIX = "ZHTJ_NOTIFY_"
FIELDS = ("key", "url", "access_token", "secret", "password", "token")


class SecretsFileError(ValueError):
    """The secrets file cannot be used; "中文 / English", naming the file, never a value."""


def mask(value: str | None) -> str:
    """A secret as /admin may show it: its first 3 and last 2 characters ("abc****yz"); short
    values are all stars."""
    if not value:
        return ""
    if len(value) < 10:
        return "****"
    return f"{value[:3]}****{value[-2:]}"


def env_name(channel: str, field: str) -> str:
    return ENV_PREFIX + re.sub(r"[^A-Z0-9]", "_", channel.upper()) + "__" + field.upper()


class Secrets:
    """The secrets of every channel. `redact` replaces any of them (and their URL-encoded forms)
    in a text before it is stored or logged."""

    def __init__(self, channels: Mapping[str, Mapping[str, str]] | None = None,
                 environ: Mapping[str, str] | None = None):
        self._file = {name: dict(values) for name, values in (channels or {}).items()}
        self._environ = dict(environ if environ is not None else {})

    def for_channel(self, channel: str) -> dict[str, str]:
        values = dict(self._file.get(channel, {}))
        for field in FIELDS:
            value = self._environ.get(env_name(channel, field))
            if value:
                values[field] = value
        return values

    def values(self) -> list[str]:
        found = [v for values in self._file.values() for v in values.values()]
        found += [v for k, v in self._environ.items() if k.startswith(ENV_PREFIX)]
        out = set()
        for v in found:
            if not v or len(v) < 4:
                continue
            out.add(v)
            out.add(urllib.parse.quote(v, safe=""))
            out.add(urllib.parse.quote_plus(v))
            # a URL's own key/token is a secret too, wherever it is shown without the URL
            for _, param in urllib.parse.parse_qsl(urllib.parse.urlsplit(v).query):
                if len(param) >= 4:
                    out.add(param)
        return sorted(out, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for value in self.values():
            text = text.replace(value, mask(value))
        return text

    def masked(self) -> dict[str, dict[str, str]]:
        """Every channel's secrets masked, for /admin."""
        names = set(self._file)
        return {name: {k: mask(v) for k, v in self.for_channel(name).items()} for name in names}


def load_secrets(path: Path | None, environ: Mapping[str, str] | None = None) -> Secrets:
    """The secrets in the file (none when `path` is None) and in the environment (os.environ
    unless given). A file that its group or others may read or write is refused."""
    environ = os.environ if environ is None else environ
    if path is None:
        return Secrets({}, environ)
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise SecretsFileError(f"密钥文件不存在：{path} / secrets file not found: {path}") from None
    if stat.S_IMODE(st.st_mode) & 0o077:
        raise SecretsFileError(
            f"密钥文件 {path} 的权限过宽（{stat.S_IMODE(st.st_mode):04o}），只能由其所有者读写，"
            f"请执行 chmod 600 {path} / secrets file {path} is readable or writable by group or "
            f"others ({stat.S_IMODE(st.st_mode):04o}); it must be owner-only: chmod 600 {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        raise SecretsFileError(f"无法读取密钥文件 {path} / cannot read secrets file {path}") from None
    except tomllib.TOMLDecodeError as exc:
        # The parser's message may quote the offending line, i.e. a secret: keep only where.
        where = re.search(r"\(at line \d+, column \d+\)", str(exc))
        where = where.group(0) if where else ""
        raise SecretsFileError(f"密钥文件 {path} 不是有效的 TOML {where} / secrets file {path} is "
                               f"not valid TOML {where}") from None
    channels = data.get("channels", {})
    unknown = set(data) - {"channels"}
    if unknown or not isinstance(channels, dict):
        raise SecretsFileError(f"密钥文件 {path} 只能有 [channels.<名称>] 表 / secrets file {path} "
                               "may hold only [channels.<name>] tables")
    for name, values in channels.items():
        bad = [k for k, v in values.items() if k not in FIELDS or not isinstance(v, str)] \
            if isinstance(values, dict) else ["?"]
        if bad:
            raise SecretsFileError(
                f"密钥文件 {path} 的 [channels.{name}]：未知的键 {', '.join(bad)}（可用："
                f"{'、'.join(FIELDS)}）/ secrets file {path}, [channels.{name}]: unknown keys "
                f"{', '.join(bad)} (known: {', '.join(FIELDS)}; every value a string)")
    return Secrets(channels, environ)
