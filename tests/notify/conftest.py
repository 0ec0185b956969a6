"""Servers of each channel's own kind on 127.0.0.1, recording what they receive, and a fake clock
so that rate limits and backoff are checked without waiting."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import socket
import ssl
import threading
import urllib.parse
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from notify import Outbox, RateLimiter, Secrets

T0 = dt.datetime(2024, 10, 15, 8, 0, tzinfo=dt.UTC)


class FakeClock:
    """Monotonic seconds that move only when something sleeps (or the test says so)."""

    def __init__(self):
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def limiter(clock):
    return RateLimiter(clock=clock, sleep=clock.sleep)


@dataclass
class Request:
    path: str
    query: dict
    headers: dict
    body: bytes
    at: float | None = None

    def json(self):
        return json.loads(self.body)

    def upload(self) -> tuple[dict, bytes]:
        """The multipart part: its Content-Disposition parameters and its content."""
        mime = message_from_bytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + self.body,
            policy=policy.HTTP)
        (part,) = mime.iter_parts()
        disposition = part["Content-Disposition"]
        params = dict(disposition.params)
        return params, part.get_payload(decode=True)


@dataclass
class RobotServer:
    """An HTTP server standing in for a robot or a webhook. `respond(request)` gives (status,
    body); the default answers like a robot that accepted. Requests are recorded in order."""

    respond: object = None
    clock: object = None
    requests: list[Request] = field(default_factory=list)
    url: str = ""

    def start(self):
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                parts = urllib.parse.urlsplit(self.path)
                req = Request(parts.path, dict(urllib.parse.parse_qsl(parts.query)),
                              dict(self.headers), self.rfile.read(length),
                              outer.clock() if outer.clock else None)
                outer.requests.append(req)
                answer = (outer.respond or default_answer)(req)
                if answer is None:  # hang up without answering
                    self.close_connection = True
                    return
                status, body = answer
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def sends(self) -> list[Request]:
        """The message requests (uploads left out)."""
        return [r for r in self.requests if not r.path.endswith("/upload_media")]


def default_answer(req: Request):
    if req.path.endswith("/upload_media"):
        return 200, {"errcode": 0, "errmsg": "ok", "type": "file",
                     "media_id": "media-" + hashlib.sha256(req.body).hexdigest()[:12],
                     "created_at": "1380000000"}
    return 200, {"errcode": 0, "errmsg": "ok"}


@pytest.fixture
def robot(clock):
    server = RobotServer(clock=clock).start()
    yield server
    server.stop()


def dingtalk_answer(secret: str, now_ms):
    """A DingTalk robot that checks the signature (and that the timestamp is within an hour)."""

    def respond(req: Request):
        ts = req.query.get("timestamp")
        sign = req.query.get("sign")
        if ts is None or sign is None:
            return 200, {"errcode": 310000, "errmsg": "sign not match"}
        expected = base64.b64encode(hmac.new(secret.encode(), f"{ts}\n{secret}".encode(),
                                             hashlib.sha256).digest()).decode()
        if sign != expected or abs(int(ts) - now_ms()) > 3600_000:
            return 200, {"errcode": 310000, "errmsg": "sign not match"}
        return 200, {"errcode": 0, "errmsg": "ok"}

    return respond


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (made with the cryptography package)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def server_tls(tls_files):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*tls_files)
    return context


@pytest.fixture
def outbox(tmp_path):
    return Outbox(tmp_path / "notify.sqlite")


def secrets_of(**channels) -> Secrets:
    """Secrets given in the test (no file, no environment)."""
    return Secrets(channels, environ={})
