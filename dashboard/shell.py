"""The frame around every page: header with page links, data freshness and the language switch."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboard import demo
from dashboard.context import Context
from dashboard.i18n import fmt_datetime, t
from dashboard.view import PAGES, View


def frame(view: View, ctx: Context, content) -> html.Div:
    lang = view.lang
    links = [
        dbc.NavItem(dcc.Link(t(f"page_{p}", lang), href=view.href(page=p),
                             className="nav-link" + (" active" if p == view.page else ""),
                             id=f"nav-{p}"))
        for p in PAGES
    ]
    other = "en" if lang == "zh" else "zh"
    # Below Bootstrap's lg breakpoint the links and the right-hand side fold into a menu behind
    # a button that names the page; from lg up the menu is `display: contents` (app.css), so the
    # header is laid out exactly as without it.
    header = html.Header(
        html.Div([
            dcc.Link(t("app_title", lang), href=view.href(page="overview", org=None,
                                                          campaign=None, rank=None),
                     className="app-title"),
            demo.badge(ctx),
            html.Div([demo.badge(ctx, where="bar"), freshness(ctx)],
                     className="app-freshness-bar d-lg-none"),
            html.Button([html.I(className="bi bi-list"),
                         html.Span(t(f"page_{view.page}", lang), className="app-menu-page")],
                        id="app-menu-toggle", type="button", title=t("menu", lang),
                        className="app-menu-toggle d-lg-none",
                        **{"aria-label": t("menu", lang), "aria-controls": "app-menu"}),
            dbc.Collapse([
                dbc.Nav(links, className="app-nav"),
                html.Div([
                    html.Span(freshness(ctx), className="app-freshness", id="freshness"),
                    pack_button(lang) if ctx.org else None,
                    dcc.Link(t(f"lang_{other}", lang), href=view.href(lang=other),
                             className="lang-switch", id="lang-switch"),
                    account_area(ctx, lang),
                ], className="app-header-right"),
            ], id="app-menu", is_open=False, className="app-menu"),
        ], className="app-header-inner"),
        className="app-header",
    )
    return html.Div([header, html.Main(content, className="app-container")], lang=lang)


def register(app) -> None:
    """The header's menu button opens and closes the menu in the browser (no request)."""
    app.clientside_callback(
        "function (clicks, open) { return clicks ? !open : open; }",
        Output("app-menu", "is_open"), Input("app-menu-toggle", "n_clicks"),
        State("app-menu", "is_open"), prevent_initial_call=True)


def pack_button(lang: str):
    from exports.ui import button

    return button(lang)


def account_area(ctx: Context, lang: str):
    """Who is signed in, with the admin page (for admins) and sign-out; or the banner of the
    local single-user mode (--no-auth)."""
    account = ctx.account
    if account is None:
        return None
    if account.org_id is None:
        return dbc.Badge(t("no_auth_banner", lang), color="warning", className="ms-2",
                         id="no-auth-banner")
    items = [html.Span([html.I(className="bi bi-person-circle me-1"), account.name,
                        html.Small(t(f"role_{account.role}", lang), className="ms-1 opacity-75")],
                       className="app-account-name", id="account-name")]
    if account.is_admin:
        items.append(html.A(t("admin_link", lang), href=f"/admin?lang={lang}",
                            className="lang-switch ms-2", id="admin-link"))
    if account.is_admin and (ctx.whole_tree or ctx.problem == "no_data"):
        # Loads from the browser (importer/): the link, and a badge while a load runs that
        # assets/import.js keeps up to date.
        items.append(html.A(t("import_link", lang), href=f"/import?lang={lang}",
                            className="lang-switch ms-2", id="import-link"))
        items.append(html.A("", href=f"/import?lang={lang}", id="import-indicator",
                            className="badge bg-warning text-dark ms-2 d-none "
                                      "app-import-indicator", **{"data-lang": lang}))
    items.append(html.Form(html.Button(t("logout", lang), type="submit", id="logout-button",
                                       className="btn btn-sm btn-outline-light ms-2"),
                           action=f"/logout?lang={lang}", method="POST", className="d-inline"))
    return html.Div(items, className="app-account d-flex align-items-center ms-3")


def freshness(ctx: Context) -> str:
    info = ctx.info
    if not info:
        return ""
    return t("data_as_of", ctx.lang, as_of=fmt_datetime(info["as_of"], ctx.lang),
             load=info["load_id"])


def problem(view: View, ctx: Context):
    """A clear message instead of a page: nothing loaded yet, or an unknown organization."""
    lang = view.lang
    if ctx.problem == "no_data":
        body = [html.H4(t("no_data_title", lang)), html.P(t("no_data_body", lang))]
    elif ctx.problem in ("out_of_scope", "home_missing", "not_signed_in"):
        body = [html.H4(t(f"refused_{ctx.problem}", lang)),
                html.P(t(f"refused_{ctx.problem}_body", lang))]
        if ctx.problem == "out_of_scope":
            body.append(dcc.Link(t("back_to_own_org", lang),
                                 href=view.href(org=None, campaign=None)))
        return dbc.Alert(body, color="danger", className="mt-4", id="problem")
    elif ctx.problem == "org_not_found":
        body = [html.H4(t("org_not_found", lang)),
                dcc.Link(t("back_to_root", lang), href=view.href(org=None, campaign=None))]
    else:
        body = [html.H4(t("campaign_not_found", lang)),
                dcc.Link(t("back_to_latest_campaign", lang), href=view.href(campaign=None))]
    return dbc.Alert(body, color="warning", className="mt-4", id="problem")
