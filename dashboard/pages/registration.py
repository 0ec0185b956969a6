"""Registration, the deadline watch: completion by child against the roster, the cumulative curve
with its projection, the review backlog and timeliness, and the lagging branches to chase."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

import queries
from dashboard import charts, components, context, figures, grids, lazy
from dashboard.context import Context
from dashboard.i18n import fmt_date, fmt_days, fmt_int, fmt_pct, t
from accounts.masking import mask_mobile, mask_name
from dashboard.store import DataStore
from dashboard.view import parse
from exports.items import ChartItem, ListItem

BUCKETS = ("le2", "3to7", "gt7")


def tree_color(ctx: Context) -> tuple[str, str]:
    return "completion_approved", "rate"


def _params(ctx: Context) -> dict:
    return {**ctx.scope, "org_id": ctx.org["org_id"], "campaign_id": ctx.campaign["campaign_id"]}


def fetch_branches(store: DataStore, ctx: Context, *, offset: int, limit: int, sort=None,
                   descending=False, name_filter=None, at_risk_only=False):
    with store.cursor() as cur:
        frame = queries.run("registration_branches", cur, **_params(ctx), limit=limit,
                            offset=offset, sort=sort or "risk", descending=bool(descending),
                            name_filter=name_filter, at_risk_only=bool(at_risk_only))
    total = int(frame["total_rows"].iloc[0]) if len(frame) else 0
    return frame, total


def present_branches(frame: pd.DataFrame, lang: str, *, reveal: bool = False) -> pd.DataFrame:
    """Rows as people read them: rates as percentages, dates in the language, contacts masked."""
    out = pd.DataFrame({
        "branch_name": frame["branch_name"],
        "parent_name": frame["parent_name"],
        "roster": frame["roster"].astype("Int64"),
        "approved": frame["approved"].astype("Int64"),
        "pending": frame["pending"].astype("Int64"),
        "not_submitted": frame["not_submitted"].astype("Int64"),
        "completion_approved": [fmt_pct(v, lang) for v in frame["completion_approved"]],
        "projected_date": [fmt_date(v, lang) if pd.notna(v) else t("never_at_rate", lang)
                           if a else "—"
                           for v, a in zip(frame["projected_date"], frame["is_at_risk"])],
        "is_at_risk": [t("at_risk", lang) if v else "" for v in frame["is_at_risk"]],
        "operator_name": [(v if reveal else mask_name(v)) if isinstance(v, str) else ""
                          for v in frame["operator_name"]],
        "operator_mobile": [(v if reveal else mask_mobile(v)) if isinstance(v, str) else ""
                            for v in frame["operator_mobile"]],
    })
    return out


BRANCH_COLUMNS = (
    grids.Column("branch_name", "col_branch", sort="name", text_filter=True, width=260),
    grids.Column("parent_name", "col_parent", sort="parent", text_filter=True, width=220),
    grids.Column("roster", "col_roster", sort="roster", width=90),
    grids.Column("approved", "approved", width=90),
    grids.Column("pending", "pending", sort="pending", width=90),
    grids.Column("not_submitted", "col_not_submitted", sort="not_submitted", width=100),
    grids.Column("completion_approved", "metric_completion_approved", sort="completion",
                 width=130),
    grids.Column("projected_date", "projected_completion", width=140),
    grids.Column("is_at_risk", "at_risk", sort="risk", width=100),
    grids.Column("operator_name", "col_operator", width=100),
    grids.Column("operator_mobile", "col_mobile", width=130),
)


def branches_spec() -> grids.GridSpec:
    return grids.GridSpec(
        grid_id="registration-branches", columns=BRANCH_COLUMNS, fetch=fetch_branches,
        present=present_branches,
        file_stem="file_lagging_branches")


def campaign_picker(store: DataStore, ctx: Context) -> html.Div:
    lang = ctx.lang
    with store.cursor() as cur:
        options = queries.rows("org_campaigns", cur, **ctx.scope)
    days = (ctx.campaign["deadline"] - ctx.info["as_of"].date()).days
    badge = (t("days_left", lang, days=fmt_days(days, lang)) if days >= 0
             else t("days_overdue", lang, days=fmt_days(-days, lang)))
    return html.Div([
        html.Span(t("campaign", lang), className="me-2 fw-semibold"),
        dcc.Dropdown(id="registration-campaign", value=ctx.campaign["campaign"],
                     clearable=False,
                     options=[{"label": f"{o['campaign']}（{fmt_date(o['deadline'], lang)}）"
                               if lang == "zh" else f"{o['campaign']} ({fmt_date(o['deadline'], lang)})",
                               "value": o["campaign"]} for o in options],
                     className="campaign-picker"),
        html.Span(t("deadline_is", lang, date=fmt_date(ctx.campaign["deadline"], lang)),
                  className="ms-sm-3"),
        dbc.Badge(badge, color="danger" if days < 7 else "primary", className="ms-2",
                  id="registration-days-left"),
    ], className="d-flex align-items-center flex-wrap gap-1 mt-3 mb-2")


def summary_cards(s: dict, lang: str) -> list:
    risk = s["is_at_risk"]
    projected = (fmt_date(s["projected_date"], lang) if s["projected_date"] is not None
                 else (t("never_at_rate", lang) if risk else t("complete", lang)))
    return [
        components.kpi_card("reg-roster", t("col_roster", lang), fmt_int(s["roster"], lang),
                            lang=lang),
        components.kpi_card("reg-approved", t("metric_completion_approved", lang),
                            fmt_pct(s["completion_approved"], lang),
                            sub=t("n_of_roster", lang, n=fmt_int(s["approved"], lang)),
                            lang=lang),
        components.kpi_card("reg-submitted", t("metric_completion_submitted", lang),
                            fmt_pct(s["completion_submitted"], lang),
                            sub=t("n_pending", lang, n=fmt_int(s["pending"], lang)), lang=lang),
        components.kpi_card("reg-projected", t("projected_completion", lang), projected,
                            sub=(t("at_risk", lang) if risk else t("on_track", lang))
                            + " · " + t("recent_rate", lang,
                                        rate=f"{(s['rate_per_day'] or 0):.1f}"),
                            lang=lang),
    ]


def children_table(ctx: Context, children: pd.DataFrame) -> dbc.Table:
    lang = ctx.lang
    rows = []
    for _, r in children.iterrows():
        risk = bool(r["is_at_risk"])
        rows.append({
            "name": dcc.Link(r["org_name"], href=ctx.view.href(org=r["org_id"])),
            "roster": fmt_int(r["roster"], lang),
            "approved": fmt_pct(r["completion_approved"], lang),
            "submitted": fmt_pct(r["completion_submitted"], lang),
            "projected": (fmt_date(r["projected_date"], lang) if pd.notna(r["projected_date"])
                          else (t("never_at_rate", lang) if risk else t("complete", lang))),
            "risk": dbc.Badge(t("at_risk", lang), color="danger") if risk else "",
        })
    cols = [("name", t("organization", lang)), ("roster", t("col_roster", lang)),
            ("approved", t("metric_completion_approved", lang)),
            ("submitted", t("metric_completion_submitted", lang)),
            ("projected", t("projected_completion", lang)), ("risk", "")]
    return components.small_table(cols, rows, "registration-children-table")


def layout(store: DataStore, ctx: Context):
    lang = ctx.lang
    if ctx.campaign is None:
        return dbc.Alert(t("no_campaign", lang), color="info", className="mt-3",
                         id="registration-none")
    return html.Div([
        lazy.placeholder("registration.summary", height=180),
        dbc.Row([
            components.section(t("completion_by_child", lang),
                               lazy.placeholder("registration.children", height=400), width=6),
            components.section(t("registration_curve", lang),
                               lazy.placeholder("registration.curve", height=380), width=6),
        ]),
        dbc.Row([
            components.section(t("backlog_by_age", lang),
                               lazy.placeholder("registration.backlog", height=280), width=6),
            components.section(t("timely_by_org", lang),
                               lazy.placeholder("registration.timely", height=280), width=6),
        ]),
        dbc.Row([components.section(t("lagging_branches", lang),
                                    html.P(t("lagging_hint", lang), className="text-muted"),
                                    grids.layout(branches_spec(), lang))]),
    ])


def _summary(store: DataStore, ctx: Context) -> dict:
    with store.cursor() as cur:
        return queries.rows("registration_summary", cur, **_params(ctx))[0]


def _children(store: DataStore, ctx: Context) -> pd.DataFrame:
    with store.cursor() as cur:
        return queries.run("registration_children", cur, **_params(ctx))


@lazy.section("registration.summary", needs_campaign=True)
def summary_section(store: DataStore, ctx: Context):
    return html.Div([campaign_picker(store, ctx),
                     dbc.Row(summary_cards(_summary(store, ctx), ctx.lang))])


@charts.chart("registration-children-chart", needs_campaign=True)
def children_chart(store: DataStore, ctx: Context, children: pd.DataFrame | None = None):
    lang = ctx.lang
    children = _children(store, ctx) if children is None else children
    at_risk = int(children["is_at_risk"].sum()) if len(children) else 0
    reading = t("children_at_risk", lang, n=at_risk, total=len(children),
                date=fmt_date(ctx.campaign["deadline"], lang))
    return charts.Built(figures.completion_bars(children, lang), reading)


@lazy.section("registration.children", needs_campaign=True)
def children_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    children = _children(store, ctx)
    built = children_chart(store, ctx, children)
    return html.Div([
        html.P(built.reading, className="reading", id="registration-reading"),
        charts.graph("registration-children-chart", built.figure, lang),
        children_table(ctx, children),
    ])


@charts.chart("registration-curve", needs_campaign=True)
def curve_chart(store: DataStore, ctx: Context):
    lang = ctx.lang
    with store.cursor() as cur:
        curve = queries.run("registration_curve", cur, **_params(ctx))
    s = _summary(store, ctx)
    if not s["roster"]:
        reading = None
    elif s["projected_date"] is not None:
        reading = t("curve_reading_date", lang, date=fmt_date(s["projected_date"], lang),
                    rate=f"{(s['rate_per_day'] or 0):.1f}")
    else:
        reading = t("never_at_rate", lang) if s["is_at_risk"] else t("complete", lang)
    return charts.Built(figures.registration_curve(curve, s, lang), reading)


@lazy.section("registration.curve", needs_campaign=True)
def curve_section(store: DataStore, ctx: Context):
    return charts.graph("registration-curve", curve_chart(store, ctx).figure, ctx.lang)


@charts.chart("registration-backlog", needs_campaign=True)
def backlog_chart(store: DataStore, ctx: Context):
    lang = ctx.lang
    with store.cursor() as cur:
        backlog = queries.run("registration_backlog", cur, **_params(ctx))
    backlog = backlog.assign(label=[t(f"age_{b}", lang) for b in backlog["bucket"]])
    old = int(backlog.loc[backlog["bucket"] == "gt7", "pending"].sum()) if len(backlog) else 0
    reading = t("backlog_reading", lang, n=fmt_int(int(backlog["pending"].sum()), lang),
                old=fmt_int(old, lang))
    return charts.Built(figures.bucket_bars(
        backlog, "label", "pending", t("backlog_by_age", lang), lang,
        colors=[figures.GREEN, figures.AMBER, figures.RED]), reading)


@lazy.section("registration.backlog", needs_campaign=True)
def backlog_section(store: DataStore, ctx: Context):
    return charts.graph("registration-backlog", backlog_chart(store, ctx).figure, ctx.lang)


@charts.chart("registration-timely", needs_campaign=True)
def timely_chart(store: DataStore, ctx: Context):
    lang = ctx.lang
    summary = _summary(store, ctx)
    children = _children(store, ctx)
    reading = t("timely_overall", lang, rate=fmt_pct(summary["timely_rate"], lang),
                n=fmt_int(summary["reviewed"], lang))
    return charts.Built(figures.rate_bars(
        children, "timely_rate", "reviewed", t("timely_by_org", lang), lang), reading)


@lazy.section("registration.timely", needs_campaign=True)
def timely_section(store: DataStore, ctx: Context):
    built = timely_chart(store, ctx)
    return html.Div([
        html.P(built.reading, className="reading"),
        charts.graph("registration-timely", built.figure, ctx.lang),
    ])


def pack_items(store: DataStore, ctx: Context) -> list:
    """The meeting pack's part of this page: its four charts and the at-risk branches."""
    if ctx.campaign is None:
        return []
    return [ChartItem("registration-children-chart"), ChartItem("registration-curve"),
            ChartItem("registration-backlog"), ChartItem("registration-timely"),
            ListItem("lagging_branches", "lagging_branches", branches_spec(),
                     params={"at_risk_only": True}, sort="risk", hint="lagging_hint")]


def register(app, store: DataStore, **_) -> None:
    grids.register(app, store, branches_spec())

    @app.callback(Output("url", "search", allow_duplicate=True),
                  Input("registration-campaign", "value"), State("url", "pathname"),
                  State("url", "search"), prevent_initial_call=True)
    def on_campaign(value, pathname, search):
        view = parse(pathname, search)
        if not value or value == view.campaign:
            return no_update
        # Dash also calls this when the picker appears: the campaign in effect is no change.
        ctx = context.resolve(store, view)
        if ctx.campaign is not None and value == ctx.campaign["campaign"]:
            return no_update
        return view.search(campaign=value)
