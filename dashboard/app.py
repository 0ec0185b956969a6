"""The Dash app. Until the dashboard issue lands it shows the root organizations' figures only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Settings:
    db: Path


def create_app(settings: Settings):
    """Build the app for one published database (opened read-only on each request)."""
    import json

    from dash import Dash, html

    from etl.metrics import compute, connect

    app = Dash(__name__, title="智慧团建数据看板", serve_locally=True)

    def layout():
        with connect(settings.db) as conn:
            roots = conn.exec_driver_sql(
                "select org_id from org_tree where depth = 0 order by seq").fetchall()
            figures = [compute(conn, r[0]) for r in roots]
        return html.Main([
            html.H1("智慧团建数据看板 / League data dashboard"),
            *[html.Pre(json.dumps(f, ensure_ascii=False, indent=2)) for f in figures],
        ])

    app.layout = layout
    return app
