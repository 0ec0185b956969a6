"""What a page gives the meeting pack: its key charts and its follow-up lists.

Each page module has `pack_items(store, ctx) -> list` of these, in the order the pack shows
them; a page added later joins the pack by defining it (tests/exports/test_registry.py fails for
a page that gives nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChartItem:
    """A chart of dashboard.charts.CHARTS (built for the pack's view, with its reading)."""

    key: str


@dataclass(frozen=True)
class ListItem:
    """A follow-up list: the whole list in the workbook (one sheet), its first rows in the PDF
    and the slides.

    spec: the page's grids.GridSpec (its columns, its fetch, and its present called with the
    view's reveal: names and mobiles masked unless the account may see them; ID numbers always).
    params: extra arguments of spec.fetch (e.g. at_risk_only=True); sort: its :sort value.
    """

    key: str  # the list's id (e.g. "lagging_branches")
    title: str  # translation key of its title (also the sheet's name)
    spec: object
    params: dict = field(default_factory=dict)
    sort: str | None = None
    descending: bool = False
    hint: str | None = None  # translation key of one line saying what to do with it
