"""The meeting pack's "since the last meeting" part: the follow-up items of the organization's
subtree since the previous pack built for it (the audit log records each pack with its load),
or since a date given to `zhtj report --since`, or the period chosen on the progress page; else
since the previous load. Per kind: open, new, resolved and open over 14 days, and the first rows
of the lists of items resolved, new and open over 14 days (the figures from followups, as the
progress page shows them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import followups
from dashboard.context import Context
from dashboard.i18n import fmt_date, fmt_int, t
from dashboard.store import DataStore
from exports.items import ListItem

ROWS = 15  # first rows of each list (the PDF page, the slide and the sheet)


@dataclass
class SinceOut:
    period: followups.Period
    basis: str  # why the period starts where it does, in the pack's language
    period_text: str  # "since ...: n resolved, n new; n still open, n over 14 days"
    kinds: list[dict] = field(default_factory=list)  # kind, label, action + the figures
    total: dict = field(default_factory=dict)
    lists: list = field(default_factory=list)  # content.ListOut, first ROWS rows each


def previous_pack_load(org_id: str, before: int) -> int | None:
    """The load shown by the latest meeting pack built for this organization on an earlier load
    (the current account's audit log: the server's, or the one `zhtj report` writes to); packs
    marked as no meeting's (an alert's attachment) do not count."""
    from dashboard import access

    log = access.audit_log()
    about = getattr(log, "about", None)
    if about is None:
        return None
    for entry in about("pack", org_id):
        detail = entry["detail"]
        load_id = detail.get("load_id")
        if detail.get("meeting") is not False and isinstance(load_id, int) and load_id < before:
            return load_id
    return None


def choose(store: DataStore, ctx: Context, since: dt.date | None = None
           ) -> tuple[followups.Period, str]:
    """The period and its basis: a date given, else the progress page's period in view, else
    the previous pack's load, else the previous load."""
    from dashboard.progress_lists import period as view_period

    with store.cursor() as cur:
        if since is not None:
            return followups.choose(cur, since=since), "date"
        view = ctx.view
        if view.page == "progress" and (view.since or view.from_load):
            return view_period(store, ctx), "view"
        end = followups.choose(cur).end
        start = previous_pack_load(ctx.org["org_id"], end.load_id)
        if start is not None:
            return followups.choose(cur, from_load=start), "pack"
        return followups.choose(cur), "load"


def basis_text(basis: str, since: dt.date | None, p: followups.Period, lang: str) -> str:
    if p.start is None:
        return t("pack_since_no_start", lang)
    if basis == "date":
        return t("pack_since_basis_date", lang, date=fmt_date(since, lang))
    return t(f"pack_since_basis_{basis}", lang)


def collect(store: DataStore, ctx: Context, since: dt.date | None = None) -> SinceOut | None:
    """The part's content for the view's organization (names and mobiles masked as ctx.reveal
    says); None without a load history."""
    from dashboard.pages.progress import reading
    from dashboard.progress_lists import spec
    from exports.content import ListOut, fetch_list

    lang = ctx.lang
    try:
        p, basis = choose(store, ctx, since)
    except followups.NoLoad:
        return None
    with store.cursor() as cur:
        rows = followups.summary(cur, ctx.scope, p)
    out = SinceOut(period=p, basis=basis_text(basis, since, p, lang),
                   period_text=reading(rows, p, lang), total=followups.totals(rows))
    out.kinds = [{**r, "label": t(f"followup_kind_{r['kind']}", lang),
                  "action": t(f"followup_action_{r['kind']}", lang)} for r in rows]
    # The lists of the period: the progress page's grids, read with this period.
    pctx = replace(ctx, cache={**ctx.cache, "progress_period": p})
    for which in followups.LISTS:
        g = spec(which)
        item = ListItem(which, f"progress_list_{which}", g, hint=f"progress_list_{which}_hint",
                        sort="open_since" if which == "over_14_days" else "org")
        shown, total = fetch_list(store, pctx, item, limit=ROWS)
        out.lists.append(ListOut(f"since_{which}", t(item.title, lang), t(item.hint, lang),
                                 list(shown.columns), [c.width or 120 for c in g.columns],
                                 shown, total))
    if p.start is None:
        out.lists = [lst for lst in out.lists if lst.key == "since_over_14_days"]
    return out


def period_line(s: SinceOut, lang: str) -> str:
    """"2024年10月8日（第 1 次导入） → 2024年10月15日（第 2 次导入）"."""
    from dashboard.pages.progress import load_label

    end = load_label(s.period.end, lang)
    return f"{load_label(s.period.start, lang)} → {end}" if s.period.start else end


def figures_table(s: SinceOut, lang: str) -> tuple[list[str], list[list[str]]]:
    """The per-kind table (header, rows with the total last), formatted for paper."""
    head = [t(k, lang) for k in ("col_followup_kind", "col_open_now", "col_new_items",
                                 "col_resolved", "col_over_14_days", "col_action")]

    def n(v) -> str:
        return fmt_int(v, lang)

    rows = [[k["label"], n(k["open"]), n(k["new"]), n(k["resolved"]), n(k["open_over_14_days"]),
             k["action"]] for k in s.kinds]
    tot = s.total
    rows.append([t("pack_since_total", lang), n(tot["open"]), n(tot["new"]), n(tot["resolved"]),
                 n(tot["open_over_14_days"]), ""])
    return head, rows
