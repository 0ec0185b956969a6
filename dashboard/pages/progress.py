"""Progress (进展): what was fixed, what is new and what still waits since an earlier load, per
kind of follow-up item; the open items load by load; the organizations below ranked by how they
respond; and the lists of items resolved, new and open over 14 days, with whom to contact.

The figures come from followups (the same the meeting pack and the alerts show). The default
period (the previous load to the latest) reads what the load kept; an earlier one is computed
once per published file and organization."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

import followups
from dashboard import charts, components, context, figures, grids, lazy, navigator
from dashboard import progress_figures as pfig
from dashboard.context import Context
from dashboard.i18n import fmt_date, fmt_days, fmt_delta, fmt_int, fmt_pct, t
from dashboard.progress_lists import period, spec
from dashboard.store import DataStore
from dashboard.view import parse
from exports.items import ChartItem

BRANCH = 5  # 组织类型 团支部: nothing below it to rank
SHOWN_CHILDREN = 15  # bars in the chart (the table lists every child)


def tree_color(ctx: Context) -> tuple[str, str]:
    return ("completion_approved", "rate") if ctx.campaign else ("reviews_pending", "count_bad")


def _cached(store: DataStore, ctx: Context, name: str, compute):
    """compute(cur) once per published file, organization and period where the period is not
    the one the load kept (its figures are then computed from the items)."""
    p = period(store, ctx)
    if p.is_kept:
        with store.cursor() as cur:
            return compute(cur)
    return store.cached(("progress", name, ctx.org["seq"], p.from_load), compute)


def summary(store: DataStore, ctx: Context) -> list[dict]:
    return _cached(store, ctx, "summary",
                   lambda cur: followups.summary(cur, ctx.scope, period(store, ctx)))


def burndown(store: DataStore, ctx: Context) -> pd.DataFrame:
    with store.cursor() as cur:
        return followups.burndown(cur, ctx.scope, period(store, ctx))


def children(store: DataStore, ctx: Context) -> pd.DataFrame:
    return _cached(store, ctx, "children",
                   lambda cur: followups.children(cur, ctx.scope, period(store, ctx)))


def load_label(load: followups.Load, lang: str) -> str:
    return t("progress_load_label", lang, date=fmt_date(load.as_of, lang), n=load.load_id)


# --- the period -----------------------------------------------------------------------------

def period_bar(store: DataStore, ctx: Context) -> html.Div:
    lang = ctx.lang
    p = period(store, ctx)
    earlier = store.cached("progress_loads", followups.loads)[1:]
    end = load_label(p.end, lang)
    said = (t("progress_period", lang, start=load_label(p.start, lang), end=end) if p.start
            else t("progress_no_start", lang, end=end))
    first = earlier[-1].as_of.date().isoformat() if earlier else p.end.as_of.date().isoformat()
    return html.Div([
        html.Span(t("progress_compare_with", lang), className="me-2 fw-semibold"),
        dcc.Dropdown(id="progress-from", value=p.from_load, clearable=False, searchable=False,
                     options=[{"label": load_label(o, lang), "value": o.load_id}
                              for o in earlier],
                     placeholder="—", className="load-picker", style={"minWidth": "15rem"}),
        html.Span(t("progress_or_since", lang), className="ms-sm-3 me-2"),
        # A text box, not the browser's date box: that one speaks the browser's language.
        dcc.Input(id="progress-since", type="text", value=ctx.view.since, debounce=True,
                  placeholder=t("progress_since_placeholder", lang, date=first),
                  pattern=r"\d{4}-\d{2}-\d{2}", maxLength=10,
                  className="form-control form-control-sm", style={"width": "11rem"}),
        html.Span(t("progress_since_hint", lang), className="text-muted small ms-1"),
        html.Div(said, className="w-100 text-muted small mt-1", id="progress-period"),
    ], className="d-flex align-items-center flex-wrap gap-1 mt-3 mb-2")


# --- the page -----------------------------------------------------------------------------

def layout(store: DataStore, ctx: Context):
    lang = ctx.lang
    try:
        bar = period_bar(store, ctx)
    except followups.NoLoad:
        return dbc.Alert(t("no_data", lang), color="info", className="mt-3", id="progress-none")
    lists = [dbc.Row([components.section(
        t(f"progress_list_{which}", lang),
        html.P(t(f"progress_list_{which}_hint", lang), className="text-muted"),
        grids.layout(spec(which), lang))]) for which in followups.LISTS]
    return html.Div([
        bar,
        lazy.placeholder("progress.summary", height=300),
        dbc.Row([components.section(t("progress_burndown", lang),
                                    lazy.placeholder("progress.burndown", height=380))]),
        *([] if ctx.org["org_type"] == BRANCH else [
            dbc.Row([components.section(
                t("progress_children", lang),
                html.P(t("progress_children_hint", lang), className="text-muted"),
                lazy.placeholder("progress.children", height=400))])]),
        *lists,
    ])


def reading(rows: list[dict], p: followups.Period, lang: str) -> str:
    total = followups.totals(rows)
    n = {k: fmt_int(total[k], lang) for k in followups.progress.FIGURES}
    if p.start is None:
        return t("progress_reading_no_start", lang, end=load_label(p.end, lang), open=n["open"],
                 over=n["open_over_14_days"])
    return t("progress_reading", lang, start=load_label(p.start, lang), resolved=n["resolved"],
             new=n["new"], open=n["open"], over=n["open_over_14_days"])


def kind_card(row: dict, before: int | None, p: followups.Period, lang: str) -> dbc.Col:
    """One kind: open now, its change since the start, new / resolved / over 14 days, and what
    the operator does about it."""
    kind = row["kind"]
    parts = [html.Div(t(f"followup_kind_{kind}", lang), className="kpi-label"),
             html.Div(pfig.fmt_items(row["open"], lang), className="kpi-value",
                      id=f"progress-{kind}-value")]
    if p.start is not None:
        parts.append(html.Div(t("progress_card_sub", lang, new=fmt_int(row["new"], lang),
                                resolved=fmt_int(row["resolved"], lang),
                                over=fmt_int(row["open_over_14_days"], lang)),
                              className="kpi-sub", id=f"progress-{kind}-sub",
                              style={"wordBreak": "keep-all"}))
        if before is not None:
            delta = int(row["open"]) - int(before)
            direction = "flat" if delta == 0 else ("bad" if delta > 0 else "good")
            text = fmt_delta(delta, lang)
            parts.append(html.Div([text, html.Span(
                t("progress_since_start", lang, date=fmt_date(p.start.as_of, lang)),
                className="ms-1 text-muted")], className=f"kpi-delta {direction}",
                id=f"progress-{kind}-delta"))
    else:
        parts.append(html.Div(t("progress_card_sub_open", lang,
                                over=fmt_int(row["open_over_14_days"], lang)),
                              className="kpi-sub", id=f"progress-{kind}-sub"))
    parts.append(html.Div(t(f"followup_action_{kind}", lang), className="kpi-sub small mt-1"))
    card = dbc.Card(dbc.CardBody(parts), className="kpi-card h-100", id=f"progress-{kind}")
    return dbc.Col(components.with_help(card, t(f"followup_kind_{kind}", lang),
                                        f"progress-{kind}", lang),
                   xs=12, sm=6, lg=3, className="mb-3")


@lazy.section("progress.summary")
def summary_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    p = period(store, ctx)
    rows = summary(store, ctx)
    down = burndown(store, ctx)
    start = (down[down["load_id"] == p.from_load].set_index("kind")["open"].to_dict()
             if p.start is not None else {})
    cards = [kind_card(r, start.get(r["kind"]), p, lang) for r in rows]
    return html.Div([html.P(reading(rows, p, lang), className="reading", id="progress-reading"),
                     dbc.Row(cards)])


@lazy.section("progress.burndown")
def burndown_section(store: DataStore, ctx: Context):
    built = burndown_chart(store, ctx)
    return html.Div([html.P(built.reading, className="reading", id="progress-burndown-reading"),
                     charts.graph("progress-burndown", built.figure, ctx.lang)])


@charts.chart("progress-burndown")
def burndown_chart(store: DataStore, ctx: Context):
    """The open items of the subtree at each load of the period, by kind."""
    lang = ctx.lang
    down = burndown(store, ctx)
    total = down.groupby("load_id", sort=True)["open"].sum()
    p = period(store, ctx)
    after = pfig.fmt_items(int(total.iloc[-1]) if len(total) else 0, lang)
    if len(total) < 2:
        text = t("progress_burndown_reading_one", lang, date=fmt_date(p.end.as_of, lang),
                 after=after)
    else:
        before = pfig.fmt_items(int(total.iloc[0]), lang)
        way = ("down" if total.iloc[-1] < total.iloc[0] else
               "up" if total.iloc[-1] > total.iloc[0] else "flat")
        text = t(f"progress_burndown_reading_{way}", lang, before=before, after=after)
    return charts.Built(pfig.burndown(down, lang), text)


def children_table(ctx: Context, frame: pd.DataFrame) -> dbc.Table:
    lang = ctx.lang
    rows = [{
        "name": dcc.Link(r["org_name"], href=ctx.view.href(org=r["org_id"])),
        "was_open": fmt_int(r["was_open"], lang),
        "resolved": fmt_int(r["resolved"], lang),
        "rate": fmt_pct(r["response_rate"], lang),
        "median": fmt_days(r["median_days_to_resolve"], lang),
        "open": fmt_int(r["open"], lang),
        "new": fmt_int(r["new"], lang),
        "over": fmt_int(r["open_over_14_days"], lang),
        "oldest": (t("oldest_open_value", lang, date=fmt_date(r["oldest_open_since"], lang),
                     days=fmt_days(r["oldest_open_days"], lang))
                   if pd.notna(r["oldest_open_since"]) else "—"),
    } for _, r in frame.iterrows()]
    cols = [("name", t("organization", lang)), ("was_open", t("col_was_open", lang)),
            ("resolved", t("col_resolved", lang)), ("rate", t("metric_response_rate", lang)),
            ("median", t("col_median_days", lang)), ("open", t("col_open_now", lang)),
            ("new", t("col_new_items", lang)), ("over", t("col_over_14_days", lang)),
            ("oldest", t("col_oldest_open", lang))]
    return components.small_table(cols, rows, "progress-children-table")


@lazy.section("progress.children")
def children_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    frame = children(store, ctx)
    if frame.empty:
        return html.P(t("no_children", lang), className="text-muted")
    built = children_chart(store, ctx, frame)
    return html.Div([
        html.P(built.reading, className="reading", id="progress-children-reading"),
        charts.graph("progress-children-chart", built.figure, lang),
        children_table(ctx, frame),
    ])


@charts.chart("progress-children-chart")
def children_chart(store: DataStore, ctx: Context, frame: pd.DataFrame | None = None):
    """The organizations below, lowest resolution rate first."""
    lang = ctx.lang
    frame = children(store, ctx) if frame is None else frame
    rated = frame.dropna(subset=["response_rate"])
    if rated.empty:
        text = t("progress_children_reading_none", lang)
    else:
        worst = rated.iloc[0]
        text = t("progress_children_reading", lang, org=worst["org_name"],
                 rate=fmt_pct(worst["response_rate"], lang),
                 resolved=fmt_int(worst["resolved"], lang),
                 was_open=fmt_int(worst["was_open"], lang))
    shown = frame.head(SHOWN_CHILDREN)
    return charts.Built(figures.ranked_bars(shown, "response_rate", "rate", lang), text)


def pack_items(store: DataStore, ctx: Context) -> list:
    """The meeting pack's part of this page: the open items load by load and the organizations
    below by how they respond (the pack's "since the last meeting" page has the figures and the
    lists, from followups)."""
    return [ChartItem("progress-burndown"), ChartItem("progress-children-chart")]


def period_search(store: DataStore, view, from_load, since, triggered=()) -> str | None:
    """The URL search for a load or a date picked (triggered: the ids of the pickers that
    changed); None when it changes nothing (Dash also calls the pickers' callback when they
    appear, with the period in effect)."""
    if "progress-since" in triggered and since != view.since:
        since = (since or "").strip()
        if since and parse("/progress", f"?since={since}").since is None:
            return None  # not a day (the box says how to write one)
        return view.search(since=since or None, from_load=None)
    if "progress-from" not in triggered or from_load is None:
        return None
    ctx = context.resolve(store, view)
    if ctx.problem is not None or from_load == period(store, ctx).from_load:
        return None
    return view.search(from_load=int(from_load), since=None)


def register(app, store: DataStore, **_) -> None:
    for which in followups.LISTS:
        grids.register(app, store, spec(which))

    @app.callback(Output("url", "search", allow_duplicate=True),
                  Input("progress-from", "value"), Input("progress-since", "value"),
                  State("url", "pathname"), State("url", "search"), prevent_initial_call=True)
    def on_period(from_load, since, pathname, search):
        from dash import ctx as dash_ctx

        triggered = {key.split(".")[0] for key in dash_ctx.triggered_prop_ids}
        target = period_search(store, parse(pathname, search), from_load, since, triggered)
        return no_update if target is None else target

    @app.callback(Output("url", "search", allow_duplicate=True),
                  Input("progress-children-chart", "clickData"), State("url", "pathname"),
                  State("url", "search"), prevent_initial_call=True)
    def on_click(click, pathname, search):
        target = navigator.drill_target(store, click, parse(pathname, search))
        return no_update if target is None else target
