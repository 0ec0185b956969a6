"""The help entries, read once from helptext/topics/*.toml and checked: both languages, the fields
every entry needs, and each title key (the translation key of a card or chart title) claimed by
one entry only."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib.resources import files

LANGS = ("zh", "en")
# What each language's table of an entry says; action only for what an operator must act on.
REQUIRED = ("title", "definition", "example")
OPTIONAL = ("action", "keywords")
# The parts of an entry read from the loaded database (helptext/dynamic.py).
DYNAMIC = ("campaign", "cadre_rules", "dues_standard", "seat_quota")
PAGES = ("overview", "registration", "transfers", "cadres", "dues", "quality", "progress")


@dataclass(frozen=True)
class Text:
    title: str
    definition: str
    example: str
    action: str | None
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    key: str                      # the anchor: /help#key
    topic: str                    # the file it comes from (registration, cadres, ...)
    order: int                    # its place on the Help page
    titles: tuple[str, ...]       # translation keys of the card and chart titles it explains
    pages: tuple[str, ...]        # where it shows
    related: tuple[str, ...]      # other entries' keys
    dynamic: str | None           # one of DYNAMIC
    followup: str | None          # the CONTRACT §4 kind it is, if any
    zh: Text
    en: Text

    def text(self, lang: str) -> Text:
        return self.en if lang == "en" else self.zh


# The topics in the order the Help page shows them.
TOPICS = ("overview", "registration", "transfers", "cadres", "dues", "quality", "progress",
          "platform")


class HelpDataError(ValueError):
    """A help file that is not as this module expects (a test loads every file)."""


def _text(topic: str, key: str, lang: str, table) -> Text:
    if not isinstance(table, dict):
        raise HelpDataError(f"{topic}.toml [{key}]: no [{key}.{lang}] table")
    missing = [f for f in REQUIRED if not str(table.get(f) or "").strip()]
    unknown = sorted(set(table) - set(REQUIRED) - set(OPTIONAL))
    if missing or unknown:
        raise HelpDataError(f"{topic}.toml [{key}.{lang}]: missing {missing}, unknown {unknown}")
    return Text(title=table["title"].strip(), definition=table["definition"].strip(),
                example=table["example"].strip(),
                action=(table.get("action") or "").strip() or None,
                keywords=tuple(table.get("keywords") or ()))


def _entry(topic: str, order: int, key: str, table: dict) -> Entry:
    known = {"titles", "pages", "related", "dynamic", "followup", *LANGS}
    unknown = sorted(set(table) - known)
    if unknown:
        raise HelpDataError(f"{topic}.toml [{key}]: unknown keys {unknown}")
    dynamic = table.get("dynamic")
    if dynamic is not None and dynamic not in DYNAMIC:
        raise HelpDataError(f"{topic}.toml [{key}]: dynamic must be one of {DYNAMIC}")
    pages = tuple(table.get("pages") or ())
    if set(pages) - set(PAGES):
        raise HelpDataError(f"{topic}.toml [{key}]: unknown pages {set(pages) - set(PAGES)}")
    return Entry(key=key, topic=topic, order=order, titles=tuple(table.get("titles") or ()),
                 pages=pages, related=tuple(table.get("related") or ()), dynamic=dynamic,
                 followup=table.get("followup"),
                 zh=_text(topic, key, "zh", table.get("zh")),
                 en=_text(topic, key, "en", table.get("en")))


@functools.cache
def entries() -> tuple[Entry, ...]:
    """Every entry, topic by topic in the files' order."""
    folder = files("helptext") / "topics"
    out: list[Entry] = []
    for topic in TOPICS:
        with (folder / f"{topic}.toml").open("rb") as f:
            data = tomllib.load(f)
        for key, table in data.items():
            out.append(_entry(topic, len(out), key, table))
    keys = [e.key for e in out]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise HelpDataError(f"entries defined twice: {twice}")
    claimed: dict[str, str] = {}
    for e in out:
        for title in e.titles:
            if title in claimed:
                raise HelpDataError(f"title key {title} claimed by {claimed[title]} and {e.key}")
            claimed[title] = e.key
        unknown = sorted(set(e.related) - set(keys))
        if unknown:
            raise HelpDataError(f"[{e.key}] related names no entry: {unknown}")
    return tuple(out)


@functools.cache
def _by_key() -> dict[str, Entry]:
    return {e.key: e for e in entries()}


@functools.cache
def _by_title() -> dict[str, Entry]:
    return {title: e for e in entries() for title in e.titles}


def entry(key: str) -> Entry | None:
    """The entry of this key (the anchor of /help#key), or None."""
    return _by_key().get(key)


def for_title_key(title_key: str) -> Entry | None:
    """The entry that explains a card or chart whose title is this translation key."""
    return _by_title().get(title_key)
