"""Transfers (组织关系转接): counts by status, pending by step and age and who holds them,
48-hour timeliness, returns by step, the main flows, and the stuck transfers to chase."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

import queries
from dashboard import charts, components, figures, grids, lazy
from dashboard.context import Context
from dashboard.i18n import fmt_date, fmt_int, fmt_pct, t
from accounts.masking import mask_id, mask_name
from dashboard.store import DataStore
from exports.items import ChartItem, ListItem

STUCK_DAYS = 7
FLOW_LIMIT = 25


def tree_color(ctx: Context) -> tuple[str, str]:
    return "transfers_pending", "count_bad"


def fetch_stuck(store: DataStore, ctx: Context, *, offset: int, limit: int, sort=None,
                descending=None, name_filter=None):
    with store.cursor() as cur:
        frame = queries.run("transfer_stuck", cur, **ctx.scope, min_days=STUCK_DAYS,
                            limit=limit, offset=offset, sort=sort or "days",
                            descending=True if sort is None
                            else bool(descending), name_filter=name_filter)
    total = int(frame["total_rows"].iloc[0]) if len(frame) else 0
    return frame, total


def present_stuck(frame: pd.DataFrame, lang: str, *, reveal: bool = False) -> pd.DataFrame:
    return pd.DataFrame({
        "name": [(v if reveal else mask_name(v)) if isinstance(v, str) else ""
                 for v in frame["name"]],
        "id_number": [mask_id(v) if isinstance(v, str) else "" for v in frame["id_number"]],
        "from_org_name": frame["from_org_name"],
        "to_org_name": frame["to_org_name"],
        "step": [t(f"step_{int(s)}", lang) for s in frame["step"]],
        "holder_name": frame["holder_name"],
        "created_at": [fmt_date(v, lang) for v in frame["created_at"]],
        "waiting_since": [fmt_date(v, lang) for v in frame["waiting_since"]],
        "waiting_days": [None if pd.isna(v) else int(v) for v in frame["waiting_days"]],
    })


STUCK_COLUMNS = (
    grids.Column("name", "col_name", width=90),
    grids.Column("id_number", "col_id_number", width=190),
    grids.Column("from_org_name", "col_from", sort="from", text_filter=True, width=230),
    grids.Column("to_org_name", "col_to", sort="to", text_filter=True, width=230),
    grids.Column("step", "col_step", sort="step", width=150),
    grids.Column("holder_name", "col_holder", sort="holder", text_filter=True, width=230),
    grids.Column("created_at", "col_created", sort="created", width=130),
    grids.Column("waiting_since", "col_waiting_since", width=130),
    grids.Column("waiting_days", "col_waiting_days", sort="days", width=100),
)


def stuck_spec() -> grids.GridSpec:
    return grids.GridSpec(
        grid_id="transfers-stuck", columns=STUCK_COLUMNS, fetch=fetch_stuck,
        present=present_stuck,
        file_stem="file_stuck_transfers")


def count_cards(counts: dict, lang: str) -> list:
    keys = ("pending_out", "pending_in", "pending_within", "completed")
    return [components.kpi_card(f"tr-{k.replace('_', '-')}", t(f"transfer_{k}", lang),
                                fmt_int(counts.get(k) or 0, lang), lang=lang) for k in keys]


def holders_table(ctx: Context, holders: pd.DataFrame) -> dbc.Table:
    lang = ctx.lang
    rows = [{"holder": r["holder_name"], "step": t(f"step_{int(r['step'])}", lang),
             "n": fmt_int(r["transfers"], lang), "oldest": fmt_int(r["oldest_days"], lang)}
            for _, r in holders.iterrows()]
    cols = [("holder", t("col_holder", lang)), ("step", t("col_step", lang)),
            ("n", t("col_transfers", lang)), ("oldest", t("col_oldest_days", lang))]
    return components.small_table(cols, rows, "transfers-holders-table")


def layout(store: DataStore, ctx: Context):
    lang = ctx.lang
    return html.Div([
        lazy.placeholder("transfers.counts", height=150),
        dbc.Row([
            components.section(t("transfers_by_status", lang),
                               lazy.placeholder("transfers.status", height=280), width=6),
            components.section(t("pending_by_step", lang),
                               lazy.placeholder("transfers.by_step", height=320), width=6),
        ]),
        dbc.Row([
            components.section(t("holders_title", lang),
                               lazy.placeholder("transfers.holders", height=280), width=6),
            components.section(t("returned_by_step", lang),
                               lazy.placeholder("transfers.returned", height=280), width=6),
        ]),
        dbc.Row([
            components.section(t("timely_by_reviewer", lang),
                               lazy.placeholder("transfers.timely", height=300), width=5),
            components.section(t("transfer_flows", lang),
                               lazy.placeholder("transfers.flows", height=360), width=7),
        ]),
        dbc.Row([components.section(t("stuck_transfers", lang),
                                    html.P(t("stuck_hint", lang, days=STUCK_DAYS),
                                           className="text-muted"),
                                    grids.layout(stuck_spec(), lang))]),
    ])


def _counts(store: DataStore, ctx: Context) -> dict:
    with store.cursor() as cur:
        return queries.rows("transfer_counts", cur, **ctx.scope)[0]


@lazy.section("transfers.counts")
def counts_section(store: DataStore, ctx: Context):
    return dbc.Row(count_cards(_counts(store, ctx), ctx.lang), className="mt-3")


@charts.chart("transfers-status")
def status_chart(store: DataStore, ctx: Context):
    lang = ctx.lang
    counts = _counts(store, ctx)
    pending = sum(int(counts.get(k) or 0) for k in ("pending_out", "pending_in", "pending_within"))
    reading = t("status_reading", lang, pending=fmt_int(pending, lang),
                done=fmt_int(counts.get("completed") or 0, lang))
    return charts.Built(figures.status_bars(counts, lang), reading)


@lazy.section("transfers.status")
def status_section(store: DataStore, ctx: Context):
    return charts.graph("transfers-status", status_chart(store, ctx).figure, ctx.lang)


@charts.chart("transfers-by-step")
def by_step_chart(store: DataStore, ctx: Context):
    lang = ctx.lang
    with store.cursor() as cur:
        by_step = queries.run("transfer_pending_by_step", cur, **ctx.scope)
    stuck = int(by_step.loc[by_step["age_bucket"] == "gt7", "transfers"].sum())
    return charts.Built(figures.stacked_steps(by_step, lang),
                        t("stuck_reading", lang, n=fmt_int(stuck, lang)))


@lazy.section("transfers.by_step")
def by_step_section(store: DataStore, ctx: Context):
    built = by_step_chart(store, ctx)
    return html.Div([
        html.P(built.reading, className="reading", id="transfers-reading"),
        charts.graph("transfers-by-step", built.figure, ctx.lang),
    ])


@lazy.section("transfers.holders")
def holders_section(store: DataStore, ctx: Context):
    with store.cursor() as cur:
        holders = queries.run("transfer_holders", cur, **ctx.scope, limit=10)
    return holders_table(ctx, holders)


@charts.chart("transfers-returned")
def returned_chart(store: DataStore, ctx: Context):
    lang = ctx.lang
    with store.cursor() as cur:
        returned = queries.run("transfer_returned_by_step", cur, **ctx.scope)
    returned = returned.assign(label=[t(f"step_short_{int(s)}", lang) for s in returned["step"]])
    total = int(returned["transfers"].sum()) if len(returned) else 0
    return charts.Built(figures.bucket_bars(
        returned, "label", "transfers", t("returned_by_step", lang), lang, colors=figures.RED),
        t("returned_reading", lang, n=fmt_int(total, lang)))


@lazy.section("transfers.returned")
def returned_section(store: DataStore, ctx: Context):
    return charts.graph("transfers-returned", returned_chart(store, ctx).figure, ctx.lang)


@charts.chart("transfers-timely")
def timely_chart(store: DataStore, ctx: Context):
    lang = ctx.lang
    with store.cursor() as cur:
        timely = queries.run("transfer_timeliness_children", cur, **ctx.scope,
                             org_id=ctx.org["org_id"])
    reviews = int(timely["reviews"].sum()) if len(timely) else 0
    timely_n = int(timely["timely"].sum()) if len(timely) else 0
    reading = t("timely_overall", lang, rate=fmt_pct(timely_n / reviews if reviews else None,
                                                      lang), n=fmt_int(reviews, lang))
    return charts.Built(figures.rate_bars(
        timely, "timely_rate", "reviews", t("timely_by_reviewer", lang), lang), reading)


@lazy.section("transfers.timely")
def timely_section(store: DataStore, ctx: Context):
    built = timely_chart(store, ctx)
    return html.Div([
        html.P(built.reading, className="reading"),
        charts.graph("transfers-timely", built.figure, ctx.lang),
    ])


@charts.chart("transfers-flows")
def flows_chart(store: DataStore, ctx: Context):
    with store.cursor() as cur:
        flows = queries.run("transfer_flows", cur, **ctx.scope, org_id=ctx.org["org_id"],
                            limit=FLOW_LIMIT)
    reading = None
    if len(flows):
        top = flows.sort_values("transfers", ascending=False, kind="stable").iloc[0]
        reading = t("flows_reading", ctx.lang, source=top["source_name"],
                    target=top["target_name"], n=fmt_int(top["transfers"], ctx.lang))
    return charts.Built(figures.flows_sankey(flows, ctx.lang), reading)


@lazy.section("transfers.flows")
def flows_section(store: DataStore, ctx: Context):
    return charts.graph("transfers-flows", flows_chart(store, ctx).figure, ctx.lang)


def pack_items(store: DataStore, ctx: Context) -> list:
    """The meeting pack's part of this page (its counts are on the summary page): pending by
    step, timeliness, flows, and the transfers stuck more than STUCK_DAYS days."""
    return [ChartItem("transfers-by-step"),
            ChartItem("transfers-timely"), ChartItem("transfers-flows"),
            ListItem("stuck_transfers", "stuck_transfers", stuck_spec(),
                     sort="days", descending=True, hint="pack_stuck_hint")]


def register(app, store: DataStore, **_) -> None:
    grids.register(app, store, stuck_spec())
