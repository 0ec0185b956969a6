"""Small shared components: KPI cards, section cards, tables of a few rows."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import helptips
from dashboard.i18n import fmt_delta, fmt_delta_pct, t


def kpi_card(card_id: str, label: str, value: str, *, sub: str | None = None,
             delta: float | None = None, delta_is_rate: bool = False, good_when_up: bool = True,
             href: str | None = None, lang: str = "zh", delta_label: str | None = None
             ) -> dbc.Col:
    """A figure with its change since the previous load (green when the change is good);
    delta_label names another comparison (e.g. "since the previous month")."""
    parts = [html.Div(label, className="kpi-label"),
             html.Div(value, className="kpi-value", id=f"{card_id}-value")]
    if sub:
        parts.append(html.Div(sub, className="kpi-sub"))
    if delta is not None:
        direction = "flat" if delta == 0 else ("good" if (delta > 0) == good_when_up else "bad")
        text = fmt_delta_pct(delta, lang) if delta_is_rate else fmt_delta(delta, lang)
        parts.append(html.Div([text, html.Span(delta_label or t("since_previous_load", lang),
                                               className="ms-1 text-muted")],
                              className=f"kpi-delta {direction}", id=f"{card_id}-delta"))
    body = dbc.Card(dbc.CardBody(parts), className="kpi-card h-100", id=card_id)
    if href:
        body = dcc.Link(body, href=href, className="kpi-link")
    return dbc.Col(with_help(body, label, card_id, lang), xs=12, sm=6, lg=3, className="mb-3")


def with_help(card, label: str, card_id: str, lang: str | None = None) -> html.Div:
    """A KPI card with the `?` of its label in its top-right corner, outside the card's link (a
    tap on it opens the help, not the page the card links to)."""
    return html.Div([card, helptips.button(label, card_id, lang)], className="kpi-box")


def section(title: str, *children, section_id: str | None = None, width: int = 12) -> dbc.Col:
    tip = helptips.button(title, f"section-{section_id or ''}")
    card = dbc.Card([dbc.CardHeader(html.H6([title, tip], className="mb-0")),
                     dbc.CardBody(list(children))], className="section-card h-100")
    return dbc.Col(card, lg=width, className="mb-3", id=section_id or "")


def graph(graph_id: str, figure) -> dcc.Graph:
    """A chart that follows its box's width (a phone turned sideways redraws it); the figure's
    height stays. On touch screens app.css hides the toolbar, which would cover the title."""
    return dcc.Graph(id=graph_id, figure=figure,
                     config={"displaylogo": False, "responsive": True,
                             "modeBarButtonsToRemove": ["select2d", "lasso2d"]})


def small_table(columns: list[tuple[str, str]], rows: list[dict], table_id: str) -> dbc.Table:
    """columns: (key, header); rows: already formatted values."""
    head = html.Thead(html.Tr([html.Th(h) for _, h in columns]))
    body = html.Tbody([html.Tr([html.Td(r.get(k, "")) for k, _ in columns]) for r in rows])
    return dbc.Table([head, body], bordered=False, hover=True, size="sm", striped=True,
                     responsive=True, id=table_id, className="small-table")
