"""The 演示数据 / demo data badge: in the header of every page, on the login and admin pages, and
the note that downloads and packs carry, when the published data is the generator's."""

from __future__ import annotations

from html import escape

from dash import html

from dashboard.context import Context, load_info
from dashboard.i18n import t
from dashboard.store import DataStore, NoData


def is_demo(ctx: Context) -> bool:
    return bool(ctx.info.get("is_demo"))


def store_is_demo(store: DataStore | None) -> bool:
    """Whether the published database is a demo (no database yet: no)."""
    if store is None:
        return False
    try:
        return bool(load_info(store).get("is_demo"))
    except NoData:
        return False


def note(lang: str) -> str:
    """The line a download or a pack starts with: 演示数据（虚构，非真实组织）."""
    return t("demo_data_note", lang)


def badge(ctx: Context, *, where: str = "title"):
    """The header's badge; `where` is "title" (beside the title, from 992 px up) or "bar" (in the
    phone's as-of line, so the folded header keeps its height). None for real data."""
    if not is_demo(ctx):
        return None
    lang = ctx.lang
    shown = "d-none d-lg-inline-block" if where == "title" else "d-lg-none me-2"
    return html.Span(t("demo_data", lang), title=t("demo_data_hint", lang),
                     id="demo-badge" if where == "title" else "demo-badge-bar",
                     className=f"badge app-demo-badge {shown}")


def ribbon_html(store: DataStore | None, lang: str) -> str:
    """The same notice for the plain pages (login, admin): a strip across the top."""
    if not store_is_demo(store):
        return ""
    return (f'<div class="bg-warning text-dark text-center small py-1 fw-semibold" '
            f'id="demo-ribbon" role="note">{escape(t("demo_data", lang))} · '
            f'{escape(t("demo_data_hint", lang))}</div>')
