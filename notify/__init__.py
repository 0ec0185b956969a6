"""Delivery of finished alert messages: channels (WeCom, DingTalk, e-mail, webhook) and an outbox
that loses nothing and sends nothing twice.

    outbox = Outbox(path)                  # notify.sqlite beside the accounts file
    outbox.enqueue(Message(...))           # written before anything is sent; an id only once
    report = deliver(outbox, parse_channels(settings), load_secrets(secrets_path))
"""

from notify.channels import ChannelConfig, parse_channels
from notify.credentials import Secrets, SecretsFileError, load_secrets, mask
from notify.deliver import BACKOFF, DeliveryReport, deliver
from notify.errors import ConfigError
from notify.message import Attachment, Message
from notify.outbox import MessageState, Outbox, OutboxBusy
from notify.ratelimit import RateLimiter

__all__ = ["Attachment", "BACKOFF", "ChannelConfig", "ConfigError", "DeliveryReport", "Message",
           "MessageState", "Outbox", "OutboxBusy", "RateLimiter", "Secrets", "SecretsFileError",
           "deliver", "load_secrets", "mask", "parse_channels"]
