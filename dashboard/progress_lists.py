"""The progress page's lists (items resolved, new, open over 14 days) as people read them: the
items come from followups; here each gets its kind and what it is about in words, dates in the
language, and names and mobiles masked unless the viewer's role allows them."""

from __future__ import annotations

import pandas as pd

import followups
from accounts.masking import mask_mobile, mask_name
from dashboard import grids
from dashboard.context import Context
from dashboard.i18n import fmt_date, fmt_int, fmt_yuan, t
from dashboard.store import DataStore

GRID_IDS = {"resolved": "progress-resolved", "new": "progress-new",
            "over_14_days": "progress-over14"}


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _masked(value, fn, reveal: bool) -> str:
    value = _text(value)
    if value is None:
        return ""
    return value if reveal else fn(value)


def detail(row: dict, lang: str, *, reveal: bool) -> str:
    """What one item is about, in a line: the campaign's figures of a lagging branch, the person
    and the date of a review or a transfer, the cadre and position, the months owed."""
    kind = row["kind"]
    name = _masked(row.get("name"), mask_name, reveal) or "—"
    if kind == "lagging_branch":
        return t("progress_detail_lagging", lang, campaign=row.get("campaign") or "—",
                 approved=fmt_int(row.get("approved"), lang),
                 roster=fmt_int(row.get("roster"), lang))
    if kind == "review_overdue":
        return t("progress_detail_review", lang, name=name,
                 date=fmt_date(row.get("waiting_since"), lang))
    if kind == "stuck_transfer":
        step = row.get("step")
        return t("progress_detail_transfer", lang, name=name,
                 step=t(f"step_short_{int(step)}", lang) if pd.notna(step) else "—",
                 date=fmt_date(row.get("waiting_since"), lang))
    if kind in ("cadre_out_of_scope", "cadre_not_onboarded"):
        label = row.get("position_label_zh" if lang == "zh" else "position_label_en")
        return t("progress_detail_cadre", lang, name=name,
                 position=_text(label) or _text(row.get("position")) or "—")
    if kind == "branch_without_cadre":
        return t("progress_detail_branch", lang)
    return t("progress_detail_arrears", lang, name=name,
             months=fmt_int(row.get("months_unpaid"), lang),
             amount=fmt_yuan(row.get("amount_owed_yuan"), lang))


def _days(values) -> pd.Series:
    return pd.Series([int(v) if pd.notna(v) else None for v in values], dtype="Int64")


def present(frame: pd.DataFrame, lang: str, *, reveal: bool = False) -> pd.DataFrame:
    """Rows as people read them (the grid's and the files' columns)."""
    rows = frame.to_dict("records")
    return pd.DataFrame({
        "org_name": frame["org_name"],
        "parent_name": frame["parent_name"].fillna(""),
        "kind": [t(f"followup_kind_{k}", lang) for k in frame["kind"]],
        "detail": [detail(r, lang, reveal=reveal) for r in rows],
        "open_since": [fmt_date(v, lang) for v in frame["open_since"]],
        "resolved_at": [fmt_date(v, lang) if pd.notna(v) else "" for v in frame["resolved_at"]],
        "days_to_resolve": _days(frame["days_to_resolve"]),
        "days_open": _days(frame["days_open"]),
        "contact_name": [_masked(v, mask_name, reveal) for v in frame["contact_name"]],
        "contact_mobile": [_masked(v, mask_mobile, reveal) for v in frame["contact_mobile"]],
    })


_HEAD = (
    grids.Column("org_name", "organization", sort="org", text_filter=True, width=230),
    grids.Column("parent_name", "col_parent", width=190),
    grids.Column("kind", "col_followup_kind", sort="kind", width=170),
    grids.Column("detail", "col_detail", width=280),
    grids.Column("open_since", "col_open_since", sort="open_since", width=120),
)
_CONTACT = (
    grids.Column("contact_name", "col_operator", width=80),
    grids.Column("contact_mobile", "col_mobile", width=120),
)
COLUMNS = {
    "resolved": (*_HEAD, grids.Column("resolved_at", "col_resolved_at", width=120),
                 grids.Column("days_to_resolve", "col_days_to_resolve", sort="days", width=100),
                 *_CONTACT),
    "new": (*_HEAD, *_CONTACT),
    "over_14_days": (*_HEAD, grids.Column("days_open", "col_days_open", sort="days", width=100),
                     *_CONTACT),
}


def period(store: DataStore, ctx: Context) -> followups.Period:
    """The view's period (read once per request): from the load named in the URL, else the
    latest load on or before its date, else the previous load; to the latest."""
    if "progress_period" not in ctx.cache:
        import datetime as dt

        since = dt.date.fromisoformat(ctx.view.since) if ctx.view.since else None
        history = store.cached("progress_loads", followups.loads)
        with store.cursor() as cur:
            ctx.cache["progress_period"] = followups.choose(cur, since=since, history=history,
                                                            from_load=ctx.view.from_load)
    return ctx.cache["progress_period"]


def _fetch(which: str):
    def fetch(store: DataStore, ctx: Context, *, offset: int, limit: int, sort=None,
              descending=False, name_filter=None):
        with store.cursor() as cur:
            return followups.items(cur, ctx.scope, period(store, ctx), which, sort=sort,
                                   descending=bool(descending), name_filter=name_filter,
                                   limit=limit, offset=offset)
    return fetch


def spec(which: str) -> grids.GridSpec:
    """The grid (and download) of one list: which is one of followups.LISTS."""
    return grids.GridSpec(grid_id=GRID_IDS[which], columns=COLUMNS[which], fetch=_fetch(which),
                          present=present, file_stem=f"file_progress_{which}")
