"""A finished message for one channel: what the caller gives and what the outbox keeps."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from notify import markup

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Attachment:
    """A file sent with the message (e.g. a meeting pack's PDF); `name` is what the reader sees."""

    name: str
    path: Path

    def __post_init__(self):
        object.__setattr__(self, "path", Path(self.path))


@dataclass(frozen=True)
class Message:
    """One message to one channel.

    message_id: stable and given by the caller (e.g. a hash of subscription + load + part): the
    outbox takes an id once, so enqueueing the same message again in a later run does nothing.
    mentions: mobiles to @-mention where the channel can; they go into the protocol's mention
    fields only and are never printed in the text.
    text and html default to renderings of the markdown.
    """

    message_id: str
    channel: str
    title: str
    markdown: str
    text: str | None = None
    html: str | None = None
    mentions: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    language: str = "zh"
    extra: dict = field(default_factory=dict)  # plain data for the generic webhook (e.g. counts)

    def __post_init__(self):
        if not self.message_id or not self.channel:
            raise ValueError("消息需要 message_id 和 channel / a message needs a message_id and a "
                             "channel")
        if self.language not in LANGUAGES:
            raise ValueError(f"语言应为 {'|'.join(LANGUAGES)} / language must be one of "
                             f"{', '.join(LANGUAGES)}: {self.language}")
        object.__setattr__(self, "mentions", tuple(dict.fromkeys(str(m) for m in self.mentions)))
        object.__setattr__(self, "attachments", tuple(
            a if isinstance(a, Attachment) else Attachment(*a) for a in self.attachments))

    @property
    def plain_text(self) -> str:
        return self.text if self.text is not None else markup.markdown_to_text(self.markdown)

    @property
    def html_body(self) -> str:
        if self.html is not None:
            return self.html
        return markup.html_document(self.title, markup.markdown_to_html(self.markdown),
                                    self.language)

    def to_json(self) -> str:
        return json.dumps({
            "message_id": self.message_id, "channel": self.channel, "title": self.title,
            "markdown": self.markdown, "text": self.text, "html": self.html,
            "mentions": list(self.mentions),
            "attachments": [{"name": a.name, "path": str(a.path)} for a in self.attachments],
            "language": self.language, "extra": self.extra,
        }, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Message":
        data = json.loads(text)
        data["mentions"] = tuple(data.get("mentions", ()))
        data["attachments"] = tuple(Attachment(a["name"], Path(a["path"]))
                                    for a in data.get("attachments", ()))
        return cls(**data)
