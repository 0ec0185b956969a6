"""A published database of the hand-written province, and helpers to read rendered pages."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.store import DataStore
from tests.queries import province

AS_OF = dt.datetime(2024, 10, 8, 12, 0, 0)


@pytest.fixture(scope="session")
def province_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("dash") / "zhtj.duckdb"
    province.build_db(db, province.DATA, as_of=AS_OF)
    return db


@pytest.fixture()
def store(province_db):
    return DataStore(province_db)


def find(component, component_id: str):
    """The component with this id anywhere in a Dash layout tree (None when absent)."""
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    if children is None:
        return None
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            hit = find(child, component_id)
            if hit is not None:
                return hit
    return None


def text(component) -> str:
    """All the text under a component, joined."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    children = getattr(component, "children", None)
    if children is None:
        return ""
    items = children if isinstance(children, (list, tuple)) else [children]
    return " ".join(text(c) for c in items)


def revealed():
    """Act as the local account with names and mobiles in full (as an operator sees them)."""
    from dashboard.access import acting_as, local_account

    return acting_as(local_account(reveal=True))


def render_all(store, pathname: str, search: str, *, reveal: bool = False):
    """The page as the browser ends up with it: the frame, then every lazy section filled by
    its own callback (called here directly), as the local account (whole tree)."""
    from dashboard.access import acting_as, current, local_account
    from dashboard.app import render_view

    account = current() if not reveal else local_account(reveal=True)
    with acting_as(account):
        page = render_view(store, pathname, search)
        _expand(page, store, pathname, search)
    return page


def _expand(component, store, pathname, search):
    from dashboard import lazy

    cid = getattr(component, "id", None)
    if isinstance(cid, dict) and cid.get("type") == "lazy":
        component.children = lazy.render(store, cid["key"], pathname, search)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            _expand(child, store, pathname, search)
