"""The view a URL carries: page, organization, campaign, language, the overview's ranking, the
dues page's month and range, and the progress page's period."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

from dashboard.i18n import normalize_lang

PAGES = ("overview", "registration", "transfers", "cadres", "dues", "quality", "progress",
         "help")
PATHS = {"overview": "/", "registration": "/registration", "transfers": "/transfers",
         "cadres": "/cadres", "dues": "/dues", "quality": "/quality", "progress": "/progress",
         "help": "/help"}
# Unknown parameters are ignored; these are the ones a view keeps (URL name -> field).
KEYS = ("org", "campaign", "month", "since", "from", "rank", "lang")
FIELDS = {"from": "from_load"}
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class View:
    page: str = "overview"
    org: str | None = None
    campaign: str | None = None
    rank: str | None = None
    lang: str = "zh"
    month: str | None = None  # 'YYYY-MM': the dues page's month (default: the latest)
    # 'YYYY-MM': the start of the dues page's range (default: 11 months before); on the progress
    # page 'YYYY-MM-DD': compare with the latest load on or before that day
    since: str | None = None
    from_load: int | None = None  # the progress page: compare with this load (URL `from`)

    def href(self, **changes) -> str:
        """The URL of this view with some fields changed (e.g. another org or language)."""
        v = replace(self, **changes) if changes else self
        values = {k: getattr(v, FIELDS.get(k, k)) for k in KEYS}
        params = {k: value for k, value in values.items() if value not in (None, "")}
        query = urlencode(params)
        return PATHS[v.page] + (f"?{query}" if query else "")

    def search(self, **changes) -> str:
        href = self.href(**changes)
        return href[href.index("?"):] if "?" in href else ""


def parse(pathname: str | None, search: str | None) -> View:
    """The view of a URL; unknown pages fall back to the overview, unknown values are dropped."""
    path = (pathname or "/").rstrip("/") or "/"
    page = next((p for p, pp in PATHS.items() if pp == path), "overview")
    q = parse_qs((search or "").lstrip("?"), keep_blank_values=False)

    def one(key: str, limit: int = 200) -> str | None:
        values = q.get(key)
        if not values:
            return None
        value = values[0].strip()
        return value[:limit] or None

    def month(key: str) -> str | None:
        value = one(key, 7)
        return value if value and _MONTH.fullmatch(value) else None

    def day(key: str) -> str | None:
        value = one(key, 10)
        if not value or not _DAY.fullmatch(value):
            return None
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return None

    def load(key: str) -> int | None:
        value = one(key, 9)
        return int(value) if value and value.isdigit() and int(value) > 0 else None

    # `since` is a month on the dues page and a day on the progress page; elsewhere it is kept
    # as the dues page reads it.
    since = day("since") if page == "progress" else month("since")
    return View(page=page, org=one("org"), campaign=one("campaign"), rank=one("rank", 40),
                lang=normalize_lang(one("lang")), month=month("month"), since=since,
                from_load=load("from") if page == "progress" else None)
