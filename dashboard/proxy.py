"""Behind a reverse proxy: X-Forwarded-For and X-Forwarded-Proto believed only from the proxies
named by `zhtj serve --trusted-proxy`, and removed from every other request."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from werkzeug.middleware.proxy_fix import ProxyFix

# Every forwarded header a client could send to pass for someone else or for HTTPS. Only For and
# Proto are ever believed (the proxy passes the Host header itself); the rest are always dropped.
FORWARDED = ("HTTP_FORWARDED", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO",
             "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PREFIX",
             "HTTP_X_REAL_IP")
BELIEVED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO")
SCHEMES = ("http", "https")


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """One address, an IPv4 address mapped into IPv6 (::ffff:127.0.0.1) as plain IPv4."""
    ip = ipaddress.ip_address(text.strip())
    mapped = getattr(ip, "ipv4_mapped", None)
    return mapped or ip


def parse_addresses(text: str | Iterable[str]) -> tuple[str, ...]:
    """'127.0.0.1,::1' (or a list of them) -> the addresses written out; ValueError in both
    languages for anything that is not an IP address (a name, a network, an empty entry)."""
    parts = text.split(",") if isinstance(text, str) else [p for t in text for p in t.split(",")]
    found: list[str] = []
    for part in parts:
        try:
            found.append(str(_address(part)))
        except ValueError:
            raise ValueError(f"代理地址应为 IP 地址（多个用逗号分隔） / a trusted proxy must be an "
                             f"IP address (several separated by commas): {part.strip()!r}")
    return tuple(dict.fromkeys(found))


class TrustedProxies:
    """WSGI middleware: a request whose peer (REMOTE_ADDR) is a trusted proxy gets the client's
    address and scheme from the proxy's last X-Forwarded-For / X-Forwarded-Proto value (werkzeug's
    ProxyFix for one proxy); every other request loses its forwarded headers, so a client can
    neither pass for another address (lockout, audit log) nor for HTTPS."""

    def __init__(self, app, trusted: Iterable[str] = ()) -> None:
        self.app = app
        self.trusted = frozenset(parse_addresses(tuple(trusted)))
        self.fixed = ProxyFix(app, x_for=1, x_proto=1, x_host=0, x_port=0, x_prefix=0)

    def is_trusted(self, peer: str | None) -> bool:
        if not self.trusted or not peer:
            return False
        try:
            return str(_address(peer)) in self.trusted
        except ValueError:  # a unix socket's peer, or nothing like an address
            return False

    def __call__(self, environ, start_response):
        trusted = self.is_trusted(environ.get("REMOTE_ADDR"))
        for key in FORWARDED:
            if not (trusted and key in BELIEVED):
                environ.pop(key, None)
        if not trusted:
            return self.app(environ, start_response)
        proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
        if proto not in SCHEMES:
            environ.pop("HTTP_X_FORWARDED_PROTO", None)
        else:
            environ["HTTP_X_FORWARDED_PROTO"] = proto
        return self.fixed(environ, start_response)
