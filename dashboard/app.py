"""The Dash app: a shell (header, organization navigator, page) routed by the URL."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, dcc, html

from accounts import default_path as default_accounts_path
from dashboard import (auth, charts, context, help_page, helptips, lazy, navigator, proxy,
                       shell)
from dashboard.admin_alerts import NotifyConfig
from dashboard.pages import PAGES
from dashboard.store import DataStore
from dashboard.view import parse
from exports import ui as exports_ui

# The top-level assets/ package (CSS, fonts, translations), where it is installed: a wheel puts it
# in site-packages, beside dashboard/.
ASSETS = files("assets")


@dataclass
class Settings:
    db: Path
    memory_limit: str = "2GB"
    threads: int = 2
    # Names and mobiles in full in follow-up lists; masked otherwise (ID numbers always are).
    # Only for the local account of no_auth: with sign-in, the account's role decides.
    reveal_contacts: bool = False
    accounts: Path | None = None  # the accounts file (default: accounts.sqlite beside db)
    no_auth: bool = False  # a single-user local run: no sign-in, the whole tree
    secure_cookies: bool = False  # the session cookie only over HTTPS
    # Reverse proxies whose X-Forwarded-For/-Proto are believed (dashboard/proxy.py); from
    # anyone else, and when empty, forwarded headers are removed.
    trusted_proxies: tuple[str, ...] = ()
    # Alerts managed at /admin/alerts: the settings file's [notify] and the channels' secrets
    # (default: notify-secrets.toml beside the accounts file, when it exists).
    notify_settings: Path | None = None
    notify_secrets: Path | None = None


def create_app(settings: Settings) -> Dash:
    """Build the app for the database published at settings.db (read-only, reopened when the
    loader publishes a new file)."""
    store = DataStore(settings.db, memory_limit=settings.memory_limit, threads=settings.threads)
    app = Dash(
        __name__,
        title="智慧团建数据看板",
        assets_folder=str(ASSETS),
        serve_locally=True,
        suppress_callback_exceptions=True,
        update_title=None,
        external_stylesheets=[],
    )
    app.layout = html.Div([
        dcc.Location(id="url", refresh=False),
        html.Div(id="body", children=dbc.Spinner(color="primary")),
        exports_ui.panel(),  # outside the body: a pack keeps building while the user moves on
    ])

    @app.callback(Output("body", "children"), Input("url", "pathname"), Input("url", "search"))
    def render(pathname, search):
        return render_view(store, pathname, search)

    shell.register(app)  # the header's menu on phones
    navigator.register(app, store)
    lazy.register(app, store)
    charts.register(app, store)
    exports_ui.register(app, store)
    helptips.register(app, store)  # the ? beside every card and chart title
    help_page.register(app, store)
    for page in PAGES.values():
        page.register(app, store)
    app.server.extensions["zhtj_store"] = store
    accounts_file = settings.accounts or default_accounts_path(settings.db)
    secrets = settings.notify_secrets or accounts_file.with_name("notify-secrets.toml")
    app.server.extensions["zhtj_notify"] = NotifyConfig(
        db=settings.db, accounts=accounts_file, settings_file=settings.notify_settings,
        secrets_file=secrets if secrets.exists() else None)
    auth.install(app, auth.AuthSettings(
        accounts=accounts_file,
        no_auth=settings.no_auth, reveal_contacts=settings.reveal_contacts,
        secure_cookies=settings.secure_cookies))
    # Loads from the browser (/import): a room beside the dashboard, on the same sign-in.
    from importer.web import ImportConfig, install as install_import

    install_import(app, ImportConfig(db=settings.db, accounts=accounts_file,
                                     settings_file=settings.notify_settings))
    app.server.wsgi_app = proxy.TrustedProxies(app.server.wsgi_app, settings.trusted_proxies)
    return app


@lazy.section("nav.chart")
def tree_chart_section(store: DataStore, ctx: context.Context):
    """The tree chart, coloured by the page's main figure."""
    return navigator.chart(store, ctx, color=PAGES[ctx.view.page].tree_color(ctx))


def render_view(store: DataStore, pathname: str | None, search: str | None):
    """The whole page for a URL: header, navigator and the page's content."""
    view = parse(pathname, search)
    ctx = context.resolve(store, view)
    if view.page == "help" and ctx.problem == "no_data":  # help before the first load too
        return shell.frame(view, ctx, html.Div(help_page.layout(store, ctx), id="help-page"))
    if ctx.problem is not None:
        return shell.frame(view, ctx, shell.problem(view, ctx))
    if view.page == "help":  # no figures of its own: the navigator's bar, then the entries
        return shell.frame(view, ctx, html.Div([navigator.bar(store, ctx),
                                                html.Div(help_page.layout(store, ctx),
                                                         id="help-page")]))
    page = PAGES[view.page]
    return shell.frame(view, ctx, html.Div([
        navigator.bar(store, ctx),
        dbc.Row([
            dbc.Col(lazy.placeholder("nav.chart", height=380), lg=3, className="nav-side"),
            dbc.Col(html.Div(page.layout(store, ctx), id=f"{view.page}-page"), lg=9),
        ]),
    ]))
