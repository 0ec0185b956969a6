"""Figures of the dues page (pure: small DataFrames in, plain-dict plotly figures out)."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.figures import AMBER, BLUE, GREEN, GREY, RED, _figure, _list, _palette, \
    _value_colors, empty
from dashboard.i18n import fmt_delta_pct, fmt_int, fmt_month, fmt_pct, fmt_yuan, t

AGEING = (("arrears_1_members", "ageing_1", BLUE), ("arrears_2_3_members", "ageing_2_3", AMBER),
          ("arrears_4_5_members", "ageing_4_5", "#ea580c"),
          ("arrears_6plus_members", "ageing_6plus", RED))


def compliance_bars(children: pd.DataFrame, lang: str) -> dict:
    """Compliance of each child in the month, worst on top, with the change from the month
    before in the label. customdata carries each org_id (a click drills down)."""
    title = t("dues_compliance_by_child", lang)
    f = children.dropna(subset=["compliance"])
    if f.empty:
        return empty(title, lang)
    f = f.iloc[::-1]
    text = [f"{fmt_pct(v, lang)}（{fmt_delta_pct(d, lang)}）" if lang == "zh" and pd.notna(d)
            else f"{fmt_pct(v, lang)} ({fmt_delta_pct(d, lang)})" if pd.notna(d)
            else fmt_pct(v, lang) for v, d in zip(f["compliance"], f["compliance_change"])]
    trace = {"type": "bar", "x": _list(f["compliance"]), "y": list(f["org_name"]),
             "orientation": "h", "marker": {"color": _value_colors(f["compliance"], "rate")},
             "text": text, "textposition": "auto", "customdata": list(f["org_id"]),
             "hovertemplate": "%{y}: %{text}<extra></extra>"}
    return _figure([trace], title, height=max(260, 26 * len(f) + 90), legend=False,
                   xaxis={"tickformat": ".0%", "range": [0, 1]})


def heatmap(cells: pd.DataFrame, lang: str) -> dict:
    """Children (rows, worst of the month on top) by month (columns), coloured by compliance.
    customdata carries each row's org_id: a click on a cell drills to that child."""
    title = t("dues_heatmap", lang)
    if cells.empty:
        return empty(title, lang)
    months = sorted(cells["dues_month"].unique())
    order = (cells[["child_rank", "org_id", "org_name"]].drop_duplicates("org_id")
             .sort_values("child_rank", ascending=False))
    grid = cells.pivot(index="org_id", columns="dues_month", values="compliance")
    grid = grid.reindex(index=list(order["org_id"]), columns=months)
    labels = [fmt_month(m, lang) for m in months]
    z = [_list(row) for row in grid.itertuples(index=False)]
    text = [[fmt_pct(v, lang) if v is not None else "" for v in row] for row in z]
    ids = list(order["org_id"])
    # plotly.js knows no "RdYlGn" by name (plotly.py resolves it): the scale is spelled out.
    # The scale starts at 50% or at the lowest tenth below the worst cell, whichever is lower.
    values = [v for row in z for v in row if v is not None]
    low = min(0.5, math.floor(min(values, default=0.5) * 10) / 10)
    palette = _palette()
    scale = [[i / 10, palette[i * 10]] for i in range(11)]  # red at zmin .. green at 100%
    trace = {"type": "heatmap", "z": z, "x": labels, "y": list(order["org_name"]),
             "text": text, "texttemplate": "%{text}" if len(ids) <= 30 else "",
             "colorscale": scale, "zmin": low, "zmax": 1, "xgap": 1, "ygap": 1,
             "customdata": [[org] * len(months) for org in ids],
             "colorbar": {"tickformat": ".0%", "thickness": 12},
             "hovertemplate": "%{y}<br>%{x}: %{text}<extra></extra>"}
    return _figure([trace], title, height=max(300, 24 * len(ids) + 130), legend=False,
                   xaxis={"type": "category"},
                   yaxis={"type": "category", "automargin": True})


def trend(frame: pd.DataFrame, lang: str) -> dict:
    """The subtree's compliance (line, right axis) and amounts due and paid (bars) by month."""
    title = t("dues_trend", lang)
    if frame.empty:
        return empty(title, lang)
    x = [fmt_month(m, lang) for m in frame["dues_month"]]
    data = [
        {"type": "bar", "name": t("amount_due", lang), "x": x, "y": _list(frame["amount_due_yuan"]),
         "marker": {"color": "#cbd5e1"},
         "hovertemplate": "%{x}<br>" + t("amount_due", lang) + ": %{y:,.2f}<extra></extra>"},
        {"type": "bar", "name": t("amount_paid", lang), "x": x,
         "y": _list(frame["amount_paid_yuan"]), "marker": {"color": BLUE},
         "hovertemplate": "%{x}<br>" + t("amount_paid", lang) + ": %{y:,.2f}<extra></extra>"},
        {"type": "scatter", "mode": "lines+markers", "name": t("metric_dues_compliance", lang),
         "x": x, "y": _list(frame["compliance"]), "yaxis": "y2",
         "line": {"color": GREEN, "width": 3},
         "text": [fmt_pct(v, lang) for v in frame["compliance"]],
         "hovertemplate": "%{x}<br>%{text}<extra></extra>"},
    ]
    return _figure(data, title, height=360, barmode="group",
                   xaxis={"type": "category"},
                   yaxis={"title": {"text": t("yuan", lang)}, "rangemode": "tozero"},
                   yaxis2={"overlaying": "y", "side": "right", "tickformat": ".0%",
                           "range": [0, 1.02], "showgrid": False})


def ageing_bars(summary: dict, lang: str) -> dict:
    """Members by consecutive unpaid months in the month (1, 2-3, 4-5, 6+; 6+ in red)."""
    title = t("dues_ageing", lang)
    values = [summary.get(col) or 0 for col, _, _ in AGEING]
    if not any(values):
        return empty(title, lang, height=300)
    trace = {"type": "bar", "x": [t(key, lang) for _, key, _ in AGEING], "y": values,
             "marker": {"color": [c for _, _, c in AGEING]},
             "text": [fmt_int(v, lang) for v in values], "textposition": "auto",
             "hovertemplate": "%{x}: %{text}<extra></extra>"}
    return _figure([trace], title, height=300, legend=False)


def ageing_by_month(frame: pd.DataFrame, lang: str) -> dict:
    """The same groups month by month (stacked): is the 6+ group growing?"""
    title = t("dues_ageing_by_month", lang)
    if frame.empty:
        return empty(title, lang, height=300)
    x = [fmt_month(m, lang) for m in frame["dues_month"]]
    data = [{"type": "bar", "name": t(key, lang), "x": x, "y": _list(frame[col]),
             "marker": {"color": color}} for col, key, color in AGEING]
    return _figure(data, title, height=300, barmode="stack", xaxis={"type": "category"})


def voluntary(frame: pd.DataFrame, lang: str) -> dict:
    """Voluntary extra payments by month, apart from dues (they never offset what is owed)."""
    title = t("dues_voluntary", lang)
    if frame.empty or not frame["voluntary_yuan"].fillna(0).any():
        return empty(title, lang, height=300)
    x = [fmt_month(m, lang) for m in frame["dues_month"]]
    data = [
        {"type": "bar", "name": t("voluntary_amount", lang), "x": x,
         "y": _list(frame["voluntary_yuan"]), "marker": {"color": GREY},
         "text": [fmt_yuan(v, lang) for v in frame["voluntary_yuan"]],
         "hovertemplate": "%{x}: %{text}<extra></extra>"},
        {"type": "scatter", "mode": "lines+markers", "name": t("voluntary_members", lang),
         "x": x, "y": _list(frame["voluntary_members"]), "yaxis": "y2",
         "line": {"color": AMBER}},
    ]
    return _figure(data, title, height=300, xaxis={"type": "category"},
                   yaxis={"rangemode": "tozero"},
                   yaxis2={"overlaying": "y", "side": "right", "rangemode": "tozero",
                           "showgrid": False})
