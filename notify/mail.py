"""E-mail over SMTP: a multipart/alternative text + HTML body with a UTF-8 subject and the
message's attachments; STARTTLS, SSL or plain (a local relay), login when a user is set."""

from __future__ import annotations

import email.policy
import email.utils
import hashlib
import mimetypes
import smtplib
import ssl
from email.message import EmailMessage

from notify.errors import ConfigError, SendError
from notify.step import SendContext, Step

SECURITY_PORTS = {"starttls": 587, "ssl": 465, "plain": 25}


def plan(message, config) -> list[Step]:
    """One mail: the whole message is one request, accepted or not."""
    return [Step("mail", {})]


def build(message, config) -> EmailMessage:
    """The mail. Its Message-ID is derived from the message id, so a mail sent again after an
    interrupted delivery carries the same Message-ID and a mail client can tell it is the same."""
    mail = EmailMessage(policy=email.policy.SMTP)
    mail["Subject"] = " ".join(message.title.split())
    mail["From"] = config.sender
    mail["To"] = ", ".join(config.to)
    mail["Date"] = email.utils.formatdate(localtime=False)
    digest = hashlib.sha256(message.message_id.encode("utf-8")).hexdigest()[:32]
    mail["Message-ID"] = f"<{digest}@zhtj.notify>"
    mail.set_content(message.plain_text, charset="utf-8")
    mail.add_alternative(message.html_body, subtype="html", charset="utf-8")
    for attachment in message.attachments:
        try:
            data = attachment.path.read_bytes()
        except OSError as exc:
            raise SendError(f"attachment {attachment.name} cannot be read: {exc.strerror}",
                            retry=False) from None
        kind = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
        maintype, subtype = kind.split("/", 1)
        mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=attachment.name)
    # Last: setting the content moves or clears the Content-* headers.
    mail["Content-Language"] = "zh-CN" if message.language == "zh" else "en"
    return mail


def _smtp(config, ctx: SendContext) -> smtplib.SMTP:
    security = config.security or "starttls"
    port = config.port or SECURITY_PORTS[security]
    context = ssl.create_default_context(cafile=config.cafile)
    if security == "ssl":
        return smtplib.SMTP_SSL(config.host, port, timeout=ctx.timeout, context=context)
    smtp = smtplib.SMTP(config.host, port, timeout=ctx.timeout)
    if security == "starttls":
        try:
            smtp.ehlo()
            smtp.starttls(context=context)
        except BaseException:
            smtp.close()
            raise
    return smtp


def send(step: Step, message, config, ctx: SendContext) -> str:
    if step.kind != "mail":
        raise SendError(f"unknown mail step {step.kind!r}", retry=False)
    mail = build(message, config)
    if config.user and not ctx.secrets.get("password"):
        raise ConfigError(f"渠道 {config.name} 缺少 SMTP 密码（密钥文件或环境变量）/ channel "
                          f"{config.name} has no SMTP password (secrets file or environment)")
    try:
        with _smtp(config, ctx) as smtp:
            smtp.ehlo()
            if config.user:
                smtp.login(config.user, ctx.secrets["password"])
            refused = smtp.send_message(mail, from_addr=config.sender, to_addrs=list(config.to))
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        raise SendError(f"SMTP: every recipient refused ({', '.join(map(str, codes))})",
                        retry=any(code < 500 for code in codes)) from None
    except smtplib.SMTPResponseException as exc:
        # 5xx is permanent (a wrong password retried 8 times may lock the account); 4xx is not.
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) \
            else str(exc.smtp_error)
        raise SendError(f"SMTP {exc.smtp_code}: {text}"[:500], retry=exc.smtp_code < 500) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise SendError(f"SMTP: {type(exc).__name__}: {exc}"[:500]) from None
    if refused:
        return f"250 accepted; refused: {', '.join(sorted(refused))}"
    return f"250 accepted for {len(config.to)} recipient(s)"
