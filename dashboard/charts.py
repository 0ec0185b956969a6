"""Charts with an export menu: each chart is registered under a key (its graph id) with the
function that builds it for a view, shows a PNG / SVG / PDF menu next to it, and is rebuilt on
the server for a download (never taken from what the browser posts)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Input, Output, State, dcc, html, no_update

from dashboard import components, context, helptips
from dashboard.context import Context
from dashboard.i18n import fmt_date, t
from dashboard.store import DataStore
from dashboard.view import parse


@dataclass
class Built:
    """A chart built for one view: the figure (a plain dict) and its one-line reading."""

    figure: dict
    reading: str | None = None


@dataclass(frozen=True)
class ChartDef:
    key: str
    build: Callable  # (store, ctx) -> Built | None
    needs_campaign: bool = False


# key (the chart's graph id, unique across the app) -> its definition
CHARTS: dict[str, ChartDef] = {}


def chart(key: str, *, needs_campaign: bool = False):
    """Register a chart builder `fn(store, ctx) -> Built` under a key unique across the app."""
    def register(fn: Callable) -> Callable:
        CHARTS[key] = ChartDef(key, fn, needs_campaign)
        return fn
    return register


def build(store: DataStore, ctx: Context, key: str) -> Built | None:
    """The chart for the view, or None (an unknown key, or no campaign where one is needed)."""
    import dashboard.pages  # noqa: F401 - the pages register their charts when imported

    found = CHARTS.get(key)
    if found is None or (found.needs_campaign and ctx.campaign is None):
        return None
    return found.build(store, ctx)


def title_of(figure: dict) -> str:
    title = (figure.get("layout") or {}).get("title")
    return (title.get("text") if isinstance(title, dict) else title) or ""


def graph(key: str, figure: dict, lang: str) -> html.Div:
    """The chart (dcc.Graph with id `key`) with its download menu above its top-right corner."""
    items = [dbc.DropdownMenuItem(t(f"chart_as_{fmt}", lang),
                                  id={"type": "chart-export", "key": key, "fmt": fmt})
             for fmt in ("png", "svg", "pdf")]
    menu = dbc.DropdownMenu(items, label=t("chart_download", lang), size="sm", color="light",
                            align_end=True, className="chart-menu",
                            toggle_class_name="chart-menu-toggle",
                            id={"type": "chart-menu", "key": key})
    return html.Div([
        html.Div([helptips.button(title_of(figure), key, lang), menu,
                  dcc.Download(id={"type": "chart-file", "key": key}),
                  html.Span(id={"type": "chart-note", "key": key}, className="chart-note")],
                 className="chart-tools"),
        components.graph(key, figure),
    ], className="chart-box")


def subtitle(ctx: Context) -> str:
    """The organization and the as-of date, as every exported chart and pack page carries them
    (after 演示数据 / demo data when the data is the generator's)."""
    text = t("export_subtitle", ctx.lang, org=ctx.org["full_name"],
             date=fmt_date(ctx.info["as_of"], ctx.lang))
    return f"{t('demo_data_note', ctx.lang)} · {text}" if ctx.info.get("is_demo") else text


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def file_name(ctx: Context, title: str, ext: str) -> str:
    """`{organization}_{figure}_{as-of yyyymmdd}.{ext}`, safe on every file system."""
    parts = [ctx.org["full_name"], title, ctx.info["as_of"].strftime("%Y%m%d")]
    return "_".join(_UNSAFE.sub("_", p).strip("_") for p in parts if p) + f".{ext}"


def export(store: DataStore, key: str, fmt: str, pathname, search, *, reveal: bool = False):
    """(download data, note) for one chart of the URL's view in one format. The note is the one
    line that says why there is no file (no chromium), else empty."""
    from exports import audit, render

    view = parse(pathname, search)
    ctx = context.resolve(store, view, reveal=reveal)
    if ctx.problem is not None or fmt not in render.FORMATS:
        return no_update, no_update
    built = build(store, ctx, key)
    if built is None:
        return no_update, no_update
    missing = render.problem()
    if missing:
        return no_update, missing
    title = title_of(built.figure)
    fig = render.for_print(built.figure, title=title, subtitle=subtitle(ctx))
    data = render.renderer().render(fig, fmt)
    audit.record("chart_download", ctx, chart=key, format=fmt)
    return dcc.send_bytes(data, file_name(ctx, title, fmt)), ""


def register(app, store: DataStore, *, reveal: bool = False) -> None:
    @app.callback(Output({"type": "chart-file", "key": MATCH}, "data"),
                  Output({"type": "chart-note", "key": MATCH}, "children"),
                  Input({"type": "chart-export", "key": MATCH, "fmt": ALL}, "n_clicks"),
                  State("url", "pathname"), State("url", "search"), prevent_initial_call=True)
    def on_export(clicks, pathname, search):
        from dash import ctx as dash_ctx

        picked = dash_ctx.triggered_id
        if not isinstance(picked, dict) or not any(clicks or []):
            return no_update, no_update
        return export(store, picked["key"], picked["fmt"], pathname, search, reveal=reveal)
