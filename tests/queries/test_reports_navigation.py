"""The reports behind the navigator, the header and the overview: load_info, tree_range,
org_ancestors, org_children_metrics, org_campaigns, org_previous, org_previous_registration."""

from __future__ import annotations

import datetime as dt

import pytest

import queries
from etl.metrics import connect
from tests.queries import province
from tests.queries.province import CAMPAIGN_ID, SEQ, TREE

AS_OF = dt.datetime(2024, 10, 8, 12, 0, 0)
LATER = dt.datetime(2024, 10, 15, 12, 0, 0)


@pytest.fixture(scope="module")
def dbs(tmp_path_factory):
    """Two loads: the province, then the province without member m1 (history carried)."""
    base = tmp_path_factory.mktemp("nav")
    first, second = base / "first.duckdb", base / "second.duckdb"
    province.build_db(first, province.DATA, as_of=AS_OF)
    data = {**province.DATA, "members": [m for m in province.MEMBERS if m["name"] != "m1"]}
    province.build_db(second, data, as_of=LATER, previous=first)
    return first, second


@pytest.fixture(scope="module")
def conn(dbs):
    with connect(dbs[0]) as c:
        yield c


def test_load_info_names_the_load_the_default_root_and_the_latest_dues_month(conn):
    info = queries.rows("load_info", conn)[0]
    assert info["load_id"] == 1 and info["as_of"] == AS_OF
    assert info["previous_as_of"] is None
    assert info["root_org_id"] == "X"  # the first root in tree order
    assert info["latest_dues_month"] == dt.date(2024, 9, 1)


def test_tree_range_spans_every_root(conn):
    assert queries.rows("tree_range", conn) == [{"seq": 1, "seq_last": 11}]


def test_org_ancestors_is_the_breadcrumb_root_first(conn):
    rows = queries.rows("org_ancestors", conn, org_id="B11")
    assert [(r["org_id"], r["depth"]) for r in rows] == [("P", 0), ("U", 1), ("G1", 2), ("B11", 3)]
    assert rows[-1]["org_name"] == "计算机学院2024级1班团支部"
    assert queries.rows("org_ancestors", conn, org_id="nope") == []


@pytest.mark.parametrize("levels, expected", [
    (1, [("U", 6, 7, 3, 3 / 7), ("W", 1, None, None, None)]),
    (2, [("U", 6, 7, 3, 3 / 7), ("G2", 0, 2, 1, 0.5), ("G1", 6, 5, 2, 0.4),
         ("W", 1, None, None, None), ("B31", 1, None, None, None)]),
])
def test_org_children_metrics_one_or_two_levels_below_with_campaign_completion(
        conn, levels, expected):
    seq, seq_last, depth, _ = TREE["P"]
    rows = queries.rows("org_children_metrics", conn, seq=seq, seq_last=seq_last, depth=depth,
                        levels=levels, campaign_id=CAMPAIGN_ID["2024级新生报到"],
                        dues_month=dt.date(2024, 9, 1))
    got = [(r["org_id"], r["members_active"], r["roster"], r["approved"],
            r["completion_approved"]) for r in rows]
    assert got == expected


def test_org_children_metrics_dues_compliance_of_the_month(conn):
    seq, seq_last, depth, _ = TREE["U"]
    rows = queries.rows("org_children_metrics", conn, seq=seq, seq_last=seq_last, depth=depth,
                        levels=1, campaign_id=None, dues_month=dt.date(2024, 9, 1))
    by = {r["org_id"]: r for r in rows}
    # September: B11 bills m1 (unpaid), m2 (unpaid); B12 bills m6 (unpaid), m7 (paid)
    assert (by["G1"]["dues_billed_members"], by["G1"]["dues_paid_members"]) == (4, 1)
    assert by["G1"]["dues_compliance"] == 0.25
    assert by["G2"]["dues_billed_members"] is None  # no bill line in September


def test_org_campaigns_lists_those_concerning_the_organization_latest_first(conn):
    seq, seq_last, _, _ = TREE["G1"]
    rows = queries.rows("org_campaigns", conn, seq=seq, seq_last=seq_last)
    assert [(r["campaign"], r["roster"]) for r in rows] == [
        ("计算机学院补报到", 2), ("2024级新生报到", 5), ("2023级新生报到", 1)]


def test_org_previous_is_empty_on_the_first_load(conn):
    assert queries.rows("org_previous", conn, org_id="U") == []
    assert queries.rows("org_previous_registration", conn, org_id="U",
                        campaign="2024级新生报到") == []


def test_org_previous_gives_the_previous_loads_figures(dbs):
    with connect(dbs[1]) as c:
        prev = queries.rows("org_previous", c, org_id="U")
        reg = queries.rows("org_previous_registration", c, org_id="U", campaign="2024级新生报到")
        now = queries.rows("org_metrics", c, seq=SEQ["U"])[0]
        info = queries.rows("load_info", c)[0]
    assert [(p["load_id"], p["as_of"], p["members_active"]) for p in prev] == [(1, AS_OF, 6)]
    assert now["members_active"] == 5  # m1 is gone in the second load
    assert [(r["roster"], r["approved"], r["pending"]) for r in reg] == [(7, 3, 1)]
    assert (info["load_id"], info["previous_as_of"]) == (2, AS_OF)
