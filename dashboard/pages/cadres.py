"""Cadres (团干部): the entry-scope rule's findings, onboarding, organizations without cadres or
members, mobile-app seats, and the follow-up list each organization's operator must act on."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

import queries
from dashboard import charts, components, figures, grids, lazy
from dashboard.context import Context
from dashboard.i18n import fmt_int, fmt_pct, t
from accounts.masking import mask_id, mask_mobile, mask_name
from dashboard.store import DataStore
from exports.items import ChartItem, ListItem

WECOM = {1: "wecom_yes", 2: "wecom_disabled", 4: "wecom_no"}


def tree_color(ctx: Context) -> tuple[str, str]:
    return "onboarding_rate", "rate"


def _pick(lang: str, zh, en):
    return zh if lang == "zh" else en


def _mask(value, fn, reveal: bool) -> str:
    if not isinstance(value, str):
        return ""
    return value if reveal else fn(value)


# -- the paged lists -------------------------------------------------------------------------

def _paged(name: str, **fixed):
    def fetch(store: DataStore, ctx: Context, *, offset: int, limit: int, sort=None,
              descending=False, name_filter=None):
        with store.cursor() as cur:
            frame = queries.run(name, cur, **ctx.scope, **fixed, name_filter=name_filter,
                                sort=sort, descending=bool(descending), limit=limit,
                                offset=offset)
        total = int(frame["total_rows"].iloc[0]) if len(frame) else 0
        return frame, total
    return fetch


def present_detections(frame: pd.DataFrame, lang: str, *, reveal: bool = False):
    return pd.DataFrame({
        "org_name": frame["org_name"],
        "parent_name": frame["parent_name"],
        "name": [_mask(v, mask_name, reveal) for v in frame["name"]],
        "position_label": frame["position_label"],
        "onboarded": [t(WECOM.get(int(v), "wecom_no"), lang) if pd.notna(v) else ""
                      for v in frame["wecom_status"]],
        "rule_code": frame["rule_code"],
        "explanation": frame["explanation_zh" if lang == "zh" else "explanation_en"],
    })


DETECTION_COLUMNS = (
    grids.Column("org_name", "organization", sort="org", text_filter=True, width=240),
    grids.Column("parent_name", "col_parent", sort="parent", text_filter=True, width=200),
    grids.Column("name", "col_name", sort="name", width=90),
    grids.Column("position_label", "col_position", sort="position", width=110),
    grids.Column("onboarded", "col_onboarded", sort="onboarded", width=100),
    grids.Column("rule_code", "col_rule", sort="rule", width=80),
    grids.Column("explanation", "col_explanation", width=460),
)


def present_followup(frame: pd.DataFrame, lang: str, *, reveal: bool = False):
    return pd.DataFrame({
        "org_name": frame["org_name"],
        "parent_name": frame["parent_name"],
        "action": frame["action_zh" if lang == "zh" else "action_en"],
        "name": [_mask(v, mask_name, reveal) for v in frame["name"]],
        "id_number": [mask_id(v) if isinstance(v, str) else "" for v in frame["id_number"]],
        "position_label": frame["position_label"].fillna(""),
        "rule_code": frame["rule_code"].fillna(""),
        "explanation": frame["explanation_zh" if lang == "zh" else "explanation_en"].fillna(""),
        "contact_name": [_mask(v, mask_name, reveal) for v in frame["contact_name"]],
        "contact_mobile": [_mask(v, mask_mobile, reveal) for v in frame["contact_mobile"]],
    })


FOLLOWUP_COLUMNS = (
    grids.Column("org_name", "organization", sort="org", text_filter=True, width=240),
    grids.Column("parent_name", "col_parent", sort="parent", text_filter=True, width=200),
    grids.Column("action", "col_action", sort="kind", width=200),
    grids.Column("name", "col_name", sort="name", width=90),
    grids.Column("id_number", "col_id_number", width=180),
    grids.Column("position_label", "col_position", width=110),
    grids.Column("rule_code", "col_rule", width=80),
    grids.Column("explanation", "col_explanation", width=380),
    grids.Column("contact_name", "col_operator", width=100),
    grids.Column("contact_mobile", "col_mobile", width=130),
)


def present_empty(frame: pd.DataFrame, lang: str, *, reveal: bool = False):
    return pd.DataFrame({
        "full_name": frame["full_name"],
        "parent_name": frame["parent_name"],
        "kind": [t(f"empty_{k}", lang) for k in frame["kind"]],
        "members": frame["members"].astype("Int64"),
    })


EMPTY_COLUMNS = (
    grids.Column("full_name", "organization", sort="name", text_filter=True, width=300),
    grids.Column("parent_name", "col_parent", sort="parent", text_filter=True, width=260),
    grids.Column("kind", "col_kind", sort="kind", width=160),
    grids.Column("members", "metric_members_active", sort="members", width=120),
)


def detections_spec() -> grids.GridSpec:
    return grids.GridSpec("cadres-detections", DETECTION_COLUMNS,
                          _paged("cadre_detections", rule_code=None),
                          present_detections,
                          "file_cadre_detections")


def followup_spec() -> grids.GridSpec:
    return grids.GridSpec("cadres-followup", FOLLOWUP_COLUMNS,
                          _paged("cadre_followup", item_kind=None),
                          present_followup,
                          "file_cadre_followup")


def empty_spec() -> grids.GridSpec:
    return grids.GridSpec("cadres-empty", EMPTY_COLUMNS, _paged("cadre_empty_orgs", kind=None),
                          present_empty,
                          "file_cadre_empty_orgs")


# -- the page ------------------------------------------------------------------------------

def layout(store: DataStore, ctx: Context):
    lang = ctx.lang
    return html.Div([
        lazy.placeholder("cadres.summary", height=260),
        dbc.Row([
            components.section(t("cadres_by_child", lang),
                               lazy.placeholder("cadres.children", height=360), width=7),
            components.section(t("cadres_by_rule", lang),
                               lazy.placeholder("cadres.by_rule", height=360), width=5),
        ]),
        dbc.Row([components.section(
            t("cadre_detections", lang), html.P(t("cadre_detections_hint", lang),
                                                className="text-muted"),
            grids.layout(detections_spec(), lang))]),
        dbc.Row([
            components.section(t("cadre_empty_orgs", lang),
                               grids.layout(empty_spec(), lang), width=7),
            components.section(t("cadre_seats", lang),
                               lazy.placeholder("cadres.seats", height=200), width=5),
        ]),
        dbc.Row([components.section(
            t("cadre_followup", lang), html.P(t("cadre_followup_hint", lang),
                                              className="text-muted"),
            grids.layout(followup_spec(), lang))]),
        dbc.Row([components.section(t("cadre_rules", lang),
                                    lazy.placeholder("cadres.rules", height=200))]),
    ])


@lazy.section("cadres.summary")
def summary_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    with store.cursor() as cur:
        s = queries.rows("cadres_summary", cur, seq=ctx.org["seq"])[0]
    card = components.kpi_card
    return dbc.Row([
        card("cad-in-scope", t("metric_cadres_in_scope", lang), fmt_int(s["cadres_in_scope"], lang),
             lang=lang),
        card("cad-out-of-scope", t("metric_cadres_out_of_scope", lang),
             fmt_int(s["cadres_out_of_scope"], lang),
             sub=t("of_records", lang, n=fmt_int(s["cadre_records"], lang)), lang=lang),
        card("cad-onboarding", t("metric_onboarding_rate", lang),
             fmt_pct(s["onboarding_rate"], lang),
             sub=t("onboarded_of", lang, n=fmt_int(s["cadres_onboarded_in_scope"], lang)),
             lang=lang),
        card("cad-seats", t("metric_seats_used", lang), fmt_int(s["seats_used"], lang),
             sub=t("seats_sub", lang, out=fmt_int(s["seats_out_of_scope"], lang),
                   over=fmt_int(s["orgs_over_quota"], lang)), lang=lang),
        card("cad-no-cadre", t("metric_branches_without_cadre", lang),
             fmt_int(s["branches_without_cadre"], lang),
             sub=t("of_branches", lang, n=fmt_int(s["branches"], lang)), lang=lang),
        card("cad-hollow-committees", t("metric_hollow_committees", lang),
             fmt_int(s["hollow_committees"], lang), lang=lang),
        card("cad-hollow-branches", t("metric_hollow_branches", lang),
             fmt_int(s["hollow_branches"], lang), lang=lang),
    ], className="mt-3")


@lazy.section("cadres.children")
def children_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    with store.cursor() as cur:
        children = queries.run("cadres_children", cur, org_id=ctx.org["org_id"], **ctx.scope)
    if children.empty:
        return html.P(t("no_children", lang), className="text-muted", id="cadres-no-children")
    rows = [{"name": dcc.Link(r["org_name"], href=ctx.view.href(org=r["org_id"])),
             "in": fmt_int(r["cadres_in_scope"], lang),
             "out": fmt_int(r["cadres_out_of_scope"], lang),
             "rate": fmt_pct(r["onboarding_rate"], lang),
             "none": fmt_int(r["branches_without_cadre"], lang)}
            for _, r in children.head(30).iterrows()]
    cols = [("name", t("organization", lang)), ("in", t("metric_cadres_in_scope", lang)),
            ("out", t("metric_cadres_out_of_scope", lang)),
            ("rate", t("metric_onboarding_rate", lang)),
            ("none", t("metric_branches_without_cadre", lang))]
    return html.Div([
        charts.graph("cadres-children-chart", children_chart(store, ctx, children).figure, lang),
        components.small_table(cols, rows, "cadres-children-table"),
    ])


@charts.chart("cadres-children-chart")
def children_chart(store: DataStore, ctx: Context, children: pd.DataFrame | None = None):
    lang = ctx.lang
    if children is None:
        with store.cursor() as cur:
            children = queries.run("cadres_children", cur, org_id=ctx.org["org_id"], **ctx.scope)
    rated = children.dropna(subset=["onboarding_rate"])
    reading = None
    if len(rated):
        low = rated.sort_values(["onboarding_rate", "org_name"], kind="stable").iloc[0]
        reading = t("onboarding_reading", lang, org=low["org_name"],
                    rate=fmt_pct(low["onboarding_rate"], lang))
    return charts.Built(figures.rate_bars(
        children.head(30), "onboarding_rate", "cadres_in_scope",
        t("metric_onboarding_rate", lang), lang), reading)


@lazy.section("cadres.by_rule")
def by_rule_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    with store.cursor() as cur:
        by_rule = queries.run("cadres_by_rule", cur, **ctx.scope)
    by_rule = by_rule.assign(label=[f"{c} {_pick(lang, z, e)}" for c, z, e in
                                    zip(by_rule["rule_code"], by_rule["title_zh"],
                                        by_rule["title_en"])])
    rows = [{"code": r["rule_code"], "why": _pick(lang, r["explanation_zh"], r["explanation_en"]),
             "n": fmt_int(r["records"], lang)} for _, r in by_rule.iterrows()]
    return html.Div([
        charts.graph("cadres-by-rule-chart", by_rule_chart(store, ctx, by_rule).figure, lang),
        components.small_table([("code", t("col_rule", lang)), ("why", t("col_explanation", lang)),
                                ("n", t("col_records", lang))], rows, "cadres-by-rule-table"),
    ])


@charts.chart("cadres-by-rule-chart")
def by_rule_chart(store: DataStore, ctx: Context, by_rule: pd.DataFrame | None = None):
    lang = ctx.lang
    if by_rule is None:
        with store.cursor() as cur:
            by_rule = queries.run("cadres_by_rule", cur, **ctx.scope)
    total = int(by_rule["records"].sum()) if len(by_rule) else 0
    reading = t("by_rule_reading_none", lang)
    if total:
        top = by_rule.sort_values("records", ascending=False, kind="stable").iloc[0]
        reading = t("by_rule_reading", lang, n=fmt_int(total, lang), rule=top["rule_code"],
                    top=fmt_int(top["records"], lang))
    return charts.Built(figures.bucket_bars(
        by_rule, "rule_code", "records", t("cadres_by_rule", lang), lang,
        colors=figures.RED), reading)


@lazy.section("cadres.seats")
def seats_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    with store.cursor() as cur:
        seats = queries.run("cadre_seats", cur, **ctx.scope)
    if seats.empty:
        return html.P(t("no_seat_quota", lang), className="text-muted", id="cadres-no-quota")
    rows = [{"name": dcc.Link(r["org_name"], href=ctx.view.href(org=r["org_id"])),
             "quota": fmt_int(r["seat_quota"], lang), "used": fmt_int(r["seats_used"], lang),
             "out": fmt_int(r["seats_out_of_scope"], lang),
             "over": dbc.Badge(t("over_quota", lang), color="danger")
             if r["is_over_quota"] else ""}
            for _, r in seats.head(50).iterrows()]
    return components.small_table(
        [("name", t("organization", lang)), ("quota", t("col_quota", lang)),
         ("used", t("metric_seats_used", lang)), ("out", t("col_seats_out_of_scope", lang)),
         ("over", "")], rows, "cadres-seats-table")


@lazy.section("cadres.rules")
def rules_section(store: DataStore, ctx: Context):
    """The rule as the load applied it (the settings file included), one row per rule."""
    lang = ctx.lang
    with store.cursor() as cur:
        rules = queries.rows("cadre_rule_list", cur)
    rows = [{"code": r["rule_code"], "scope": t("in_scope" if r["is_in_scope"] else "out_of_scope",
                                               lang),
             "title": _pick(lang, r["title_zh"], r["title_en"]),
             "source": _pick(lang, r["source_zh"], r["source_en"])}
            for r in rules if r["is_active"]]
    return components.small_table([("code", t("col_rule", lang)), ("scope", ""),
                                   ("title", t("col_rule_title", lang)),
                                   ("source", t("col_rule_source", lang))],
                                  rows, "cadres-rules-table")


def register(app, store: DataStore, **_) -> None:
    for spec in (detections_spec(), followup_spec(), empty_spec()):
        grids.register(app, store, spec)


def out_of_scope_spec() -> grids.GridSpec:
    """The follow-up list's out-of-scope records only: what to remove, and whom to ask."""
    return grids.GridSpec("cadres-out-of-scope", FOLLOWUP_COLUMNS,
                          _paged("cadre_followup", item_kind="remove_out_of_scope"),
                          present_followup,
                          "file_cadre_followup")


def pack_items(store: DataStore, ctx: Context) -> list:
    """The meeting pack's part of this page: onboarding by organization below, out-of-scope
    records by rule, and the out-of-scope records to remove."""
    return [ChartItem("cadres-children-chart"), ChartItem("cadres-by-rule-chart"),
            ListItem("out_of_scope_cadres", "pack_out_of_scope", out_of_scope_spec(),
                     hint="pack_out_of_scope_hint")]
