"""The organization navigator on every page: search (names and pinyin), breadcrumb, tree chart."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update

import queries
from dashboard import access, figures, helptips
from dashboard.context import Context, home_of
from dashboard.i18n import t
from dashboard.store import DataStore
from dashboard.view import View, parse

SEARCH_LIMIT = 12
# A tree chart of two levels is drawn when it stays readable; otherwise one level.
MAX_TREE_NODES = 120
TWO_LEVELS_MAX_ORGS = 3000


def bar(store: DataStore, ctx: Context) -> html.Section:
    """Breadcrumb of ancestors (each a link; none above the account's organization) and the
    search box."""
    with store.cursor() as cur:
        path = [o for o in queries.rows("org_ancestors", cur, org_id=ctx.org["org_id"])
                if ctx.in_scope(o)]
    search = html.Div([
        dcc.Input(id="nav-search", type="search", placeholder=t("search_placeholder", ctx.lang),
                  debounce=0.3, autoComplete="off", className="form-control"),
        html.Div(id="nav-results", className="nav-results list-group"),
    ], className="nav-search")
    return html.Section(
        dbc.Row([dbc.Col(breadcrumb(ctx.view, path), md=7), dbc.Col(search, md=5)],
                className="align-items-center g-2"),
        className="navigator")


def chart(store: DataStore, ctx: Context, *, color: tuple[str, str]) -> html.Div:
    """The tree chart; color: (column of org_children_metrics, 'rate' | 'count_bad')."""
    with store.cursor() as cur:
        nodes = tree_nodes(cur, ctx)
    root = {**ctx.org, "org_name": ctx.org.get("short_name") or ctx.org["full_name"],
            **_root_values(store, ctx)}
    figure = figures.tree_chart(root, nodes, color[0], color[1], ctx.lang)
    tip = helptips.button(figure["layout"]["title"]["text"], "nav-tree", ctx.lang)
    return html.Div([
        html.Div(tip, className="chart-tools nav-tree-tools") if tip is not None else None,
        dcc.Graph(id="nav-tree", figure=figure,
                  config={"displayModeBar": False, "responsive": True},
                  className="nav-tree"),
        html.Div(t("tree_chart_hint", ctx.lang), className="nav-tree-hint text-muted small"),
    ], className="nav-tree-box")


def _root_values(store: DataStore, ctx: Context) -> dict:
    """The selected organization's own figures, for the centre of the chart."""
    with store.cursor() as cur:
        own = queries.run("org_children_metrics", cur, seq=ctx.org["seq"] - 1,
                          seq_last=ctx.org["seq"], depth=ctx.org["depth"] - 1, levels=1,
                          campaign_id=ctx.campaign["campaign_id"] if ctx.campaign else None,
                          dues_month=ctx.info.get("latest_dues_month"))
    return own.iloc[0].to_dict() if len(own) else {}


def tree_nodes(cur, ctx: Context):
    """The organizations one level below the selected one (two for a small subtree), with their
    figures. Two levels of a large subtree would be unreadable, and slow to read: the per-month
    and per-campaign rollups are joined for every node."""
    levels = 2 if ctx.org["seq_last"] - ctx.org["seq"] <= TWO_LEVELS_MAX_ORGS else 1
    nodes = queries.run("org_children_metrics", cur, levels=levels, **_node_params(ctx))
    if levels == 2 and len(nodes) > MAX_TREE_NODES:
        nodes = nodes[nodes["depth"] == ctx.org["depth"] + 1]
    ctx.cache["children"] = nodes[nodes["depth"] == ctx.org["depth"] + 1].reset_index(drop=True)
    return nodes


def _node_params(ctx: Context) -> dict:
    return dict(**ctx.scope, depth=ctx.org["depth"],
                campaign_id=ctx.campaign["campaign_id"] if ctx.campaign else None,
                dues_month=ctx.info.get("latest_dues_month"))


def children(store: DataStore, ctx: Context):
    """The organizations one level below, with their figures (read once per request)."""
    if "children" not in ctx.cache:
        with store.cursor() as cur:
            ctx.cache["children"] = queries.run("org_children_metrics", cur, levels=1,
                                                **_node_params(ctx))
    return ctx.cache["children"]


def breadcrumb(view: View, path: list[dict]) -> html.Nav:
    items = []
    for i, org in enumerate(path):
        last = i == len(path) - 1
        label = org["org_name"]
        item = (html.Span(label, **{"aria-current": "page"}) if last
                else dcc.Link(label, href=view.href(org=org["org_id"])))
        items.append(html.Li(item, className="breadcrumb-item" + (" active" if last else "")))
    return html.Nav(html.Ol(items, className="breadcrumb mb-0"), id="breadcrumb",
                    **{"aria-label": "breadcrumb"})


def search_results(store: DataStore, text: str | None, view: View) -> list:
    """Links to the organizations whose name, pinyin or pinyin initials contain the text, inside
    the account's subtree only."""
    q = (text if isinstance(text, str) else "").strip().lower()
    if not q:
        return []
    account = access.current()
    home = home_of(store, account) if account is not None else None
    if home is None:
        return []
    with store.cursor() as cur:
        found = queries.rows("org_search", cur, q=q[:50], seq=home["seq"],
                             seq_last=home["seq_last"], limit=SEARCH_LIMIT)
    if not found:
        return [html.Div(t("search_nothing", view.lang), className="list-group-item text-muted")]
    return [
        dcc.Link([html.Span(r["full_name"]),
                  html.Small(r["short_name"] or "", className="text-muted ms-2")],
                 href=view.href(org=r["org_id"], campaign=None),
                 className="list-group-item list-group-item-action nav-result")
        for r in found
    ]


def drill_target(store: DataStore, click: dict | None, view: View) -> str | None:
    """The URL search of a click on the tree chart: a sector drills into that organization, the
    centre goes up to the parent. None when the click names nothing, or an organization outside
    the account's subtree (refused and audited: the chart never offers one)."""
    points = click.get("points") if isinstance(click, dict) else None
    if not points or not isinstance(points, list) or not isinstance(points[0], dict):
        return None
    org_id = points[0].get("customdata")
    if isinstance(org_id, list):
        org_id = org_id[0] if org_id else None
    if not org_id or not isinstance(org_id, str):
        return None
    account = access.current()
    home = home_of(store, account) if account is not None else None
    if home is None:
        return None

    def inside(o: dict) -> bool:
        return home["seq"] <= o["seq"] <= home["seq_last"]

    with store.cursor() as cur:
        found = queries.rows("org_lookup", cur, org_id=org_id)
        if not found:
            return None
        target = found[0]
        if not inside(target):
            access.refuse("out_of_scope", org_id=org_id, page=view.page, where="tree_click")
            return None
        home_org = home["org_id"] or None
        if view.org == org_id or (view.org is None and (target["depth"] == 0
                                                        or org_id == home_org)):
            if not target["parent_org_id"]:
                return None
            target = queries.rows("org_lookup", cur, org_id=target["parent_org_id"])[0]
            if not inside(target):  # the centre of the account's own organization: no higher
                return None
        campaign = view.campaign
        if campaign:
            concerned = queries.rows("org_campaigns", cur, seq=target["seq"],
                                     seq_last=target["seq_last"])
            if campaign not in {c["campaign"] for c in concerned}:
                campaign = None
    return view.search(org=target["org_id"], campaign=campaign)


def register(app, store: DataStore) -> None:
    @app.callback(Output("nav-results", "children"), Input("nav-search", "value"),
                  State("url", "pathname"), State("url", "search"), prevent_initial_call=True)
    def on_search(text, pathname, search):
        return search_results(store, text, parse(pathname, search))

    @app.callback(Output("url", "search", allow_duplicate=True), Input("nav-tree", "clickData"),
                  State("url", "pathname"), State("url", "search"), prevent_initial_call=True)
    def on_tree_click(click, pathname, search):
        target = drill_target(store, click, parse(pathname, search))
        return no_update if target is None else target
