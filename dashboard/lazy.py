"""Sections of a page rendered by their own callback, after the page's frame.

A page lays out placeholders; each placeholder's callback (one request per section, in
parallel on the server's threads) reads its own queries and builds its figures. The frame shows
at once, and no callback does the whole page's work.
"""

from __future__ import annotations

from collections.abc import Callable

import dash_bootstrap_components as dbc
from dash import MATCH, Input, Output, State, html

from dashboard import context
from dashboard.shell import problem
from dashboard.store import DataStore
from dashboard.view import parse

# key -> fn(store, ctx) -> Dash children
SECTIONS: dict[str, Callable] = {}


def section(key: str, *, needs_campaign: bool = False):
    """Register a section builder under a key unique across the app (e.g. 'registration.curve').
    needs_campaign: the section shows nothing where no campaign concerns the organization."""
    def register(fn: Callable) -> Callable:
        SECTIONS[key] = (lambda store, ctx: None if ctx.campaign is None else fn(store, ctx)
                         ) if needs_campaign else fn
        return fn
    return register


def placeholder(key: str, *, height: int = 120) -> html.Div:
    return html.Div(dbc.Spinner(color="primary", size="sm"),
                    id={"type": "lazy", "key": key}, className="lazy-section",
                    style={"minHeight": f"{height}px"})


def render(store: DataStore, key: str, pathname: str | None, search: str | None):
    """A section's content for the URL's view (the same view the frame was rendered for)."""
    if not isinstance(key, str) or key not in SECTIONS:
        return None
    view = parse(pathname, search)
    ctx = context.resolve(store, view)
    if ctx.problem is not None:
        return problem(view, ctx)
    return SECTIONS[key](store, ctx)


def register(app, store: DataStore, **_) -> None:
    @app.callback(Output({"type": "lazy", "key": MATCH}, "children"),
                  Input({"type": "lazy", "key": MATCH}, "id"),
                  State("url", "pathname"), State("url", "search"))
    def fill(component_id, pathname, search):
        key = component_id.get("key") if isinstance(component_id, dict) else None
        return render(store, key, pathname, search)
