"""Demo data says so: the header of every page, the login and admin pages, grid downloads and
chart images carry 演示数据 / demo data when the published database is a demo; real data shows
nothing extra."""

from __future__ import annotations

import base64
import csv
import io

import duckdb
import openpyxl
import pytest

from dashboard import charts, context
from dashboard.grids import download
from dashboard.pages import dues
from dashboard.store import DataStore
from dashboard.view import View
from etl import dataset
from tests.dashboard.conftest import AS_OF, find, render_all, text
from tests.dashboard.secured import make_app, sign_in
from tests.queries import province

NOTE = "演示数据（虚构，非真实组织）"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """The hand-written province, published as a load of demo data would be."""
    db = tmp_path_factory.mktemp("demo") / "zhtj.duckdb"
    province.build_db(db, province.DATA, as_of=AS_OF)
    with duckdb.connect(str(db)) as con:
        dataset.record(con, demo=True)
    return db


@pytest.fixture()
def demo_store(demo_db):
    return DataStore(demo_db)


@pytest.mark.parametrize("path", ["/", "/registration", "/cadres", "/dues", "/transfers",
                                  "/quality", "/progress"])
def test_every_page_header_says_demo_data(demo_store, path):
    """Beside the title (wide screens) and in the as-of line (phones), with what it means."""
    page = render_all(demo_store, path, "?org=P")
    badge, bar = find(page, "demo-badge"), find(page, "demo-badge-bar")
    assert text(badge) == text(bar) == "演示数据"
    assert "虚构" in badge.title
    english = render_all(demo_store, path, "?org=P&lang=en")
    assert text(find(english, "demo-badge")) == "Demo data"


def test_real_data_has_no_badge(store):
    page = render_all(store, "/", "?org=P")
    assert find(page, "demo-badge") is None and find(page, "demo-badge-bar") is None
    assert "演示数据" not in text(page)


def test_grid_downloads_of_demo_data_say_so_above_the_header(demo_store, store):
    """CSV: a title row first; XLSX: the same in A1, the header below, and in the print header."""
    sent = download(dues.arrears_spec(), demo_store, "/dues", "?org=B11", None, "csv")
    rows = list(csv.reader(io.StringIO(sent["content"].lstrip("\ufeff"))))
    assert rows[0] == [NOTE] and "姓名" in rows[1] and len(rows) == 2 + 3
    real = download(dues.arrears_spec(), store, "/dues", "?org=B11", None, "csv")
    assert "演示数据" not in real["content"]
    xlsx = download(dues.arrears_spec(), demo_store, "/dues", "?org=B11", None, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx["content"]))).active
    assert sheet["A1"].value == NOTE and sheet["A2"].value == rows[1][0]
    assert NOTE in sheet.oddHeader.center.text


def test_chart_images_of_demo_data_say_so_under_their_title(demo_store, store):
    """The subtitle written into an exported chart starts with the note."""
    demo = context.resolve(demo_store, View(org="P"))
    assert charts.subtitle(demo).startswith(NOTE + " · ")
    real = context.resolve(store, View(org="P"))
    assert "演示数据" not in charts.subtitle(real)


def test_login_and_admin_pages_show_the_demo_ribbon(demo_db, tmp_path):
    app = make_app(demo_db, tmp_path / "accounts.sqlite")
    login = app.server.test_client().get("/login").get_data(as_text=True)
    assert 'id="demo-ribbon"' in login and "演示数据" in login
    english = app.server.test_client().get("/login?lang=en").get_data(as_text=True)
    assert "Demo data" in english
    admin = sign_in(app, "prov-admin").get("/admin").get_data(as_text=True)
    assert 'id="demo-ribbon"' in admin


def test_login_page_of_real_data_has_no_ribbon(province_db, tmp_path):
    app = make_app(province_db, tmp_path / "accounts.sqlite")
    login = app.server.test_client().get("/login").get_data(as_text=True)
    assert "demo-ribbon" not in login and "演示数据" not in login
