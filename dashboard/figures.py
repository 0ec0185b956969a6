"""Pure figure builders: small DataFrames in, plotly figures out (no queries, no Dash)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from dashboard.i18n import fmt_date, fmt_int, fmt_pct, t

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
GOOD_BAD = "RdYlGn"  # red (bad) .. green (good)
MISSING = "#d9dde3"
BLUE, GREEN, AMBER, RED, GREY = "#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#94a3b8"


def _style(fig: go.Figure, title: str, *, height: int = 360, legend: bool = True) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 15}},
        font={"family": FONT, "size": 12},
        height=height,
        margin={"l": 10, "r": 10, "t": 48, "b": 10},
        paper_bgcolor="white",
        plot_bgcolor="white",
        showlegend=legend,
        legend={"orientation": "h", "y": -0.12, "x": 0},
        separators=".,",
    )
    fig.update_xaxes(gridcolor="#eef0f3", zeroline=False, automargin=True)
    fig.update_yaxes(gridcolor="#eef0f3", zeroline=False, automargin=True)
    return fig


def empty(title: str, lang: str, *, height: int = 300) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=t("no_data", lang), showarrow=False, font={"size": 14, "color": GREY},
                       xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _style(fig, title, height=height, legend=False)


def _value_colors(values: pd.Series, kind: str) -> list[str]:
    """Colours of a figure per node: rates green when high; 'count_bad' counts red when high."""
    v = pd.to_numeric(values, errors="coerce")
    if kind == "rate":
        scaled = v.clip(0, 1)
    else:
        top = v.max()
        scaled = 1 - v / top if top and top > 0 else v * 0 + 1
    return [MISSING if pd.isna(x) else sample_colorscale(GOOD_BAD, [float(x)])[0] for x in scaled]


def _fmt(value, kind: str, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return fmt_pct(value, lang) if kind == "rate" else fmt_int(value, lang)


def tree_chart(root: dict, nodes: pd.DataFrame, color: str, kind: str, lang: str) -> go.Figure:
    """Sunburst of the selected organization (centre) and one or two levels below it, sized by
    active members and coloured by the page's main figure. customdata carries each org_id."""
    title = t("tree_chart_title", lang, figure=t(f"metric_{color}", lang))
    if nodes.empty:
        return empty(title, lang, height=340)
    ids = [root["org_id"], *nodes["org_id"]]
    parents = ["", *nodes["parent_org_id"]]
    labels = [root["org_name"], *nodes["org_name"]]
    members = [max(int(root.get("members_active") or 0), 0),
               *nodes["members_active"].fillna(0).astype(int)]
    # A sector needs a size: organizations without members still show, thinly.
    sizes = [max(m, 1) for m in members]
    sizes[0] = max(sizes[0], sum(s for s, p in zip(sizes[1:], parents[1:]) if p == ids[0]))
    for i in range(len(ids) - 1, 0, -1):  # parents at least the sum of their children
        kids = sum(s for s, p in zip(sizes, parents) if p == ids[i])
        sizes[i] = max(sizes[i], kids)
    sizes[0] = max(sizes[0], sum(s for s, p in zip(sizes, parents) if p == ids[0]))
    values = [root.get(color), *nodes[color]] if color in nodes else [None] * len(ids)
    colors = _value_colors(pd.Series(values, dtype="float64"), kind)
    hover = [f"{lab}<br>{t('metric_members_active', lang)}: {fmt_int(m, lang)}"
             f"<br>{t(f'metric_{color}', lang)}: {_fmt(v, kind, lang)}"
             for lab, m, v in zip(labels, members, values)]
    fig = go.Figure(go.Sunburst(
        ids=ids, parents=parents, labels=labels, values=sizes, branchvalues="total",
        customdata=ids, marker={"colors": colors, "line": {"color": "white", "width": 1}},
        hovertext=hover, hoverinfo="text", insidetextorientation="radial", maxdepth=3,
        sort=False,
    ))
    fig = _style(fig, title, height=380, legend=False)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 40, "b": 0})
    return fig


def ranked_bars(frame: pd.DataFrame, column: str, kind: str, lang: str) -> go.Figure:
    """Children ranked worst first on one figure (horizontal bars, worst on top)."""
    title = t("rank_title", lang, figure=t(f"metric_{column}", lang))
    if frame.empty:
        return empty(title, lang)
    f = frame.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=f[column], y=f["org_name"], orientation="h",
        marker={"color": _value_colors(f[column], kind)},
        text=[_fmt(v, kind, lang) for v in f[column]], textposition="auto",
        customdata=f["org_id"], hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    if kind == "rate":
        fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return _style(fig, title, height=max(260, 28 * len(f) + 90), legend=False)


def completion_bars(children: pd.DataFrame, lang: str) -> go.Figure:
    """Approved and pending against the roster for each child, worst first, at-risk marked."""
    title = t("completion_by_child", lang)
    if children.empty:
        return empty(title, lang)
    f = children.iloc[::-1]
    roster = f["roster"].where(f["roster"] > 0)
    approved = f["approved"] / roster
    pending = f["pending"] / roster
    names = [f"⚠ {n}" if risk else n for n, risk in zip(f["org_name"], f["is_at_risk"])]
    fig = go.Figure([
        go.Bar(name=t("approved", lang), x=approved, y=names, orientation="h",
               marker_color=GREEN, customdata=f["org_id"],
               text=[fmt_pct(v, lang) for v in approved], textposition="inside",
               hovertemplate="%{y}<br>" + t("approved", lang) + ": %{text}<extra></extra>"),
        go.Bar(name=t("pending", lang), x=pending, y=names, orientation="h",
               marker_color=AMBER, customdata=f["org_id"],
               hovertemplate="%{y}<br>" + t("pending", lang) + ": %{x:.1%}<extra></extra>"),
    ])
    fig.update_layout(barmode="stack")
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return _style(fig, title, height=max(280, 26 * len(f) + 110))


def registration_curve(curve: pd.DataFrame, summary: dict, lang: str) -> go.Figure:
    """Cumulative submissions and approvals against the roster and the deadline, with the
    projection from the recent rate to the projected completion date."""
    title = t("registration_curve", lang)
    if curve.empty:
        return empty(title, lang)
    fig = go.Figure([
        go.Scatter(name=t("cum_submitted", lang), x=curve["day"], y=curve["cum_submitted"],
                   mode="lines", line={"color": AMBER, "width": 2}),
        go.Scatter(name=t("cum_approved", lang), x=curve["day"], y=curve["cum_approved"],
                   mode="lines", line={"color": GREEN, "width": 3}),
    ])
    roster = summary.get("roster") or 0
    if roster:
        fig.add_hline(y=roster, line={"color": BLUE, "dash": "dot"},
                      annotation_text=t("roster_line", lang, n=fmt_int(roster, lang)),
                      annotation_position="top left")
    deadline = summary.get("deadline")
    if deadline is not None:
        fig.add_shape(type="line", x0=deadline, x1=deadline, y0=0, y1=1, yref="paper",
                      line={"color": RED, "dash": "dash"})
        fig.add_annotation(x=deadline, y=1, yref="paper", showarrow=False, yanchor="bottom",
                           text=t("deadline_line", lang, date=fmt_date(deadline, lang)),
                           font={"color": RED})
    projected = summary.get("projected_date")
    as_of = summary.get("as_of")
    if projected is not None and as_of is not None and roster:
        start = as_of.date() if isinstance(as_of, dt.datetime) else as_of
        fig.add_trace(go.Scatter(
            name=t("projection", lang), x=[start, projected],
            y=[summary.get("approved") or 0, roster], mode="lines+markers",
            line={"color": GREEN, "dash": "dot", "width": 2}))
    return _style(fig, title, height=380)


def bucket_bars(frame: pd.DataFrame, label_col: str, value_col: str, title: str,
                lang: str, colors: list[str] | None = None) -> go.Figure:
    """A few bars of counts with fixed categories (e.g. backlog by age, returned by step)."""
    if frame.empty or frame[value_col].sum() == 0:
        return empty(title, lang, height=280)
    fig = go.Figure(go.Bar(x=frame[label_col], y=frame[value_col],
                           marker_color=colors or BLUE,
                           text=[fmt_int(v, lang) for v in frame[value_col]],
                           textposition="auto"))
    return _style(fig, title, height=280, legend=False)


def rate_bars(frame: pd.DataFrame, rate_col: str, count_col: str, title: str,
              lang: str) -> go.Figure:
    """A rate per organization (e.g. the 48-hour timely-review rate), worst first on top."""
    f = frame.dropna(subset=[rate_col])
    if f.empty:
        return empty(title, lang)
    f = f.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=f[rate_col], y=f["org_name"], orientation="h",
        marker={"color": _value_colors(f[rate_col], "rate")},
        text=[f"{fmt_pct(r, lang)} ({fmt_int(n, lang)})" for r, n in zip(f[rate_col], f[count_col])],
        textposition="auto", hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return _style(fig, title, height=max(260, 26 * len(f) + 90), legend=False)


def stacked_steps(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Pending transfers by the step they wait at (x) and by age (stacked)."""
    title = t("pending_by_step", lang)
    if frame.empty or frame["transfers"].sum() == 0:
        return empty(title, lang)
    bars = []
    for bucket, color in (("le2", GREEN), ("3to7", AMBER), ("gt7", RED)):
        part = frame[frame["age_bucket"] == bucket]
        bars.append(go.Bar(name=t(f"age_{bucket}", lang),
                           x=[t(f"step_short_{int(s)}", lang) for s in part["step"]],
                           y=part["transfers"], marker_color=color))
    fig = go.Figure(bars)
    fig.update_layout(barmode="stack")
    return _style(fig, title, height=320)


def status_bars(counts: dict, lang: str) -> go.Figure:
    """Transfers touching the subtree by status."""
    title = t("transfers_by_status", lang)
    keys = ["pending_out", "pending_in", "completed", "returned", "withdrawn"]
    values = [int(counts.get(k) or 0) for k in keys]
    if not any(values):
        return empty(title, lang, height=280)
    fig = go.Figure(go.Bar(x=[t(f"transfer_{k}", lang) for k in keys], y=values,
                           marker_color=[AMBER, BLUE, GREEN, RED, GREY],
                           text=[fmt_int(v, lang) for v in values], textposition="auto"))
    return _style(fig, title, height=280, legend=False)


def flows_sankey(flows: pd.DataFrame, lang: str) -> go.Figure:
    """The main flows into and out of the subtree, by child organization and outside area."""
    title = t("transfer_flows", lang)
    if flows.empty:
        return empty(title, lang, height=420)
    # Sources and targets are separate nodes even when one organization is both.
    src = [("s", k, n, inside) for k, n, inside in
           zip(flows["source_key"], flows["source_name"], flows["source_inside"])]
    dst = [("t", k, n, inside) for k, n, inside in
           zip(flows["target_key"], flows["target_name"], flows["target_inside"])]
    nodes = list(dict.fromkeys(src + dst))
    index = {n: i for i, n in enumerate(nodes)}
    fig = go.Figure(go.Sankey(
        node={"label": [n[2] for n in nodes], "pad": 12, "thickness": 14,
              "color": [BLUE if n[3] else GREY for n in nodes]},
        link={"source": [index[s] for s in src], "target": [index[d] for d in dst],
              "value": list(flows["transfers"]), "color": "rgba(37,99,235,0.25)"},
    ))
    return _style(fig, title, height=max(360, 22 * len(nodes)), legend=False)
