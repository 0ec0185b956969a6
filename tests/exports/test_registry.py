"""Every page joins the meeting pack, and every chart it names is registered and builds."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from dashboard import charts
from dashboard.pages import PAGES
from exports.content import page_items
from exports.items import ChartItem, ListItem
from tests.exports.conftest import view_ctx


@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_page_contributes_to_the_pack(store, page):
    """A page of dashboard.pages.PAGES (one added later too) defines pack_items, and gives the
    pack at least one chart or list for an organization with a campaign."""
    module = PAGES[page]
    assert callable(getattr(module, "pack_items", None)), (
        f"dashboard/pages/{page}.py has no pack_items(store, ctx): the meeting pack misses it")
    items = module.pack_items(store, view_ctx(store))
    assert items, f"the {page} page gives the meeting pack nothing"
    assert all(isinstance(i, (ChartItem, ListItem)) for i in items)


def test_every_chart_in_the_pack_is_registered_and_valid(store):
    """Each ChartItem names a chart of dashboard.charts, which builds a valid plotly figure
    with a title and a reading."""
    ctx = view_ctx(store)
    keys = [i.key for _, i in page_items(store, ctx) if isinstance(i, ChartItem)]
    assert len(keys) == len(set(keys))
    for key in keys:
        assert key in charts.CHARTS, key
        built = charts.build(store, ctx, key)
        assert built is not None, key
        go.Figure(built.figure)  # raises on an invalid figure
        assert charts.title_of(built.figure), key
        assert built.reading, key


def test_lists_are_the_four_follow_up_lists(store):
    """The pack's follow-up lists: lagging branches, stuck transfers, out-of-scope cadres (and
    the dues page's members 6+ months in arrears when it declares them)."""
    keys = [i.key for _, i in page_items(store, view_ctx(store)) if isinstance(i, ListItem)]
    assert {"lagging_branches", "stuck_transfers", "out_of_scope_cadres"} <= set(keys)
    assert len(keys) == len(set(keys))


def test_chart_keys_are_the_graph_ids_shown_on_the_pages(store):
    """A registered chart's key is the id of the dcc.Graph its page shows (so its menu
    downloads the chart the user sees)."""
    from tests.dashboard.conftest import find, render_all

    paths = {"overview": "/", "registration": "/registration", "transfers": "/transfers",
             "cadres": "/cadres", "quality": "/quality", "dues": "/dues"}
    shown = set()
    for page, path in paths.items():
        tree = render_all(store, path, "?org=U")
        shown |= {k for k in charts.CHARTS if find(tree, k) is not None}
    for key in charts.CHARTS:
        if key.split("-")[0] in paths:
            assert key in shown, f"{key} is registered but not shown"
