"""E-mail over SMTP against aiosmtpd on 127.0.0.1: STARTTLS and SSL with login, a plain relay."""

import os
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from notify import Message, deliver, parse_channels

from tests.notify.conftest import T0, free_port, secrets_of

PASSWORD = "Sup3r-Secret-Passw0rd"


class Recorder:
    def __init__(self):
        self.mails = []
        self.logins = []

    async def handle_DATA(self, server, session, envelope):
        self.mails.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content,
                           session.authenticated))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
        self.logins.append((mechanism, auth_data.login.decode(), ok))
        return AuthResult(success=ok, handled=False)  # handled=False: it answers 535


@pytest.fixture
def smtp_server(server_tls):
    """Start one server per test: mode "starttls", "ssl" or "plain"."""
    started = []

    def start(mode):
        recorder = Recorder()
        port = free_port()
        if mode == "starttls":
            kwargs = dict(tls_context=server_tls, require_starttls=True, auth_require_tls=True,
                          authenticator=recorder.authenticate, auth_required=True)
        elif mode == "ssl":
            kwargs = dict(ssl_context=server_tls, auth_require_tls=False,
                          authenticator=recorder.authenticate, auth_required=True)
        else:
            kwargs = {}
        controller = Controller(recorder, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        started.append(controller)
        return recorder, port

    yield start
    for controller in started:
        controller.stop()


def channel(port, security, tls_files, user="tw@example.edu.cn"):
    settings = {"kind": "email", "host": "127.0.0.1", "port": port, "security": security,
                "from": "tw@example.edu.cn", "to": ["a@example.edu.cn", "b@example.edu.cn"],
                "cafile": str(tls_files[0]), "timeout": 5}
    if user:
        settings["user"] = user
    return parse_channels({"mail": settings})


def pack_files(tmp_path):
    pdf, xlsx = tmp_path / "pack.pdf", tmp_path / "pack.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n" + os.urandom(3000))
    xlsx.write_bytes(b"PK\x03\x04" + os.urandom(3000))
    return pdf, xlsx


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # ssl: TLS at once
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_login_and_a_readable_mail_with_the_pack_attached(smtp_server, tls_files, outbox,
                                                          tmp_path, security):
    """Login with the password from the secrets, over TLS; a UTF-8 subject; text and HTML as
    alternatives; the PDF and XLSX attached byte for byte."""
    recorder, port = smtp_server(security)
    pdf, xlsx = pack_files(tmp_path)
    outbox.enqueue(Message("m1", "mail", "计算机学院 报到进度周报",
                           "## 本周\n- **3** 个团支部未完成\n- [进展](https://example.org/progress)",
                           attachments=[("计算机学院-会议材料.pdf", pdf),
                                        ("计算机学院-会议材料.xlsx", xlsx)]), now=T0)
    report = deliver(outbox, channel(port, security, tls_files), secrets_of(
        mail={"password": PASSWORD}), now=T0)
    assert report.sent == ["m1"], outbox.messages()[0].last_answer
    assert recorder.logins == [(recorder.logins[0][0], "tw@example.edu.cn", True)]
    ((mail_from, rcpts, content, authenticated),) = recorder.mails
    assert authenticated and mail_from == "tw@example.edu.cn"
    assert rcpts == ["a@example.edu.cn", "b@example.edu.cn"]
    mail = message_from_bytes(content, policy=policy.default)
    assert mail["Subject"] == "计算机学院 报到进度周报"
    assert mail["Message-ID"].endswith("@zhtj.notify>")
    body = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "3 个团支部未完成" in body and "进展 (https://example.org/progress)" in body
    assert "<strong>3</strong> 个团支部未完成" in html and 'lang="zh-CN"' in html
    files = {a.get_filename(): a.get_content() for a in mail.iter_attachments()}
    assert files == {"计算机学院-会议材料.pdf": pdf.read_bytes(),
                     "计算机学院-会议材料.xlsx": xlsx.read_bytes()}
    assert PASSWORD.encode() not in outbox.path.read_bytes()


def test_a_wrong_password_fails_at_once(smtp_server, tls_files, outbox):
    """535 is permanent: failed after one attempt (retrying could lock the account)."""
    recorder, port = smtp_server("starttls")
    outbox.enqueue(Message("m1", "mail", "t", "x"), now=T0)
    report = deliver(outbox, channel(port, "starttls", tls_files),
                     secrets_of(mail={"password": "not-the-password"}), now=T0)
    assert report.failed == ["m1"] and recorder.mails == []
    (state,) = outbox.messages()
    assert state.status == "failed" and state.attempts == 1
    assert state.last_answer.startswith("SMTP 535")


def test_a_plain_local_relay_without_login(smtp_server, tls_files, outbox):
    recorder, port = smtp_server("plain")
    outbox.enqueue(Message("m1", "mail", "Registration", "**3** branches behind",
                           language="en"), now=T0)
    report = deliver(outbox, channel(port, "plain", tls_files, user=None), secrets_of(), now=T0)
    assert report.sent == ["m1"]
    mail = message_from_bytes(recorder.mails[0][2], policy=policy.default)
    assert mail["Content-Language"] == "en"
    assert 'lang="en"' in mail.get_body(("html",)).get_content()


def test_no_server_is_retried_later(tls_files, outbox):
    outbox.enqueue(Message("m1", "mail", "t", "x"), now=T0)
    report = deliver(outbox, channel(free_port(), "starttls", tls_files),
                     secrets_of(mail={"password": PASSWORD}), now=T0)
    assert report.retrying == ["m1"]
    assert "Connection refused" in outbox.messages()[0].last_answer \
        or "refused" in outbox.messages()[0].last_answer
