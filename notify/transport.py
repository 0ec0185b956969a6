"""HTTP POSTs for the robots and the webhook (urllib, no extra dependency), with every failure
turned into a SendError whose answer never holds the URL (robot URLs carry keys)."""

from __future__ import annotations

import http.client
import ipaddress
import json
import secrets as _random
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

from notify.errors import SendError

ANSWER_CHARS = 500  # what the outbox keeps of a server's answer


@dataclass(frozen=True)
class Answer:
    status: int
    body: str

    def json(self) -> dict:
        """The body as a JSON object; a body that is not one is a failed send (retried)."""
        try:
            data = json.loads(self.body)
        except ValueError:
            raise SendError(f"HTTP {self.status}: not JSON: {self.body[:ANSWER_CHARS]}") from None
        if not isinstance(data, dict):
            raise SendError(f"HTTP {self.status}: not a JSON object: {self.body[:ANSWER_CHARS]}")
        return data


def _opener(url: str) -> urllib.request.OpenerDirector:
    # A proxy from the environment must not carry a request meant for this machine (tests, a
    # local relay) elsewhere.
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    return urllib.request.build_opener(urllib.request.ProxyHandler({} if loopback else None))


def post(url: str, data: bytes, content_type: str, *, timeout: float,
         headers: Mapping[str, str] | None = None) -> Answer:
    """POST and return the 2xx answer; anything else raises SendError (5xx, 408, 429 and network
    errors to be retried, other 4xx not)."""
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": content_type, "User-Agent": "zhtj-notify", **(headers or {})})
    try:
        with _opener(url).open(request, timeout=timeout) as response:
            body = response.read().decode("utf-8", errors="replace")
            return Answer(response.status, body)
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", errors="replace")[:ANSWER_CHARS]
        answer = f"HTTP {exc.code}: {body}".strip()
        raise SendError(answer, retry=exc.code >= 500 or exc.code in (408, 429),
                        rate_limited=exc.code == 429) from None
    except (TimeoutError, socket.timeout):
        raise SendError(f"no answer within {timeout:g} s (timeout)") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise SendError(f"no answer within {timeout:g} s (timeout)") from None
        if isinstance(reason, ConnectionRefusedError):
            raise SendError("connection refused") from None
        raise SendError(f"network error: {type(reason).__name__}: {reason}") from None
    except (http.client.HTTPException, OSError) as exc:
        raise SendError(f"network error: {type(exc).__name__}: {exc}") from None


def post_json(url: str, payload: Mapping, *, timeout: float,
              headers: Mapping[str, str] | None = None) -> Answer:
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return post(url, data, "application/json; charset=utf-8", timeout=timeout, headers=headers)


def post_file(url: str, field: str, filename: str, content: bytes, *, timeout: float) -> Answer:
    """A multipart/form-data upload of one file, with the filename and filelength WeCom asks
    for in the part's Content-Disposition."""
    boundary = "----zhtj" + _random.token_hex(12)
    quoted = filename.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "")
    head = (f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{field}"; filename="{quoted}"; '
            f"filelength={len(content)}\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode("utf-8")
    body = head + content + f"\r\n--{boundary}--\r\n".encode("ascii")
    return post(url, body, f"multipart/form-data; boundary={boundary}", timeout=timeout)
