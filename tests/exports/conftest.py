"""The hand-written province (tests/queries/province.py) published as a database, and views of
it; chromium-dependent tests skip where Debian's chromium is absent."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import context
from dashboard.store import DataStore
from dashboard.view import View
from exports import render
from tests.queries import province

AS_OF = dt.datetime(2024, 10, 8, 12, 0, 0)
UNIVERSITY = "U"  # 共青团某大学委员会: runs the 2024 campaign

needs_chromium = pytest.mark.skipif(render.chromium_path() is None,
                                    reason="chromium missing (as root, `make test` installs it)")


@pytest.fixture(scope="session")
def province_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("exports") / "zhtj.duckdb"
    province.build_db(db, province.DATA, as_of=AS_OF)
    return db


@pytest.fixture()
def store(province_db):
    return DataStore(province_db)


def view_ctx(store, org: str = UNIVERSITY, *, lang: str = "zh", reveal: bool = False):
    ctx = context.resolve(store, View(org=org, lang=lang), reveal=reveal)
    assert ctx.problem is None, ctx.problem
    return ctx
