"""The view a URL carries: page, organization, campaign, language and the overview's ranking."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

from dashboard.i18n import normalize_lang

PAGES = ("overview", "registration", "transfers", "cadres", "quality")
PATHS = {"overview": "/", "registration": "/registration", "transfers": "/transfers",
         "cadres": "/cadres", "quality": "/quality"}
# Unknown parameters are ignored; these are the ones a view keeps.
KEYS = ("org", "campaign", "rank", "lang")


@dataclass(frozen=True)
class View:
    page: str = "overview"
    org: str | None = None
    campaign: str | None = None
    rank: str | None = None
    lang: str = "zh"

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

    return View(page=page, org=one("org"), campaign=one("campaign"), rank=one("rank", 40),
                lang=normalize_lang(one("lang")))
