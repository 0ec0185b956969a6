"""`zhtj serve`: the app behind waitress (a production WSGI server: no debug mode, no reloader)."""

from __future__ import annotations

import sys
from pathlib import Path


def serve(db: Path, *, host: str = "127.0.0.1", port: int = 8050, threads: int = 8,
          reveal_contacts: bool = False, accounts: Path | None = None, no_auth: bool = False,
          secure_cookies: bool = False, trusted_proxies: tuple[str, ...] = (),
          settings_file: Path | None = None) -> int:
    import logging

    from waitress import serve as waitress_serve

    from dashboard.app import Settings, create_app
    from dashboard.store import NoData

    from accounts import default_path

    accounts = Path(accounts) if accounts else default_path(Path(db))
    if not check_accounts(accounts, no_auth=no_auth, reveal_contacts=reveal_contacts, host=host):
        return 2
    app = create_app(Settings(db=Path(db), reveal_contacts=reveal_contacts, accounts=accounts,
                              no_auth=no_auth, secure_cookies=secure_cookies,
                              trusted_proxies=tuple(trusted_proxies),
                              notify_settings=settings_file))
    store = app.server.extensions["zhtj_store"]
    try:
        store.warm()
    except NoData:
        print(f"尚无数据，导入后刷新页面即可 / no database at {db} yet: load one and reload the page",
              file=sys.stderr)
    # One chart renderer (kaleido + chromium) kept warm for the app's life, started off the
    # request path; without chromium the exports say so and the rest of the app works.
    import threading

    from exports.render import renderer

    threading.Thread(target=renderer().warm, name="zhtj-kaleido-warm", daemon=True).start()
    # Dash asks for several things at once on each page; a short queue is normal, not a warning.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    if trusted_proxies:
        names = ", ".join(trusted_proxies)
        print(f"信任反向代理 {names} 的 X-Forwarded-For/-Proto / trusting X-Forwarded-For/-Proto "
              f"from the reverse proxy {names}", flush=True)
    print(f"数据看板 / dashboard: http://{host}:{port}/", flush=True)
    # waitress removes every forwarded header by default; with trusted proxies the app's own
    # middleware (dashboard/proxy.py) decides, by the peer's address.
    waitress_serve(app.server, host=host, port=port, threads=threads, ident="zhtj",
                   clear_untrusted_proxy_headers=not trusted_proxies)
    return 0


NO_AUTH_BANNER = ("本地单用户模式：未启用登录，能打开此地址的人都能看到全部数据 / local single-user "
                  "mode: sign-in is off, and anyone who can open this address sees all the data")


def check_accounts(path: Path, *, no_auth: bool, reveal_contacts: bool, host: str) -> bool:
    """Say how the app will let people in; False when nobody could (no account yet)."""
    if no_auth:
        print(NO_AUTH_BANNER, flush=True)
        if host not in ("127.0.0.1", "localhost", "::1"):
            print(f"警告：--no-auth 且监听 {host} / warning: --no-auth while listening on {host}",
                  file=sys.stderr, flush=True)
        return True
    from accounts.store import AccountStore

    if not path.exists() or AccountStore(path).count() == 0:
        print(f"尚无账号：请先运行 zhtj user add NAME --org ORG_ID --role admin --accounts {path}"
              f"（或用 --no-auth 本地单用户运行） / no account in {path} yet: create one with "
              f"`zhtj user add NAME --org ORG_ID --role admin --accounts {path}` (or run "
              "locally for one user with --no-auth)", file=sys.stderr, flush=True)
        return False
    if reveal_contacts:
        print("已启用登录：--reveal-contacts 无效，由账号角色决定 / sign-in is on: "
              "--reveal-contacts is ignored, each account's role decides", file=sys.stderr)
    print(f"需要登录，账号文件 / sign-in required, accounts: {path}", flush=True)
    return True
