"""Dues (团费): compliance by child and month, the subtree's trend, arrears ageing (six unpaid
months in a row is grounds for lapsing), voluntary extras apart, bills that do not match the
standard, and the lists branches chase (members in arrears, a summary per branch)."""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

import queries
from dashboard import charts, components, context, grids, lazy, navigator
from dashboard import dues_figures as figures
from dashboard.context import Context
from dashboard.i18n import fmt_delta_pct, fmt_int, fmt_month, fmt_pct, fmt_yuan, t
from accounts.masking import mask_mobile, mask_name
from dashboard.store import DataStore
from dashboard.view import parse

RANGE_MONTHS = 12  # the default range: the month and the 11 before it
BRANCH = 5  # 组织类型 团支部
HEATMAP_ROWS = 40  # children shown in the heatmap (the worst of the month)


def tree_color(ctx: Context) -> tuple[str, str]:
    return "dues_compliance", "rate"


# --- the month and the range ------------------------------------------------------------------

def months(store: DataStore) -> list[dt.date]:
    """The months with dues data, latest first."""
    return store.cached("dues_months", lambda cur: [
        r["dues_month"] for r in queries.rows("dues_months_list", cur)])


def _parse_month(text: str | None) -> dt.date | None:
    if not text:
        return None
    return dt.date(int(text[:4]), int(text[5:7]), 1)


def _shift(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def period(store: DataStore, ctx: Context) -> tuple[dt.date, dt.date] | None:
    """(month, since) of the view: the month asked for if it has data, else the latest; the
    range's start asked for if it is not after the month, else 11 months before it (never
    before the earliest month with data). None when no dues are loaded."""
    available = months(store)
    if not available:
        return None
    asked = _parse_month(ctx.view.month)
    month = asked if asked in available else available[0]
    since = _parse_month(ctx.view.since)
    if since is None or since > month:
        since = _shift(month, -(RANGE_MONTHS - 1))
    return month, max(since, available[-1])


def _params(store: DataStore, ctx: Context) -> dict:
    month, since = period(store, ctx)
    return {**ctx.scope, "org_id": ctx.org["org_id"], "month": month, "since": since}


# --- lists (AG Grid) ----------------------------------------------------------------------------

def _mask(value, fn, reveal: bool) -> str:
    if not isinstance(value, str):
        return ""
    return value if reveal else fn(value)


def _page(query: str, store: DataStore, ctx: Context, **params):
    """One page of a list of the view's month in its subtree, and the list's total."""
    p = _params(store, ctx)
    with store.cursor() as cur:
        frame = queries.run(query, cur, seq=p["seq"], seq_last=p["seq_last"], month=p["month"],
                            **params)
    return frame, int(frame["total_rows"].iloc[0]) if len(frame) else 0


def fetch_arrears(store: DataStore, ctx: Context, *, offset: int, limit: int, sort=None,
                  descending=None, name_filter=None, min_months=None, filter_on=None):
    return _page("dues_arrears", store, ctx, min_months=min_months, name_filter=name_filter,
                 filter_on={"branch_name": "branch", "name": "name"}.get(filter_on), sort=sort,
                 descending=None if sort is None else bool(descending), limit=limit,
                 offset=offset)


def present_arrears(frame: pd.DataFrame, lang: str, *, reveal: bool = False) -> pd.DataFrame:
    return pd.DataFrame({
        "branch_name": frame["branch_name"],
        "parent_name": frame["parent_name"].fillna(""),
        "name": [_mask(v, mask_name, reveal) for v in frame["name"]],
        "mobile": [_mask(v, mask_mobile, reveal) for v in frame["mobile"]],
        "unpaid_months": frame["unpaid_months"].astype("Int64"),
        "unpaid_run_yuan": [float(v) for v in frame["unpaid_run_yuan"]],
        "status": [t("ageing_6plus_flag", lang) if lapsing else
                   t("ageing_near_flag", lang) if near else ""
                   for lapsing, near in zip(frame["is_lapsing"], frame["is_near_lapsing"])],
    })


ARREARS_COLUMNS = (
    grids.Column("branch_name", "col_branch", sort="branch", text_filter=True, width=260),
    grids.Column("parent_name", "col_parent", width=220),
    grids.Column("name", "col_name", text_filter=True, width=90),
    grids.Column("mobile", "col_mobile", width=130),
    grids.Column("unpaid_months", "col_unpaid_months", sort="months", width=120),
    grids.Column("unpaid_run_yuan", "col_unpaid_run_yuan", sort="amount", width=130),
    grids.Column("status", "col_arrears_status", width=170),
)


def arrears_spec() -> grids.GridSpec:
    return grids.GridSpec(
        grid_id="dues-arrears", columns=ARREARS_COLUMNS, fetch=fetch_arrears,
        present=present_arrears,
        file_stem="file_dues_arrears", filter_on=True)


def fetch_branches(store: DataStore, ctx: Context, *, offset: int, limit: int, sort=None,
                   descending=None, name_filter=None):
    return _page("dues_branches", store, ctx, name_filter=name_filter, sort=sort,
                 descending=None if sort is None else bool(descending), limit=limit,
                 offset=offset)


def present_branches(frame: pd.DataFrame, lang: str, *, reveal: bool = False) -> pd.DataFrame:
    return pd.DataFrame({
        "branch_name": frame["branch_name"],
        "parent_name": frame["parent_name"].fillna(""),
        "billed_members": frame["billed_members"].astype("Int64"),
        "paid_members": frame["paid_members"].astype("Int64"),
        "compliance": [fmt_pct(v, lang) for v in frame["compliance"]],
        "unpaid_members": frame["unpaid_members"].astype("Int64"),
        "arrears_4_5_members": frame["arrears_4_5_members"].astype("Int64"),
        "arrears_6plus_members": frame["arrears_6plus_members"].astype("Int64"),
        "amount_due_yuan": [float(v) for v in frame["amount_due_yuan"]],
        "amount_paid_yuan": [float(v) for v in frame["amount_paid_yuan"]],
        "mismatched_lines": frame["mismatched_lines"].astype("Int64"),
        "operator_name": [_mask(v, mask_name, reveal) for v in frame["operator_name"]],
        "operator_mobile": [_mask(v, mask_mobile, reveal) for v in frame["operator_mobile"]],
    })


BRANCH_COLUMNS = (
    grids.Column("branch_name", "col_branch", sort="name", text_filter=True, width=260),
    grids.Column("parent_name", "col_parent", text_filter=True, width=220),
    grids.Column("billed_members", "col_billed_members", width=90),
    grids.Column("paid_members", "col_paid_members", width=90),
    grids.Column("compliance", "metric_dues_compliance", sort="compliance", width=100),
    grids.Column("unpaid_members", "col_unpaid_members", sort="unpaid", width=90),
    grids.Column("arrears_4_5_members", "ageing_4_5", width=100),
    grids.Column("arrears_6plus_members", "ageing_6plus", sort="lapsing", width=110),
    grids.Column("amount_due_yuan", "col_amount_due_yuan", sort="due", width=120),
    grids.Column("amount_paid_yuan", "col_amount_paid_yuan", width=120),
    grids.Column("mismatched_lines", "col_mismatched_lines", width=110),
    grids.Column("operator_name", "col_operator", width=100),
    grids.Column("operator_mobile", "col_mobile", width=130),
)


def branches_spec() -> grids.GridSpec:
    return grids.GridSpec(
        grid_id="dues-branches", columns=BRANCH_COLUMNS, fetch=fetch_branches,
        present=present_branches,
        file_stem="file_dues_branches")


def fetch_mismatches(store: DataStore, ctx: Context, *, offset: int, limit: int, sort=None,
                     descending=None, name_filter=None):
    return _page("dues_mismatch_lines", store, ctx, name_filter=name_filter, limit=limit,
                 offset=offset)


def present_mismatches(frame: pd.DataFrame, lang: str, *, reveal: bool = False):
    label = "zh" if lang == "zh" else "en"
    return pd.DataFrame({
        "branch_name": frame["branch_name"],
        "name": [_mask(v, mask_name, reveal) for v in frame["name"]],
        "mobile": [_mask(v, mask_mobile, reveal) for v in frame["mobile"]],
        "amount_due_yuan": [float(v) for v in frame["amount_due_yuan"]],
        "billed_as": frame[f"billed_as_{label}"].fillna("—"),
        "expected_yuan": [float(v) for v in frame["expected_yuan"]],
        "expected": frame[f"expected_{label}"].fillna("—"),
        "is_paid": [t("paid", lang) if v else t("unpaid", lang) for v in frame["is_paid"]],
    })


MISMATCH_COLUMNS = (
    grids.Column("branch_name", "col_branch", text_filter=True, width=260),
    grids.Column("name", "col_name", text_filter=True, width=90),
    grids.Column("mobile", "col_mobile", width=130),
    grids.Column("amount_due_yuan", "col_billed_yuan", width=100),
    grids.Column("billed_as", "col_billed_as", width=200),
    grids.Column("expected_yuan", "col_expected_yuan", width=100),
    grids.Column("expected", "col_expected_as", width=220),
    grids.Column("is_paid", "col_paid_status", width=90),
)


def mismatches_spec() -> grids.GridSpec:
    return grids.GridSpec(
        grid_id="dues-mismatches", columns=MISMATCH_COLUMNS, fetch=fetch_mismatches,
        present=present_mismatches,
        file_stem="file_dues_mismatches")


# --- the page ------------------------------------------------------------------------------

def period_picker(store: DataStore, ctx: Context) -> html.Div:
    lang = ctx.lang
    month, since = period(store, ctx)
    options = [{"label": fmt_month(m, lang), "value": m.strftime("%Y-%m")}
               for m in months(store)]
    return html.Div([
        html.Span(t("dues_month", lang), className="me-2 fw-semibold"),
        dcc.Dropdown(id="dues-month", value=month.strftime("%Y-%m"), options=options,
                     clearable=False, className="month-picker"),
        html.Span(t("dues_range_from", lang), className="ms-3 me-2 fw-semibold"),
        dcc.Dropdown(id="dues-since", value=since.strftime("%Y-%m"),
                     options=[o for o in options if o["value"] <= month.strftime("%Y-%m")],
                     clearable=False, className="month-picker"),
        html.Span(t("dues_range_to", lang, month=fmt_month(month, lang)), className="ms-2"),
    ], className="d-flex align-items-center flex-wrap gap-1 mt-3 mb-2", id="dues-period")


def layout(store: DataStore, ctx: Context):
    lang = ctx.lang
    if period(store, ctx) is None:
        return dbc.Alert(t("no_dues", lang), color="info", className="mt-3", id="dues-none")
    return html.Div([
        period_picker(store, ctx),
        lazy.placeholder("dues.summary", height=260),
        # A branch has nothing below it: no ranking, no heatmap.
        *([] if ctx.org["org_type"] == BRANCH else [
            dbc.Row([components.section(t("dues_compliance_by_child", lang),
                                        lazy.placeholder("dues.children", height=400))]),
            dbc.Row([components.section(t("dues_heatmap", lang),
                                        html.P(t("dues_heatmap_hint", lang),
                                               className="text-muted"),
                                        lazy.placeholder("dues.heatmap", height=400))]),
        ]),
        dbc.Row([
            components.section(t("dues_trend", lang),
                               lazy.placeholder("dues.trend", height=360), width=6),
            components.section(t("dues_ageing", lang),
                               lazy.placeholder("dues.ageing", height=360), width=6),
        ]),
        dbc.Row([components.section(
            t("dues_arrears_list", lang), html.P(t("dues_arrears_hint", lang),
                                                 className="text-muted"),
            grids.layout(arrears_spec(), lang))]),
        dbc.Row([components.section(
            t("dues_branch_summary", lang), html.P(t("dues_branch_hint", lang),
                                                   className="text-muted"),
            grids.layout(branches_spec(), lang))]),
        dbc.Row([
            components.section(t("dues_voluntary", lang),
                               lazy.placeholder("dues.voluntary", height=300), width=6),
            components.section(t("dues_standard", lang),
                               lazy.placeholder("dues.standard", height=300), width=6),
        ]),
        dbc.Row([components.section(
            t("dues_mismatches", lang), html.P(t("dues_mismatches_hint", lang),
                                               className="text-muted"),
            grids.layout(mismatches_spec(), lang))]),
    ])


def _summary(store: DataStore, ctx: Context) -> dict:
    p = _params(store, ctx)
    with store.cursor() as cur:
        return queries.rows("dues_summary", cur, seq=p["seq"], month=p["month"],
                            since=p["since"])[0]


def _trend(store: DataStore, ctx: Context) -> pd.DataFrame:
    p = _params(store, ctx)
    with store.cursor() as cur:
        return queries.run("dues_trend", cur, seq=p["seq"], month=p["month"], since=p["since"])


def summary_cards(s: dict, month: dt.date, since: dt.date, lang: str) -> list:
    change = (None if s["compliance"] is None or s["prev_compliance"] is None
              else s["compliance"] - s["prev_compliance"])
    lapsing_change = (None if s["arrears_6plus_members"] is None
                      or s["prev_arrears_6plus_members"] is None
                      else s["arrears_6plus_members"] - s["prev_arrears_6plus_members"])
    since_prev = t("since_previous_month", lang)
    return [
        components.kpi_card(
            "dues-compliance", t("metric_dues_compliance", lang), fmt_pct(s["compliance"], lang),
            sub=t("dues_paid_of_billed", lang, paid=fmt_int(s["paid_members"], lang),
                  billed=fmt_int(s["billed_members"], lang), month=fmt_month(month, lang)),
            delta=change, delta_is_rate=True, delta_label=since_prev, lang=lang),
        components.kpi_card(
            "dues-amounts", t("amount_paid", lang), fmt_yuan(s["amount_paid_yuan"], lang),
            sub=t("dues_of_due", lang, due=fmt_yuan(s["amount_due_yuan"], lang)), lang=lang),
        components.kpi_card(
            "dues-lapsing", t("ageing_6plus", lang), fmt_int(s["arrears_6plus_members"], lang),
            sub=t("dues_near_lapsing", lang, n=fmt_int(s["arrears_4_5_members"], lang)),
            delta=lapsing_change, good_when_up=False, delta_label=since_prev, lang=lang),
        components.kpi_card(
            "dues-range", t("dues_range_compliance", lang),
            fmt_pct(s["range_compliance"], lang),
            sub=t("dues_range_label", lang, since=fmt_month(since, lang),
                  month=fmt_month(month, lang)), lang=lang),
        components.kpi_card(
            "dues-voluntary", t("voluntary_amount", lang), fmt_yuan(s["voluntary_yuan"], lang),
            sub=t("dues_voluntary_members", lang, n=fmt_int(s["voluntary_members"], lang)),
            lang=lang),
        components.kpi_card(
            "dues-mismatched", t("col_mismatched_lines", lang),
            fmt_int(s["mismatched_lines"], lang), sub=t("dues_mismatch_sub", lang), lang=lang),
    ]


@lazy.section("dues.summary")
def summary_section(store: DataStore, ctx: Context):
    month, since = period(store, ctx)
    s = _summary(store, ctx)
    lang = ctx.lang
    if s["billed_members"] is None:
        return dbc.Alert(t("dues_none_in_month", lang, month=fmt_month(month, lang)),
                         color="info", id="dues-empty-month")
    reading = t("dues_reading", lang, month=fmt_month(month, lang),
                rate=fmt_pct(s["compliance"], lang),
                n=fmt_int(s["arrears_6plus_members"], lang),
                near=fmt_int(s["arrears_4_5_members"], lang))
    return html.Div([html.P(reading, className="reading", id="dues-reading"),
                     dbc.Row(summary_cards(s, month, since, lang))])


def children_table(ctx: Context, children: pd.DataFrame) -> dbc.Table:
    lang = ctx.lang
    rows = [{
        "name": dcc.Link(r["org_name"], href=ctx.view.href(org=r["org_id"])),
        "compliance": fmt_pct(r["compliance"], lang),
        "change": fmt_delta_pct(r["compliance_change"], lang),
        "range": fmt_pct(r["range_compliance"], lang),
        "due": fmt_yuan(r["amount_due_yuan"], lang),
        "paid": fmt_yuan(r["amount_paid_yuan"], lang),
        "lapsing": fmt_int(r["arrears_6plus_members"], lang),
    } for _, r in children.iterrows()]
    cols = [("name", t("organization", lang)), ("compliance", t("metric_dues_compliance", lang)),
            ("change", t("since_previous_month", lang)),
            ("range", t("dues_range_compliance", lang)), ("due", t("amount_due", lang)),
            ("paid", t("amount_paid", lang)), ("lapsing", t("ageing_6plus", lang))]
    return components.small_table(cols, rows, "dues-children-table")


def _children(store: DataStore, ctx: Context) -> pd.DataFrame:
    p = _params(store, ctx)
    with store.cursor() as cur:
        return queries.run("dues_children", cur, **p)


@lazy.section("dues.children")
def children_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    children = _children(store, ctx)
    if children.empty:
        return html.P(t("no_children", lang), className="text-muted")
    month, _ = period(store, ctx)
    billed = children.dropna(subset=["compliance"])
    worse = int((billed["compliance_change"] < 0).sum())
    reading = t("dues_children_reading", lang, worse=worse, total=len(billed),
                month=fmt_month(month, lang))
    return html.Div([
        html.P(reading, className="reading", id="dues-children-reading"),
        charts.graph("dues-children-chart", figures.compliance_bars(children, lang), lang),
        children_table(ctx, children),
    ])


@lazy.section("dues.heatmap")
def heatmap_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    p = _params(store, ctx)
    with store.cursor() as cur:
        cells = queries.run("dues_heatmap", cur, **p)
    shown = cells[cells["child_rank"] <= HEATMAP_ROWS]
    parts = [charts.graph("dues-heatmap", figures.heatmap(shown, lang), lang)]
    children = cells["org_id"].nunique()
    if children > HEATMAP_ROWS:
        parts.insert(0, html.P(t("dues_heatmap_worst", lang, n=HEATMAP_ROWS,
                                 total=fmt_int(children, lang)), className="text-muted small"))
    return html.Div(parts)


@lazy.section("dues.trend")
def trend_section(store: DataStore, ctx: Context):
    return charts.graph("dues-trend", figures.trend(_trend(store, ctx), ctx.lang), ctx.lang)


@lazy.section("dues.ageing")
def ageing_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    s = _summary(store, ctx)
    return html.Div([
        html.P(t("dues_ageing_hint", lang), className="text-muted small"),
        charts.graph("dues-ageing", figures.ageing_bars(s, lang), lang),
        charts.graph("dues-ageing-months", figures.ageing_by_month(_trend(store, ctx), lang),
                     lang),
    ])


@lazy.section("dues.voluntary")
def voluntary_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    s = _summary(store, ctx)
    return html.Div([
        html.P(t("dues_voluntary_reading", lang, amount=fmt_yuan(s["range_voluntary_yuan"], lang)),
               className="reading"),
        charts.graph("dues-voluntary-chart", figures.voluntary(_trend(store, ctx), lang), lang),
    ])


@lazy.section("dues.standard")
def standard_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    with store.cursor() as cur:
        standard = queries.run("dues_standard_table", cur)
    label = "label_zh" if lang == "zh" else "label_en"
    versions = list(dict.fromkeys(standard["version_month"]))
    cols = [("band", t("dues_category", lang)),
            *[(str(i), t("dues_from", lang, month=fmt_month(v, lang))
               if v.year > 1900 else t("dues_default_standard", lang))
              for i, v in enumerate(versions)]]
    rows = []
    for key, group in standard.groupby("band_no", sort=True):
        row = {"band": group[label].iloc[0]}
        for i, v in enumerate(versions):
            amount = group.loc[group["version_month"] == v, "amount_yuan"]
            row[str(i)] = fmt_yuan(amount.iloc[0], lang) if len(amount) else "—"
        rows.append(row)
    return html.Div([components.small_table(cols, rows, "dues-standard-table"),
                     html.P(t("dues_standard_hint", lang), className="text-muted small")])


def period_search(store: DataStore, view, month: str | None, since: str | None) -> str | None:
    """The URL search for a month and range picked; None when it is the period in effect (Dash
    also calls the pickers' callback when they appear). A range start after the month is
    dropped (the default range then applies)."""
    ctx = context.resolve(store, view)
    if ctx.problem is not None or not month:
        return None
    current = period(store, ctx)
    if current is None:
        return None
    if (month, since) == (current[0].strftime("%Y-%m"), current[1].strftime("%Y-%m")):
        return None
    if since and since > month:
        since = None
    return view.search(month=month, since=since)


def register(app, store: DataStore, **_) -> None:
    for spec in (arrears_spec(), branches_spec(), mismatches_spec()):
        grids.register(app, store, spec)

    @app.callback(Output("url", "search", allow_duplicate=True),
                  Input("dues-month", "value"), Input("dues-since", "value"),
                  State("url", "pathname"), State("url", "search"), prevent_initial_call=True)
    def on_period(month, since, pathname, search):
        target = period_search(store, parse(pathname, search), month, since)
        return no_update if target is None else target

    for graph_id in ("dues-heatmap", "dues-children-chart"):
        @app.callback(Output("url", "search", allow_duplicate=True),
                      Input(graph_id, "clickData"), State("url", "pathname"),
                      State("url", "search"), prevent_initial_call=True)
        def on_click(click, pathname, search):
            target = navigator.drill_target(store, click, parse(pathname, search))
            return no_update if target is None else target


# -- the charts' export menu and the meeting pack --------------------------------------------

def _month_reading(store: DataStore, ctx: Context) -> str | None:
    month, _ = period(store, ctx)
    s = _summary(store, ctx)
    if s["billed_members"] is None:
        return None
    return t("dues_reading", ctx.lang, month=fmt_month(month, ctx.lang),
             rate=fmt_pct(s["compliance"], ctx.lang),
             n=fmt_int(s["arrears_6plus_members"], ctx.lang),
             near=fmt_int(s["arrears_4_5_members"], ctx.lang))


@charts.chart("dues-children-chart")
def children_chart(store: DataStore, ctx: Context):
    lang = ctx.lang
    children = _children(store, ctx)
    month, _ = period(store, ctx)
    billed = children.dropna(subset=["compliance"])
    reading = t("dues_children_reading", lang, worse=int((billed["compliance_change"] < 0).sum()),
                total=len(billed), month=fmt_month(month, lang))
    return charts.Built(figures.compliance_bars(children, lang), reading)


@charts.chart("dues-heatmap")
def heatmap_chart(store: DataStore, ctx: Context):
    with store.cursor() as cur:
        cells = queries.run("dues_heatmap", cur, **_params(store, ctx))
    return charts.Built(figures.heatmap(cells[cells["child_rank"] <= HEATMAP_ROWS], ctx.lang),
                        _month_reading(store, ctx))


@charts.chart("dues-trend")
def trend_chart(store: DataStore, ctx: Context):
    return charts.Built(figures.trend(_trend(store, ctx), ctx.lang), _month_reading(store, ctx))


@charts.chart("dues-ageing")
def ageing_chart(store: DataStore, ctx: Context):
    return charts.Built(figures.ageing_bars(_summary(store, ctx), ctx.lang),
                        t("dues_ageing_hint", ctx.lang))


@charts.chart("dues-ageing-months")
def ageing_months_chart(store: DataStore, ctx: Context):
    return charts.Built(figures.ageing_by_month(_trend(store, ctx), ctx.lang),
                        t("dues_ageing_hint", ctx.lang))


@charts.chart("dues-voluntary-chart")
def voluntary_chart(store: DataStore, ctx: Context):
    s = _summary(store, ctx)
    return charts.Built(figures.voluntary(_trend(store, ctx), ctx.lang),
                        t("dues_voluntary_reading", ctx.lang,
                          amount=fmt_yuan(s["range_voluntary_yuan"], ctx.lang)))


def pack_items(store: DataStore, ctx: Context) -> list:
    """The meeting pack's part of this page: compliance by child and its trend, arrears
    ageing, and the members 6 or more months in arrears (grounds for lapsing)."""
    from exports.items import ChartItem, ListItem

    if period(store, ctx) is None:
        return []
    return [ChartItem("dues-children-chart"), ChartItem("dues-trend"),
            ChartItem("dues-ageing"),
            ListItem("arrears_6plus", "pack_arrears", arrears_spec(), params={"min_months": 6},
                     sort="months", descending=True, hint="pack_arrears_hint")]
