"""Pure figure builders of the progress page (frames in, plotly figure dicts out)."""

from __future__ import annotations

import pandas as pd

from dashboard.figures import _figure, _list, empty
from dashboard.i18n import fmt_date, fmt_int, t

# One colour per kind of follow-up item, in the contract's order.
KIND_COLORS = {
    "lagging_branch": "#2563eb", "review_overdue": "#f59e0b", "stuck_transfer": "#7c3aed",
    "cadre_out_of_scope": "#dc2626", "cadre_not_onboarded": "#0891b2",
    "branch_without_cadre": "#64748b", "arrears_6plus": "#16a34a",
}


def fmt_items(n, lang: str) -> str:
    """A count of items: "12 项" / "12 items", "1 item"."""
    key = "n_item" if lang == "en" and n is not None and n == 1 else "n_items"
    return t(key, lang, n=fmt_int(n, lang))


def burndown(frame: pd.DataFrame, lang: str) -> dict:
    """Open items at each load of the period, stacked by kind (one x category per load, named
    by its as-of date); the total on top of each load."""
    title = t("progress_burndown", lang)
    if frame.empty:
        return empty(title, lang)
    loads = frame.drop_duplicates("load_id").sort_values("load_id")
    labels = [fmt_date(d, lang) for d in loads["as_of"]]
    by_load = dict(zip(loads["load_id"], labels))
    data = []
    for kind, color in KIND_COLORS.items():
        part = frame[frame["kind"] == kind].sort_values("load_id")
        if part.empty or not part["open"].any():
            continue
        data.append({"type": "scatter", "name": t(f"followup_kind_{kind}", lang),
                     "x": [by_load[i] for i in part["load_id"]], "y": _list(part["open"]),
                     "mode": "lines+markers", "stackgroup": "open",
                     "line": {"color": color, "width": 1.5}, "marker": {"size": 6},
                     "hovertemplate": "%{x}<br>%{fullData.name}: %{y:,}<extra></extra>"})
    if not data:
        return empty(title, lang)
    total = frame.groupby("load_id", sort=True)["open"].sum()
    notes = [{"x": by_load[i], "y": int(n), "text": fmt_items(n, lang),
              "showarrow": False, "yanchor": "bottom", "font": {"size": 12}}
             for i, n in total.items()]
    return _figure(data, title, height=380, annotations=notes,
                   xaxis={"type": "category"},
                   yaxis={"rangemode": "tozero", "title": {"text": t("progress_open_now", lang)}})
