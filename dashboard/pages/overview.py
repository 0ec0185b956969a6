"""Overview: the subtree's key figures with their change since the previous load, and its
children ranked worst first on the figure the user picks."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

import followups
import queries
from dashboard import charts, components, context, figures, lazy, navigator
from dashboard.context import Context
from dashboard.i18n import fmt_days, fmt_int, fmt_month, fmt_pct, t
from dashboard.store import DataStore
from dashboard.view import parse
from exports.items import ChartItem

# Figures the children can be ranked on: column of org_children_metrics -> kind.
# 'rate': worst = lowest; 'count_bad': worst = highest.
RANKS = {
    "completion_approved": "rate",
    "reviews_pending": "count_bad",
    "cadres_out_of_scope": "count_bad",
    "onboarding_rate": "rate",
    "dues_compliance": "rate",
    "transfers_pending": "count_bad",
}


def rank_of(ctx: Context) -> str:
    rank = ctx.view.rank
    if rank in RANKS:
        return rank
    return "completion_approved" if ctx.campaign else "reviews_pending"


def tree_color(ctx: Context) -> tuple[str, str]:
    rank = rank_of(ctx)
    return rank, RANKS[rank]


def ranked(children: pd.DataFrame, column: str) -> pd.DataFrame:
    """Children worst first on one figure; those without the figure (e.g. no roster) last."""
    ascending = RANKS[column] == "rate"
    return children.sort_values([column, "seq"], ascending=[ascending, True],
                                na_position="last", kind="stable").reset_index(drop=True)


def figures_of(store: DataStore, ctx: Context) -> dict:
    """Everything the cards need: current figures, the previous load's, the campaign's."""
    with store.cursor() as cur:
        now = queries.rows("org_metrics", cur, seq=ctx.org["seq"])[0]
        prev = queries.rows("org_previous", cur, org_id=ctx.org["org_id"])
        dues = queries.rows("org_dues_month", cur, seq=ctx.org["seq"], month=None)[0]
        reg = prev_reg = None
        if ctx.campaign:
            found = queries.rows("org_registration", cur, seq=ctx.org["seq"],
                                 campaign_id=ctx.campaign["campaign_id"])
            reg = found[0] if found else {"roster": 0, "approved": 0, "pending": 0}
            got = queries.rows("org_previous_registration", cur, org_id=ctx.org["org_id"],
                               campaign=ctx.campaign["campaign"])
            prev_reg = got[0] if got else None
    return {"now": now, "prev": prev[0] if prev else None, "dues": dues, "reg": reg,
            "prev_reg": prev_reg}


def _rate(part, whole):
    return part / whole if whole else None


def _diff(now, before):
    return None if now is None or before is None else now - before


def kpis(ctx: Context, f: dict) -> list[dict]:
    """The key figures as data (the cards here, the pack's summary page): card_id,
    label, value, sub, delta, delta_is_rate, good_when_up, href."""
    lang, view = ctx.lang, ctx.view
    now, prev, dues, reg, prev_reg = f["now"], f["prev"], f["dues"], f["reg"], f["prev_reg"]
    p = prev or {}
    out = [_kpi(
        "kpi-members", t("metric_members_active", lang), fmt_int(now["members_active"], lang),
        delta=_diff(now["members_active"], p.get("members_active")))]
    if reg is not None:
        done = _rate(reg["approved"], reg["roster"])
        submitted = _rate(reg["approved"] + reg["pending"], reg["roster"])
        before = _rate(prev_reg["approved"], prev_reg["roster"]) if prev_reg else None
        days = (ctx.campaign["deadline"] - ctx.info["as_of"].date()).days
        sub = (t("completion_sub", lang, submitted=fmt_pct(submitted, lang),
                 days=fmt_days(days, lang)) if reg["roster"]
               else t("not_in_roster", lang, campaign=ctx.campaign["campaign"]))
        out.append(_kpi(
            "kpi-completion", t("metric_completion_approved", lang), fmt_pct(done, lang),
            sub=sub,
            delta=_diff(done, before), delta_is_rate=True,
            href=view.href(page="registration")))
    out.append(_kpi(
        "kpi-reviews", t("metric_reviews_pending", lang), fmt_int(now["reviews_pending"], lang),
        delta=_diff(now["reviews_pending"], p.get("reviews_pending")), good_when_up=False,
        href=view.href(page="registration")))
    onboarding = _rate(now["cadres_onboarded_in_scope"], now["cadres_in_scope"])
    before_onb = (_rate(p["cadres_onboarded_in_scope"], p["cadres_in_scope"]) if prev else None)
    out.append(_kpi(
        "kpi-cadres", t("metric_onboarding_rate", lang), fmt_pct(onboarding, lang),
        sub=t("cadres_sub", lang, in_scope=fmt_int(now["cadres_in_scope"], lang),
              out_of_scope=fmt_int(now["cadres_out_of_scope"], lang)),
        delta=_diff(onboarding, before_onb), delta_is_rate=True,
        href=view.href(page="cadres")))
    compliance = _rate(dues["paid_members"], dues["billed_members"])
    same_month = prev and p.get("dues_month") == dues["dues_month"]
    before_dues = _rate(p["dues_paid_members"], p["dues_billed_members"]) if same_month else None
    out.append(_kpi(
        "kpi-dues", t("metric_dues_compliance", lang), fmt_pct(compliance, lang),
        sub=t("dues_sub", lang, month=fmt_month(dues["dues_month"], lang)),
        delta=_diff(compliance, before_dues), delta_is_rate=True, href=view.href(page="dues")))
    out.append(_kpi(
        "kpi-transfers-out", t("transfer_pending_out", lang),
        fmt_int(now["transfers_pending_out"], lang),
        delta=_diff(now["transfers_pending_out"], p.get("transfers_pending_out")),
        good_when_up=False, href=view.href(page="transfers")))
    out.append(_kpi(
        "kpi-transfers-in", t("transfer_pending_in", lang),
        fmt_int(now["transfers_pending_in"], lang),
        delta=_diff(now["transfers_pending_in"], p.get("transfers_pending_in")),
        good_when_up=False, href=view.href(page="transfers")))
    return out


def _kpi(card_id: str, label: str, value: str, *, sub: str | None = None, delta=None,
         delta_is_rate: bool = False, good_when_up: bool = True,
         href: str | None = None) -> dict:
    return {"card_id": card_id, "label": label, "value": value, "sub": sub, "delta": delta,
            "delta_is_rate": delta_is_rate, "good_when_up": good_when_up, "href": href}


# The cards whose figure has follow-up items on the progress page: card id -> kinds.
PROGRESS_KINDS = {
    "kpi-completion": ("lagging_branch",),
    "kpi-reviews": ("review_overdue",),
    "kpi-cadres": ("cadre_out_of_scope", "cadre_not_onboarded", "branch_without_cadre"),
    "kpi-dues": ("arrears_6plus",),
    "kpi-transfers-out": ("stuck_transfer",),
    "kpi-transfers-in": ("stuck_transfer",),
}


def progress_of(store: DataStore, ctx: Context) -> dict[str, dict]:
    """The subtree's follow-up items by kind since the previous load (what the load kept),
    for the links under the cards; empty without a load history."""
    try:
        with store.cursor() as cur:
            rows = followups.summary(cur, ctx.scope, followups.choose(cur))
    except followups.NoLoad:
        return {}
    return {r["kind"]: r for r in rows}


def progress_link(ctx: Context, card_id: str, progress: dict[str, dict]):
    """A small link under a card to the progress page (same organization): its items open now
    and resolved since the previous load."""
    rows = [progress[k] for k in PROGRESS_KINDS.get(card_id, ()) if k in progress]
    if not rows:
        return None
    total = followups.totals(rows)
    text = (t("overview_progress_link", ctx.lang, open=fmt_int(total["open"], ctx.lang),
              resolved=fmt_int(total["resolved"], ctx.lang))
            if total["resolved"] is not None
            else t("overview_progress_link_open", ctx.lang, open=fmt_int(total["open"], ctx.lang)))
    return dcc.Link([text, html.I(className="bi bi-chevron-right ms-1")],
                    href=ctx.view.href(page="progress"), className="kpi-progress-link small",
                    id=f"{card_id}-progress")


def cards(ctx: Context, f: dict, progress: dict[str, dict] | None = None) -> list:
    out = []
    for k in kpis(ctx, f):
        col = components.kpi_card(**k, lang=ctx.lang)
        link = progress_link(ctx, k["card_id"], progress or {})
        if link is not None:  # under the card (the card itself links to its page)
            col.children = html.Div([html.Div(col.children, className="flex-grow-1"), link],
                                    className="d-flex flex-column h-100")
        out.append(col)
    return out


def rank_table(ctx: Context, order: pd.DataFrame, column: str) -> dbc.Table:
    lang = ctx.lang
    kind = RANKS[column]
    rows = [{"rank": i + 1,
             "name": dcc.Link(r["org_name"], href=ctx.view.href(org=r["org_id"])),
             "value": fmt_pct(r[column], lang) if kind == "rate" else fmt_int(r[column], lang),
             "members": fmt_int(r["members_active"], lang)}
            for i, r in order.head(15).iterrows()]
    cols = [("rank", "#"), ("name", t("organization", lang)),
            ("value", t(f"metric_{column}", lang)), ("members", t("metric_members_active", lang))]
    return components.small_table(cols, rows, "overview-rank-table")


def layout(store: DataStore, ctx: Context):
    return html.Div([lazy.placeholder("overview.cards", height=260),
                     lazy.placeholder("overview.ranking", height=400)])


@lazy.section("overview.cards")
def cards_section(store: DataStore, ctx: Context):
    return dbc.Row(cards(ctx, figures_of(store, ctx), progress_of(store, ctx)),
                   className="mt-3")


@lazy.section("overview.ranking")
def ranking_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    column = rank_of(ctx)
    order = ranked(navigator.children(store, ctx), column)
    if order.empty:
        return dbc.Alert(t("no_children", lang), color="light", id="overview-no-children")
    picker = dcc.Dropdown(
        id="overview-rank", value=column, clearable=False, searchable=False,
        options=[{"label": t(f"metric_{k}", lang), "value": k} for k in RANKS],
        className="rank-picker")
    return dbc.Row([
        components.section(
            t("children_ranked", lang),
            html.Div([html.Span(t("rank_by", lang), className="me-2"), picker],
                     className="d-flex align-items-center mb-2"),
            rank_table(ctx, order, column), width=6),
        components.section(
            t("rank_title", lang, figure=t(f"metric_{column}", lang)),
            charts.graph("overview-rank-chart", rank_chart(store, ctx, order).figure, lang),
            width=6),
    ])


@charts.chart("overview-rank-chart")
def rank_chart(store: DataStore, ctx: Context, order: pd.DataFrame | None = None):
    """The organizations below, worst first on the figure the view ranks by."""
    lang = ctx.lang
    column = rank_of(ctx)
    if order is None:
        order = ranked(navigator.children(store, ctx), column)
    reading = None
    if len(order) and pd.notna(order[column].iloc[0]):
        worst = order.iloc[0]
        value = (fmt_pct(worst[column], lang) if RANKS[column] == "rate"
                 else fmt_int(worst[column], lang))
        reading = t("rank_reading", lang, org=worst["org_name"],
                    figure=t(f"metric_{column}", lang), value=value)
    return charts.Built(figures.ranked_bars(order.head(15), column, RANKS[column], lang), reading)


def pack_items(store: DataStore, ctx: Context) -> list:
    """The meeting pack's part of this page (its key figures make the pack's summary page):
    the organizations below ranked worst first."""
    return [ChartItem("overview-rank-chart")]


def register(app, store: DataStore, **_) -> None:
    @app.callback(Output("url", "search", allow_duplicate=True),
                  Input("overview-rank", "value"), State("url", "pathname"),
                  State("url", "search"), prevent_initial_call=True)
    def on_rank(value, pathname, search):
        view = parse(pathname, search)
        if value not in RANKS or value == view.rank:
            return no_update
        # Dash also calls this when the picker appears: the figure in effect is no change.
        ctx = context.resolve(store, view)
        if ctx.problem is None and value == rank_of(ctx):
            return no_update
        return view.search(rank=value)
