"""The view a URL carries: page, organization, campaign, language, the overview's ranking and the
dues page's month and range."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

from dashboard.i18n import normalize_lang

PAGES = ("overview", "registration", "transfers", "cadres", "dues", "quality")
PATHS = {"overview": "/", "registration": "/registration", "transfers": "/transfers",
         "cadres": "/cadres", "dues": "/dues", "quality": "/quality"}
# Unknown parameters are ignored; these are the ones a view keeps.
KEYS = ("org", "campaign", "month", "since", "rank", "lang")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@dataclass(frozen=True)
class View:
    page: str = "overview"
    org: str | None = None
    campaign: str | None = None
    rank: str | None = None
    lang: str = "zh"
    month: str | None = None  # 'YYYY-MM': the dues page's month (default: the latest)
    since: str | None = None  # 'YYYY-MM': the start of its range (default: 11 months before)

    def href(self, **changes) -> str:
        """The URL of this view with some fields changed (e.g. another org or language)."""
        v = replace(self, **changes) if changes else self
        params = {k: getattr(v, k) for k in KEYS if getattr(v, k)}
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

    return View(page=page, org=one("org"), campaign=one("campaign"), rank=one("rank", 40),
                lang=normalize_lang(one("lang")), month=month("month"), since=month("since"))
