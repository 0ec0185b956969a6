"""Data quality (数据质量): the member checks by organization with the list of whom they concern,
and the latest load's quarantine (by reason, by file, every row) reconciled with the load log."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

import queries
from etl import labels
from dashboard import access, charts, components, figures, grids, lazy
from dashboard.context import Context
from dashboard.i18n import fmt_datetime, fmt_int, fmt_pct, t
from accounts.masking import mask_id, mask_mobile, mask_name
from dashboard.store import DataStore

CHECKS = ("over_28", "under_14_at_joining", "id_birth_mismatch", "member_number_missing",
          "member_number_year", "active_in_two_branches", "dues_standard_mismatch")
# Quarantined values of these columns are personal data, masked like the lists'. The
# quarantine names a column by its header (身份证号码) or its canonical name (id_number).
_MASKS = {"id_number": mask_id, "mobile": mask_mobile, "name": mask_name}
PERSONAL = {**_MASKS, **{header: _MASKS[col] for kind in labels.HEADERS.values()
                         for col, headers in kind.items() if col in _MASKS
                         for header in headers}}


def tree_color(ctx: Context) -> tuple[str, str]:
    return "members_flagged", "count_bad"


def _mask(value, fn, reveal: bool) -> str:
    if not isinstance(value, str):
        return ""
    return value if reveal else fn(value)


def _fetch_members(store: DataStore, ctx: Context, *, offset: int, limit: int, sort=None,
                   descending=False, name_filter=None):
    with store.cursor() as cur:
        frame = queries.run("quality_members", cur, **ctx.scope, check_code=None, sort=sort,
                            descending=bool(descending), name_filter=name_filter, limit=limit,
                            offset=offset)
    return frame, int(frame["total_rows"].iloc[0]) if len(frame) else 0


def present_members(frame: pd.DataFrame, lang: str, *, reveal: bool = False):
    return pd.DataFrame({
        "check": [t(f"check_{c}", lang) for c in frame["check_code"]],
        "name": [_mask(v, mask_name, reveal) for v in frame["name"]],
        "id_number": [mask_id(v) if isinstance(v, str) else "" for v in frame["id_number"]],
        "mobile": [_mask(v, mask_mobile, reveal) for v in frame["mobile"]],
        "branch_name": frame["branch_name"],
        "parent_name": frame["parent_name"],
        "detail": frame["detail"].fillna(""),
    })


MEMBER_COLUMNS = (
    grids.Column("check", "col_check", sort="check", width=180),
    grids.Column("name", "col_name", sort="name", width=90),
    grids.Column("id_number", "col_id_number", width=180),
    grids.Column("mobile", "col_mobile", width=130),
    grids.Column("branch_name", "col_branch", sort="branch", text_filter=True, width=260),
    grids.Column("parent_name", "col_parent", sort="parent", text_filter=True, width=220),
    grids.Column("detail", "col_detail", sort="detail", width=260),
)


def _fetch_quarantine(store: DataStore, ctx: Context, *, offset: int, limit: int, sort=None,
                      descending=False, name_filter=None):
    if not ctx.whole_tree:  # rows of the whole load: no rows for an account of a subtree
        access.refuse("load_wide", org_id=ctx.org["org_id"], page="quality")
        limit, offset = 0, 0
    with store.cursor() as cur:
        frame = queries.run("quarantine_rows", cur, reason=None, kind=None, file_path=None,
                            name_filter=name_filter, sort=sort, descending=bool(descending),
                            limit=limit, offset=offset)
    return frame, int(frame["total_rows"].iloc[0]) if len(frame) else 0


def present_quarantine(frame: pd.DataFrame, lang: str, *, reveal: bool = False):
    def value(column, v):
        if not isinstance(v, str):
            return ""
        fn = PERSONAL.get(column)
        if fn is mask_id or (fn is not None and not reveal):
            return fn(v)
        return v

    return pd.DataFrame({
        "path": frame["path"],
        "row_no": frame["row_no"].astype("Int64"),
        "kind": [t(f"kind_{k}", lang) for k in frame["kind"]],
        "column_name": frame["column_name"].fillna(""),
        "value": [value(c, v) for c, v in zip(frame["column_name"], frame["value"])],
        "reason": frame["reason_zh" if lang == "zh" else "reason_en"],
    })


QUARANTINE_COLUMNS = (
    grids.Column("path", "col_file", sort="file", text_filter=True, width=320),
    grids.Column("row_no", "col_row", width=80),
    grids.Column("kind", "col_kind", sort="kind", width=110),
    grids.Column("column_name", "col_column", sort="column", width=140),
    grids.Column("value", "col_value", width=200),
    grids.Column("reason", "col_reason", sort="reason", width=420),
)


def members_spec() -> grids.GridSpec:
    return grids.GridSpec("quality-members", MEMBER_COLUMNS, _fetch_members,
                          present_members,
                          "file_quality_members")


def quarantine_spec() -> grids.GridSpec:
    return grids.GridSpec("quality-quarantine", QUARANTINE_COLUMNS, _fetch_quarantine,
                          present_quarantine,
                          "file_quarantine")


def layout(store: DataStore, ctx: Context):
    lang = ctx.lang
    return html.Div([
        lazy.placeholder("quality.summary", height=260),
        dbc.Row([components.section(t("quality_by_check", lang),
                                    lazy.placeholder("quality.checks", height=300))]),
        dbc.Row([components.section(t("quality_by_child", lang),
                                    lazy.placeholder("quality.children", height=320))]),
        dbc.Row([components.section(t("quality_members", lang),
                                    html.P(t("quality_members_hint", lang),
                                           className="text-muted"),
                                    grids.layout(members_spec(), lang))]),
        html.H5(t("quarantine_title", lang), className="mt-4"),
        *(load_wide_layout(lang) if ctx.whole_tree else [load_wide_only(ctx)]),
    ])


def load_wide_layout(lang: str) -> list:
    """The load's quarantine and history: of every organization, so only for an account that
    sees the whole tree."""
    return [
        lazy.placeholder("quality.reconcile", height=60),
        dbc.Row([
            components.section(t("quarantine_by_reason", lang),
                               lazy.placeholder("quality.reasons", height=280), width=6),
            components.section(t("quarantine_by_file", lang),
                               lazy.placeholder("quality.files", height=280), width=6),
        ]),
        dbc.Row([components.section(t("quarantine_rows", lang),
                                    grids.layout(quarantine_spec(), lang))]),
        dbc.Row([components.section(t("load_history", lang),
                                    lazy.placeholder("quality.loads", height=160))]),
    ]


def load_wide_only(ctx: Context):
    return dbc.Alert(t("load_wide_only", ctx.lang), color="light", id="quality-load-wide-only")


@lazy.section("quality.summary")
def summary_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    with store.cursor() as cur:
        s = queries.rows("quality_summary", cur, seq=ctx.org["seq"])[0]
    cards = [components.kpi_card(
        "q-flagged", t("metric_members_flagged", lang), fmt_int(s["members_flagged"], lang),
        sub=t("flagged_sub", lang, rate=fmt_pct(s["flagged_rate"], lang),
              n=fmt_int(s["members_checked"], lang)), lang=lang)]
    cards += [components.kpi_card(f"q-{c.replace('_', '-')}", t(f"check_{c}", lang),
                                  fmt_int(s[c], lang), lang=lang) for c in CHECKS]
    return dbc.Row(cards, className="mt-3")


@lazy.section("quality.children")
def children_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    with store.cursor() as cur:
        children = queries.run("quality_children", cur, org_id=ctx.org["org_id"], **ctx.scope)
    if children.empty:
        return html.P(t("no_children", lang), className="text-muted")
    rows = [{"name": dcc.Link(r["org_name"] if "org_name" in r else r["full_name"],
                              href=ctx.view.href(org=r["org_id"])),
             **{c: fmt_int(r[c], lang) for c in CHECKS},
             "total": fmt_int(r["flags_total"], lang)}
            for _, r in children.head(30).iterrows()]
    cols = [("name", t("organization", lang)), *[(c, t(f"check_{c}", lang)) for c in CHECKS],
            ("total", t("col_total", lang))]
    return components.small_table(cols, rows, "quality-children-table")


@lazy.section("quality.reconcile")
def reconcile_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    if not ctx.whole_tree:
        return load_wide_only(ctx)
    r = store.cached("quarantine_reconcile",
                     lambda cur: queries.rows("quarantine_reconcile", cur)[0])
    text = t("reconcile_text", lang, q=fmt_int(r["quarantine_rows"], lang),
             log=fmt_int(r["load_log_rows_quarantined"], lang),
             load=fmt_int(r["current_load_rows_quarantined"], lang))
    return dbc.Alert([html.Strong(t("reconciled" if r["is_reconciled"] else "not_reconciled",
                                    lang) + " "), text],
                     color="success" if r["is_reconciled"] else "danger",
                     id="quality-reconcile")


@lazy.section("quality.reasons")
def reasons_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    if not ctx.whole_tree:
        return load_wide_only(ctx)
    # Load-wide (not per organization): read once per published file.
    reasons = store.cached("quarantine_by_reason",
                           lambda cur: queries.run("quarantine_by_reason", cur))
    label = "reason_zh" if lang == "zh" else "reason_en"
    rows = [{"kind": t(f"kind_{r['kind']}", lang), "reason": r[label],
             "n": fmt_int(r["quarantined_rows"], lang)} for _, r in reasons.head(40).iterrows()]
    return components.small_table([("kind", t("col_kind", lang)),
                                   ("reason", t("col_reason", lang)),
                                   ("n", t("col_rows", lang))], rows, "quality-reasons-table")


@lazy.section("quality.files")
def files_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    if not ctx.whole_tree:
        return load_wide_only(ctx)
    files = store.cached("quarantine_by_file", lambda cur: queries.run("quarantine_by_file", cur))
    shown = files[(files["rows_quarantined"] > 0) | (files["status"] == "skipped")].head(40)
    rows = [{"path": r["path"], "kind": t(f"kind_{r['kind']}", lang) if r["kind"] else "",
             "read": fmt_int(r["rows_read"], lang), "loaded": fmt_int(r["rows_loaded"], lang),
             "q": fmt_int(r["rows_quarantined"], lang), "merged": fmt_int(r["rows_merged"], lang),
             "skipped": (r["reason_zh"] if lang == "zh" else r["reason_en"]) or ""}
            for _, r in shown.iterrows()]
    note = t("files_note", lang, shown=len(shown), total=len(files))
    return html.Div([html.P(note, className="text-muted"), components.small_table(
        [("path", t("col_file", lang)), ("kind", t("col_kind", lang)),
         ("read", t("col_rows_read", lang)), ("loaded", t("col_rows_loaded", lang)),
         ("q", t("col_rows_quarantined", lang)), ("merged", t("col_rows_merged", lang)),
         ("skipped", t("col_skipped", lang))], rows, "quality-files-table")])


@lazy.section("quality.loads")
def loads_section(store: DataStore, ctx: Context):
    lang = ctx.lang
    if not ctx.whole_tree:
        return load_wide_only(ctx)
    with store.cursor() as cur:
        loads = queries.rows("load_history", cur)
    rows = [{"id": r["load_id"], "as_of": fmt_datetime(r["as_of"], lang),
             "ran": fmt_datetime(r["loaded_at"], lang), "files": fmt_int(r["files"], lang),
             "read": fmt_int(r["rows_read"], lang), "q": fmt_int(r["rows_quarantined"], lang),
             "secs": f"{(r['seconds'] or 0):.1f}"} for r in loads[:30]]
    return components.small_table(
        [("id", "#"), ("as_of", t("col_as_of", lang)), ("ran", t("col_loaded_at", lang)),
         ("files", t("col_files", lang)), ("read", t("col_rows_read", lang)),
         ("q", t("col_rows_quarantined", lang)), ("secs", t("col_seconds", lang))],
        rows, "quality-loads-table")


def register(app, store: DataStore, **_) -> None:
    for spec in (members_spec(), quarantine_spec()):
        grids.register(app, store, spec)


# -- charts and the meeting pack -------------------------------------------------------------

@charts.chart("quality-checks-chart")
def checks_chart(store: DataStore, ctx: Context):
    """Members failing each check in the subtree."""
    lang = ctx.lang
    with store.cursor() as cur:
        s = queries.rows("quality_summary", cur, seq=ctx.org["seq"])[0]
    frame = pd.DataFrame({"label": [t(f"check_{c}", lang) for c in CHECKS],
                          "members": [int(s.get(c) or 0) for c in CHECKS]})
    reading = t("quality_reading", lang, n=fmt_int(s["members_flagged"], lang),
                rate=fmt_pct(s["flagged_rate"], lang))
    return charts.Built(figures.bucket_bars(frame, "label", "members",
                                            t("quality_by_check", lang), lang,
                                            colors=figures.AMBER), reading)


@lazy.section("quality.checks")
def checks_section(store: DataStore, ctx: Context):
    built = checks_chart(store, ctx)
    return html.Div([html.P(built.reading, className="reading"),
                     charts.graph("quality-checks-chart", built.figure, ctx.lang)])


def pack_items(store: DataStore, ctx: Context) -> list:
    """The meeting pack's part of this page: members failing each check."""
    from exports.items import ChartItem

    return [ChartItem("quality-checks-chart")]
