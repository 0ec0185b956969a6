"""What a meeting pack contains, gathered once for all three files: the cover's facts, the key
figures with their change since the previous load, each page's key charts (drawn as PNG) with
their readings, and the follow-up lists (masked as the view allows)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandas as pd

from dashboard import charts
from dashboard.context import Context
from dashboard.i18n import fmt_date, fmt_datetime, fmt_delta, fmt_delta_pct, t
from dashboard.store import DataStore
from exports.items import ChartItem, ListItem

log = logging.getLogger("zhtj.exports")

LIST_ROWS = 1_000_000  # a workbook sheet holds the whole list (Excel's limit is 1,048,576)
DRAW_AT_ONCE = 4  # charts drawn per call (in parallel on the renderer's tabs)
PACK_WIDTH = 1200  # px of a chart in the pack (drawn at render.SCALE)
PACK_HEIGHT = 600  # at least: a chart fills most of an A4 landscape page

# progress(fraction 0..1, message)
Progress = Callable[[float, str], None]


def _quiet(fraction: float, message: str) -> None:
    pass


@dataclass
class ChartOut:
    key: str
    page: str  # the page's name (view.PAGES)
    title: str
    reading: str | None
    figure: dict  # laid out for paper, without its title (the pack writes it as text)
    png: bytes | None = None


@dataclass
class ListOut:
    key: str
    title: str
    hint: str | None
    columns: list[str]  # headers in the pack's language
    widths: list[int]  # the grid's column widths (px), for the workbook and the tables
    rows: pd.DataFrame  # the whole list as people read it (masked), columns = headers
    total: int


@dataclass
class Pack:
    lang: str
    org: dict
    as_of: dt.datetime
    built_by: str
    built_at: dt.datetime
    masked: bool
    campaign: dict | None
    kpis: list[dict] = field(default_factory=list)  # label, value, change, direction, note
    charts: list[ChartOut] = field(default_factory=list)
    lists: list[ListOut] = field(default_factory=list)
    since: object | None = None  # exports.since.SinceOut: the "since the last meeting" part
    is_demo: bool = False  # built from the generator's data: every file says 演示数据 / demo data
    timings: dict = field(default_factory=dict)  # step -> seconds

    @property
    def org_name(self) -> str:
        return self.org["full_name"]

    def t(self, key: str, **fmt) -> str:
        return t(key, self.lang, **fmt)

    @property
    def as_of_text(self) -> str:
        return fmt_date(self.as_of, self.lang)

    @property
    def built_at_text(self) -> str:
        return fmt_datetime(self.built_at, self.lang)

    def page_title(self, page: str) -> str:
        return t(f"page_{page}", self.lang)

    @property
    def demo_note(self) -> str:
        """演示数据（虚构，非真实组织） for demo data, else empty."""
        return t("demo_data_note", self.lang) if self.is_demo else ""


def _kpis(store: DataStore, ctx: Context) -> list[dict]:
    from dashboard.pages import overview

    out = []
    for k in overview.kpis(ctx, overview.figures_of(store, ctx)):
        delta = k["delta"]
        if delta is None:
            change, direction = "—", "flat"
        else:
            change = (fmt_delta_pct(delta, ctx.lang) if k["delta_is_rate"]
                      else fmt_delta(delta, ctx.lang))
            direction = ("flat" if delta == 0 else
                         "good" if (delta > 0) == k["good_when_up"] else "bad")
        out.append({"key": k["card_id"], "label": k["label"], "value": k["value"],
                    "change": change, "direction": direction, "note": k["sub"] or ""})
    return out


def page_items(store: DataStore, ctx: Context) -> list[tuple[str, object]]:
    """(page, item) of every page of the app, in the pages' order."""
    from dashboard.pages import PAGES

    out = []
    for name, module in PAGES.items():
        contribute = getattr(module, "pack_items", None)
        for item in (contribute(store, ctx) if contribute else []):
            out.append((name, item))
    return out


def fetch_list(store: DataStore, ctx: Context, item: ListItem, *, limit: int = LIST_ROWS):
    """The whole follow-up list as people read it (headers in the view's language) and its
    total count."""
    spec = item.spec
    frame, total = spec.fetch(store, ctx, offset=0, limit=limit, sort=item.sort,
                              descending=item.descending, name_filter=None, **item.params)
    shown = spec.present(frame, ctx.lang, reveal=ctx.reveal) if len(frame) else pd.DataFrame(
        {c.key: [] for c in spec.columns})
    shown = shown[[c.key for c in spec.columns]]
    shown.columns = [t(c.label, ctx.lang) for c in spec.columns]
    return shown.reset_index(drop=True), int(total)


def collect(store: DataStore, ctx: Context, *, built_by: str,
            progress: Progress = _quiet, draw: bool = True, since: dt.date | None = None
            ) -> Pack:
    """Everything the pack shows for the view's organization (ctx from context.resolve: its
    reveal decides whether names and mobiles are masked). draw=False skips the PNGs (for the
    workbook alone, or where chromium is absent). since: the start of the "since the last
    meeting" part (default: the previous pack built for the organization)."""
    from exports import render
    from exports import since as since_part

    started = time.perf_counter()
    lang = ctx.lang
    pack = Pack(lang=lang, org=ctx.org, as_of=ctx.info["as_of"], built_by=built_by,
                built_at=dt.datetime.now().replace(microsecond=0), masked=not ctx.reveal,
                campaign=ctx.campaign, is_demo=bool(ctx.info.get("is_demo")))
    progress(0.02, t("pack_step_figures", lang))
    pack.kpis = _kpis(store, ctx)
    pack.since = since_part.collect(store, ctx, since)
    # The progress page's charts show the period of the "since the last meeting" part.
    period_ctx = (replace(ctx, cache={**ctx.cache, "progress_period": pack.since.period})
                  if pack.since is not None else ctx)
    items = page_items(store, ctx)
    chart_items = [(p, i) for p, i in items if isinstance(i, ChartItem)]
    list_items = [(p, i) for p, i in items if isinstance(i, ListItem)]
    for page, item in chart_items:
        try:
            built = charts.build(store, period_ctx if page == "progress" else ctx, item.key)
        except Exception:  # noqa: BLE001 - one broken chart must not cost the meeting its pack
            log.exception("pack: chart %s failed for %s", item.key, ctx.org["org_id"])
            continue
        if built is None or not built.figure.get("data"):
            continue  # nothing to show here (no campaign, no data): no empty page in a meeting
        title = charts.title_of(built.figure)
        figure = render.for_print(built.figure, title="", width=PACK_WIDTH,
                                  min_height=PACK_HEIGHT)
        pack.charts.append(ChartOut(item.key, page, title, built.reading, figure))
    pack.timings["figures"] = time.perf_counter() - started

    mark = time.perf_counter()
    progress(0.12, t("pack_step_lists", lang))
    for _, item in list_items:
        try:
            rows, total = fetch_list(store, ctx, item)
        except Exception:  # noqa: BLE001 - as for charts: logged, and the pack goes on
            log.exception("pack: list %s failed for %s", item.key, ctx.org["org_id"])
            continue
        spec = item.spec
        pack.lists.append(ListOut(item.key, t(item.title, lang),
                                  t(item.hint, lang) if item.hint else None,
                                  list(rows.columns), [c.width or 120 for c in spec.columns],
                                  rows, total))
    pack.timings["lists"] = time.perf_counter() - mark

    if draw:
        mark = time.perf_counter()
        r = render.renderer()
        n = len(pack.charts)
        for i in range(0, n, DRAW_AT_ONCE):
            batch = pack.charts[i:i + DRAW_AT_ONCE]
            progress(0.2 + 0.55 * i / max(n, 1),
                     t("pack_step_charts", lang, i=i + len(batch), n=n))
            for c, png in zip(batch, r.render_many([c.figure for c in batch], "png")):
                c.png = png
        pack.timings["charts"] = time.perf_counter() - mark
    return pack
