"""`zhtj serve`: the app behind waitress (a production WSGI server: no debug mode, no reloader)."""

from __future__ import annotations

import sys
from pathlib import Path


def serve(db: Path, *, host: str = "127.0.0.1", port: int = 8050, threads: int = 8,
          reveal_contacts: bool = False) -> int:
    import logging

    from waitress import serve as waitress_serve

    from dashboard.app import Settings, create_app
    from dashboard.store import NoData

    app = create_app(Settings(db=Path(db), reveal_contacts=reveal_contacts))
    store = app.server.extensions["zhtj_store"]
    try:
        store.warm()
    except NoData:
        print(f"尚无数据，导入后刷新页面即可 / no database at {db} yet: load one and reload the page",
              file=sys.stderr)
    # Dash asks for several things at once on each page; a short queue is normal, not a warning.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    print(f"数据看板 / dashboard: http://{host}:{port}/", flush=True)
    waitress_serve(app.server, host=host, port=port, threads=threads, ident="zhtj")
    return 0
