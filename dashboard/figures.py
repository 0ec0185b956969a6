"""Pure figure builders: small DataFrames in, plotly figures out (no queries, no Dash).

Figures are plain dicts ({"data": [...], "layout": {...}}): Dash and plotly.io take them as
they are, and building them costs microseconds where plotly's validated objects cost tens of
milliseconds a figure (measured: most of a page's time). Tests wrap them in go.Figure to check
that they are valid.
"""

from __future__ import annotations

import datetime as dt
import functools
import math

import pandas as pd

from dashboard.i18n import fmt_date, fmt_int, fmt_pct, t

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
GOOD_BAD = "RdYlGn"  # red (bad) .. green (good)
MISSING = "#d9dde3"
BLUE, GREEN, AMBER, RED, GREY = "#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#94a3b8"


def _figure(data: list[dict], title: str, *, height: int = 360, legend: bool = True,
            xaxis: dict | None = None, yaxis: dict | None = None, **layout) -> dict:
    axis = {"gridcolor": "#eef0f3", "zeroline": False, "automargin": True}
    return {"data": data, "layout": {
        "title": {"text": title, "x": 0.01, "font": {"size": 15}},
        "font": {"family": FONT, "size": 12},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 48, "b": 10},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "showlegend": legend,
        "legend": {"orientation": "h", "y": -0.12, "x": 0},
        "separators": ".,",
        "xaxis": {**axis, **(xaxis or {})},
        "yaxis": {**axis, **(yaxis or {})},
        **layout,
    }}


def empty(title: str, lang: str, *, height: int = 300) -> dict:
    return _figure([], title, height=height, legend=False,
                   xaxis={"visible": False}, yaxis={"visible": False},
                   annotations=[{"text": t("no_data", lang), "showarrow": False,
                                 "font": {"size": 14, "color": GREY}, "xref": "paper",
                                 "yref": "paper", "x": 0.5, "y": 0.5}])


@functools.cache
def _palette() -> tuple[str, ...]:
    """101 colours of the red-to-green scale (sampling the scale per value costs ~1 ms)."""
    from plotly.colors import sample_colorscale

    return tuple(sample_colorscale(GOOD_BAD, [i / 100 for i in range(101)]))


def _value_colors(values: pd.Series, kind: str) -> list[str]:
    """Colours of a figure per node: rates green when high; 'count_bad' counts red when high."""
    v = pd.to_numeric(values, errors="coerce")
    if kind == "rate":
        scaled = v.clip(0, 1)
    else:
        top = v.max()
        scaled = 1 - v / top if top and top > 0 else v * 0 + 1
    palette = _palette()
    return [MISSING if pd.isna(x) else palette[int(round(float(x) * 100))] for x in scaled]


def _list(values) -> list:
    """Plain Python values for JSON (numpy and pandas scalars, NaN as None)."""
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
            out.append(None)
        elif hasattr(v, "item"):
            out.append(v.item())
        else:
            out.append(v)
    return out


def _fmt(value, kind: str, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return fmt_pct(value, lang) if kind == "rate" else fmt_int(value, lang)


def tree_chart(root: dict, nodes: pd.DataFrame, color: str, kind: str, lang: str) -> dict:
    """Sunburst of the selected organization (centre) and one or two levels below it, sized by
    active members and coloured by the page's main figure. customdata carries each org_id."""
    title = t("tree_chart_title", lang, figure=t(f"metric_{color}", lang))
    # A branch has nothing below it: its centre alone still shows, and a click on it goes up.
    ids = [root["org_id"], *nodes["org_id"]]
    parents = ["", *nodes["parent_org_id"]]
    labels = [root["org_name"], *nodes["org_name"]]
    members = [max(int(root.get("members_active") or 0), 0),
               *(int(m) for m in nodes["members_active"].fillna(0))]
    # A sector needs a size: organizations without members still show, thinly; a parent is at
    # least the sum of its children (branchvalues "total").
    sizes = [max(m, 1) for m in members]
    index = {org: i for i, org in enumerate(ids)}
    kids = [0] * len(ids)
    for i in range(len(ids) - 1, 0, -1):
        sizes[i] = max(sizes[i], kids[i])
        kids[index[parents[i]]] += sizes[i]
    sizes[0] = max(sizes[0], kids[0])
    values = [root.get(color), *nodes[color]] if color in nodes else [None] * len(ids)
    colors = _value_colors(pd.Series(values, dtype="float64"), kind)
    hover = [f"{lab}<br>{t('metric_members_active', lang)}: {fmt_int(m, lang)}"
             f"<br>{t(f'metric_{color}', lang)}: {_fmt(v, kind, lang)}"
             for lab, m, v in zip(labels, members, values)]
    trace = {"type": "sunburst", "ids": ids, "parents": parents, "labels": labels,
             "values": sizes, "branchvalues": "total", "customdata": ids,
             "marker": {"colors": colors, "line": {"color": "white", "width": 1}},
             "hovertext": hover, "hoverinfo": "text", "insidetextorientation": "radial",
             "maxdepth": 3, "sort": False}
    return _figure([trace], title, height=380, legend=False,
                   margin={"l": 0, "r": 0, "t": 40, "b": 0})


def ranked_bars(frame: pd.DataFrame, column: str, kind: str, lang: str) -> dict:
    """Children ranked worst first on one figure (horizontal bars, worst on top)."""
    title = t("rank_title", lang, figure=t(f"metric_{column}", lang))
    if frame.empty:
        return empty(title, lang)
    f = frame.iloc[::-1]
    trace = {"type": "bar", "x": _list(f[column]), "y": list(f["org_name"]), "orientation": "h",
             "marker": {"color": _value_colors(f[column], kind)},
             "text": [_fmt(v, kind, lang) for v in f[column]], "textposition": "auto",
             "customdata": list(f["org_id"]), "hovertemplate": "%{y}: %{text}<extra></extra>"}
    xaxis = {"tickformat": ".0%", "range": [0, 1]} if kind == "rate" else {}
    return _figure([trace], title, height=max(260, 28 * len(f) + 90), legend=False, xaxis=xaxis)


def completion_bars(children: pd.DataFrame, lang: str) -> dict:
    """Approved and pending against the roster for each child, worst first, at-risk marked."""
    title = t("completion_by_child", lang)
    if children.empty:
        return empty(title, lang)
    f = children.iloc[::-1]
    roster = f["roster"].where(f["roster"] > 0)
    approved = f["approved"] / roster
    pending = f["pending"] / roster
    names = [f"⚠ {n}" if risk else n for n, risk in zip(f["org_name"], f["is_at_risk"])]
    data = [
        {"type": "bar", "name": t("approved", lang), "x": _list(approved), "y": names,
         "orientation": "h", "marker": {"color": GREEN}, "customdata": list(f["org_id"]),
         "text": [fmt_pct(v, lang) for v in approved], "textposition": "inside",
         "hovertemplate": "%{y}<br>" + t("approved", lang) + ": %{text}<extra></extra>"},
        {"type": "bar", "name": t("pending", lang), "x": _list(pending), "y": names,
         "orientation": "h", "marker": {"color": AMBER}, "customdata": list(f["org_id"]),
         "hovertemplate": "%{y}<br>" + t("pending", lang) + ": %{x:.1%}<extra></extra>"},
    ]
    return _figure(data, title, height=max(280, 26 * len(f) + 110), barmode="stack",
                   xaxis={"tickformat": ".0%", "range": [0, 1]})


def _day(value):
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    return value


def registration_curve(curve: pd.DataFrame, summary: dict, lang: str) -> dict:
    """Cumulative submissions and approvals against the roster and the deadline, with the
    projection from the recent rate to the projected completion date."""
    title = t("registration_curve", lang)
    if curve.empty:
        return empty(title, lang)
    days = [_day(d) for d in curve["day"]]
    data = [
        {"type": "scatter", "name": t("cum_submitted", lang), "x": days,
         "y": _list(curve["cum_submitted"]), "mode": "lines",
         "line": {"color": AMBER, "width": 2}},
        {"type": "scatter", "name": t("cum_approved", lang), "x": days,
         "y": _list(curve["cum_approved"]), "mode": "lines", "line": {"color": GREEN, "width": 3}},
    ]
    shapes, notes = [], []
    roster = summary.get("roster") or 0
    if roster:
        shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": roster,
                       "y1": roster, "line": {"color": BLUE, "dash": "dot"}})
        notes.append({"xref": "paper", "x": 0, "y": roster, "yanchor": "bottom", "xanchor": "left",
                      "showarrow": False, "text": t("roster_line", lang, n=fmt_int(roster, lang)),
                      "font": {"color": BLUE}})
    deadline = summary.get("deadline")
    if deadline is not None:
        shapes.append({"type": "line", "x0": _day(deadline), "x1": _day(deadline), "y0": 0,
                       "y1": 1, "yref": "paper", "line": {"color": RED, "dash": "dash"}})
        notes.append({"x": _day(deadline), "y": 1, "yref": "paper", "showarrow": False,
                      "yanchor": "bottom", "font": {"color": RED},
                      "text": t("deadline_line", lang, date=fmt_date(deadline, lang))})
    projected = summary.get("projected_date")
    as_of = summary.get("as_of")
    if projected is not None and not pd.isna(projected) and as_of is not None and roster:
        data.append({"type": "scatter", "name": t("projection", lang),
                     "x": [_day(as_of), _day(projected)],
                     "y": [int(summary.get("approved") or 0), int(roster)],
                     "mode": "lines+markers", "line": {"color": GREEN, "dash": "dot", "width": 2}})
    return _figure(data, title, height=380, shapes=shapes, annotations=notes)


def bucket_bars(frame: pd.DataFrame, label_col: str, value_col: str, title: str,
                lang: str, colors: list[str] | str | None = None) -> dict:
    """A few bars of counts with fixed categories (e.g. backlog by age, returned by step)."""
    if frame.empty or frame[value_col].sum() == 0:
        return empty(title, lang, height=280)
    trace = {"type": "bar", "x": list(frame[label_col]), "y": _list(frame[value_col]),
             "marker": {"color": colors or BLUE},
             "text": [fmt_int(v, lang) for v in frame[value_col]], "textposition": "auto"}
    return _figure([trace], title, height=280, legend=False)


def rate_bars(frame: pd.DataFrame, rate_col: str, count_col: str, title: str,
              lang: str) -> dict:
    """A rate per organization (e.g. the 48-hour timely-review rate), worst first on top."""
    f = frame.dropna(subset=[rate_col])
    if f.empty:
        return empty(title, lang)
    f = f.iloc[::-1]
    trace = {"type": "bar", "x": _list(f[rate_col]), "y": list(f["org_name"]),
             "orientation": "h", "marker": {"color": _value_colors(f[rate_col], "rate")},
             "text": [f"{fmt_pct(r, lang)} ({fmt_int(n, lang)})"
                      for r, n in zip(f[rate_col], f[count_col])],
             "textposition": "auto", "hovertemplate": "%{y}: %{text}<extra></extra>"}
    return _figure([trace], title, height=max(260, 26 * len(f) + 90), legend=False,
                   xaxis={"tickformat": ".0%", "range": [0, 1]})


def stacked_steps(frame: pd.DataFrame, lang: str) -> dict:
    """Pending transfers by the step they wait at (x) and by age (stacked)."""
    title = t("pending_by_step", lang)
    if frame.empty or frame["transfers"].sum() == 0:
        return empty(title, lang)
    data = []
    for bucket, color in (("le2", GREEN), ("3to7", AMBER), ("gt7", RED)):
        part = frame[frame["age_bucket"] == bucket]
        data.append({"type": "bar", "name": t(f"age_{bucket}", lang),
                     "x": [t(f"step_short_{int(s)}", lang) for s in part["step"]],
                     "y": _list(part["transfers"]), "marker": {"color": color}})
    return _figure(data, title, height=320, barmode="stack")


def status_bars(counts: dict, lang: str) -> dict:
    """Transfers touching the subtree by status."""
    title = t("transfers_by_status", lang)
    keys = ["pending_out", "pending_in", "pending_within", "completed", "returned", "withdrawn"]
    values = [int(counts.get(k) or 0) for k in keys]
    if not any(values):
        return empty(title, lang, height=280)
    trace = {"type": "bar", "x": [t(f"transfer_{k}", lang) for k in keys], "y": values,
             "marker": {"color": [AMBER, BLUE, "#7c3aed", GREEN, RED, GREY]},
             "text": [fmt_int(v, lang) for v in values], "textposition": "auto"}
    return _figure([trace], title, height=280, legend=False)


def flows_sankey(flows: pd.DataFrame, lang: str) -> dict:
    """The main flows into and out of the subtree, by child organization and outside area."""
    title = t("transfer_flows", lang)
    if flows.empty:
        return empty(title, lang, height=420)
    # Sources and targets are separate nodes even when one organization is both.
    src = [("s", k, n, bool(inside)) for k, n, inside in
           zip(flows["source_key"], flows["source_name"], flows["source_inside"])]
    dst = [("t", k, n, bool(inside)) for k, n, inside in
           zip(flows["target_key"], flows["target_name"], flows["target_inside"])]
    nodes = list(dict.fromkeys(src + dst))
    index = {n: i for i, n in enumerate(nodes)}
    trace = {"type": "sankey",
             "node": {"label": [n[2] for n in nodes], "pad": 12, "thickness": 14,
                      "color": [BLUE if n[3] else GREY for n in nodes]},
             "link": {"source": [index[x] for x in src], "target": [index[x] for x in dst],
                      "value": _list(flows["transfers"]), "color": "rgba(37,99,235,0.25)"}}
    return _figure([trace], title, height=max(360, 22 * len(nodes)), legend=False)
