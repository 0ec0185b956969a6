"""The report queries run by name on a published database, and `zhtj metrics` (CONTRACT.md §3)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pandas as pd
import pytest

import queries
from etl.metrics import CampaignNotFound, OrgNotFound, compute, connect
from tests.queries import province
from tests.queries.province import CAMPAIGN_ID, NAME, SEQ, TREE

AS_OF = dt.datetime(2024, 10, 8, 12, 0, 0)


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    db = tmp_path_factory.mktemp("reports") / "zhtj.duckdb"
    province.build_db(db, province.DATA, as_of=AS_OF)
    with connect(db) as c:
        yield c


@pytest.fixture(scope="module")
def bare_conn(tmp_path_factory):
    """A database with organizations and members but no campaign and no dues line."""
    db = tmp_path_factory.mktemp("bare") / "zhtj.duckdb"
    data = {"orgs": province.ORGS, "members": province.MEMBERS[:3]}
    province.build_db(db, data, as_of=AS_OF)
    with connect(db) as c:
        yield c


def records(df: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in df.itertuples(index=False)]


# --- org_lookup ------------------------------------------------------------------------------
@pytest.mark.parametrize("org_id, parent, org_type", [
    ("P", None, 1), ("G1", "U", 4), ("B31", "W", 5), ("XB", "X", 5),
])
def test_org_lookup_finds_an_organization_and_its_range(conn, org_id, parent, org_type):
    """One row: seq .. seq_last, parent, type, names and depth."""
    seq, seq_last, depth, _ = TREE[org_id]
    got = queries.run("org_lookup", conn, org_id=org_id)
    assert list(got.columns) == ["seq", "seq_last", "org_id", "parent_org_id", "org_type",
                                 "full_name", "short_name", "depth"]
    assert records(got) == [(seq, seq_last, org_id, parent, org_type, NAME[org_id], NAME[org_id],
                             depth)]


def test_org_lookup_returns_nothing_for_an_unknown_id(conn):
    """An id that is not loaded gives no row (and a full name is not an id)."""
    assert queries.run("org_lookup", conn, org_id="nope").empty
    assert queries.run("org_lookup", conn, org_id=NAME["P"]).empty


def test_org_lookup_many_gives_each_loaded_organization_as_org_lookup_does(tmp_path):
    """Many ids at once (a DuckDB list): one row per loaded organization, the same row
    org_lookup gives for it, in tree order; unknown ids and names are left out."""
    import duckdb

    db = tmp_path / "zhtj.duckdb"
    province.build_db(db, province.DATA, as_of=AS_OF)
    native = duckdb.connect(str(db), read_only=True)
    try:
        got = queries.rows("org_lookup_many", native,
                           org_ids=["B31", "nope", "P", NAME["G1"], "XB", "P"])
        one = [queries.rows("org_lookup", native, org_id=o)[0] for o in ("P", "B31", "XB")]
    finally:
        native.close()
    assert got == sorted(one, key=lambda r: r["seq"])
    assert [r["org_id"] for r in got] == sorted(["P", "B31", "XB"], key=lambda o: TREE[o][0])


# --- org_metrics -----------------------------------------------------------------------------
@pytest.mark.parametrize("org_id, expected", [
    ("P", ("P", 7, 4, 1, 2, 7, 4, 3, 2, 2, 1, 1, 1, 2)),
    ("G1", ("G1", 6, 3, 1, 2, 3, 1, 2, 1, 1, 1, 1, 1, 2)),
    ("B12", ("B12", 2, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0)),
    ("X", ("X", 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0)),
])
def test_org_metrics_gives_the_subtree_figures_with_as_of_and_quarantine(conn, org_id, expected):
    """One row of subtree figures, the load's as-of time and the load's quarantined rows."""
    got = queries.run("org_metrics", conn, seq=SEQ[org_id])
    assert records(got) == [(*expected, pd.Timestamp(AS_OF), province.QUARANTINED_ROWS)]


# --- org_campaign ----------------------------------------------------------------------------
@pytest.mark.parametrize("org_id, campaign, chosen", [
    ("P", None, "计算机学院补报到"),          # run by a descendant, latest deadline
    ("U", None, "计算机学院补报到"),
    ("B11", None, "计算机学院补报到"),        # run by an ancestor
    ("G2", None, "2024级新生报到"),           # tie on 2024-10-31 with its own: smaller name
    ("B21", None, "2024级新生报到"),
    ("X", None, "全省团员报到2025"),
    ("W", None, None),                         # the campaigns of siblings' subtrees do not count
    ("B31", None, None),
    ("P", "2023级新生报到", "2023级新生报到"),  # named: that one, whatever its deadline
    ("W", "2024级新生报到", "2024级新生报到"),  # named: wherever it runs
    ("P", "没有这个任务", None),
])
def test_org_campaign_chooses_the_named_or_the_latest_related_campaign(conn, org_id, campaign,
                                                                        chosen):
    """:campaign when given; else latest deadline (then name) of ancestors, self, descendants."""
    seq, seq_last, _, _ = TREE[org_id]
    got = queries.run("org_campaign", conn, seq=seq, seq_last=seq_last, campaign=campaign)
    expected = [c for c in province.CAMPAIGNS if c["campaign"] == chosen]
    assert records(got) == [(CAMPAIGN_ID[c["campaign"]], c["campaign"],
                             dt.date.fromisoformat(c["deadline"].replace("/", "-")), c["org_id"])
                            for c in expected]


# --- org_registration ------------------------------------------------------------------------
@pytest.mark.parametrize("org_id, campaign, expected", [
    ("P", "2024级新生报到", [(7, 3, 1)]),
    ("G1", "计算机学院补报到", [(2, 0, 1)]),
    ("B21", "2024级新生报到", [(2, 1, 0)]),
    ("W", "2024级新生报到", []),
    ("G2", "2024级转专业报到", []),
])
def test_org_registration_counts_one_campaign_in_one_subtree(conn, org_id, campaign, expected):
    """Roster, approved and pending of the campaign inside the subtree; no row when none."""
    got = queries.run("org_registration", conn, seq=SEQ[org_id], campaign_id=CAMPAIGN_ID[campaign])
    assert records(got) == expected


# --- org_dues_month --------------------------------------------------------------------------
@pytest.mark.parametrize("org_id, month, expected", [
    ("P", None, (dt.date(2024, 9, 1), 5, 1, Decimal("11.40"), Decimal("3.00"), 2)),
    ("P", dt.date(2024, 6, 1), (dt.date(2024, 6, 1), 4, 1, Decimal("8.40"), Decimal("0.20"), 0)),
    ("B11", dt.date(2024, 8, 1), (dt.date(2024, 8, 1), 2, 0, Decimal("0.40"), Decimal("0.00"), 1)),
    ("W", None, (dt.date(2024, 9, 1), 1, 0, Decimal("5.00"), Decimal("0.00"), 1)),
    ("B21", None, (dt.date(2024, 9, 1), None, None, None, None, None)),  # nothing billed there
    ("P", dt.date(2023, 1, 1), (dt.date(2023, 1, 1), None, None, None, None, None)),
])
def test_org_dues_month_defaults_to_the_latest_month_with_dues(conn, org_id, month, expected):
    """The given month or the latest one anywhere; figures null where the subtree had no line."""
    got = queries.run("org_dues_month", conn, seq=SEQ[org_id], month=month)
    assert records(got) == [expected]


# --- etl.metrics.compute: the §3 JSON --------------------------------------------------------
def figures(org_id: str, *, registration, members_active: int, reviews_pending: int, cadres,
            dues, transfers) -> dict:
    return {
        "org_id": org_id, "org_name": NAME[org_id], "as_of": "2024-10-08T12:00:00",
        "members_active": members_active,
        "registration": registration,
        "reviews_pending": reviews_pending,
        "cadres": dict(zip(("records", "in_scope", "out_of_scope", "onboarded_in_scope",
                            "onboarding_rate", "branches_without_cadre"), cadres)),
        "dues": dues,
        "transfers": dict(zip(("pending_out", "pending_in", "completed", "returned"), transfers)),
        "quarantined_rows": 2,
    }


def registration(campaign, deadline, roster, approved, pending, rate_approved, rate_submitted):
    return {"campaign": campaign, "deadline": deadline, "roster": roster, "approved": approved,
            "pending": pending, "completion_approved": rate_approved,
            "completion_submitted": rate_submitted}


def dues(month, billed, paid, compliance, due, paid_yuan, arrears):
    return {"month": month, "billed_members": billed, "paid_members": paid,
            "compliance": compliance, "amount_due_yuan": due, "amount_paid_yuan": paid_yuan,
            "arrears_6plus_members": arrears}


EXPECTED = {
    "P": figures(
        "P", members_active=7, reviews_pending=2,
        registration=registration("计算机学院补报到", "2024-12-31", 2, 0, 1, 0.0, 0.5),
        cadres=(7, 4, 3, 2, 0.5, 2),
        dues=dues("2024-09", 5, 1, 0.2, 11.4, 3.0, 2),
        transfers=(1, 1, 1, 2)),
    "G1": figures(
        "G1", members_active=6, reviews_pending=2,
        registration=registration("计算机学院补报到", "2024-12-31", 2, 0, 1, 0.0, 0.5),
        cadres=(3, 1, 2, 1, 1.0, 1),
        dues=dues("2024-09", 4, 1, 0.25, 6.4, 3.0, 1),
        transfers=(1, 1, 1, 2)),
    "G2": figures(
        "G2", members_active=0, reviews_pending=0,
        registration=registration("2024级新生报到", "2024-10-31", 2, 1, 0, 0.5, 0.5),
        cadres=(1, 1, 0, 0, 0.0, 0),
        dues=dues("2024-09", 0, 0, None, 0.0, 0.0, 0),
        transfers=(1, 1, 0, 0)),
    "W": figures(
        "W", members_active=1, reviews_pending=0,
        registration=None,
        cadres=(0, 0, 0, 0, None, 1),
        dues=dues("2024-09", 1, 0, 0.0, 5.0, 0.0, 1),
        transfers=(0, 0, 1, 1)),
    "X": figures(
        "X", members_active=1, reviews_pending=0,
        registration=registration("全省团员报到2025", "2025-03-31", 1, 1, 0, 1.0, 1.0),
        cadres=(1, 0, 1, 0, None, 0),
        dues=dues("2024-09", 1, 1, 1.0, 0.2, 0.2, 0),
        transfers=(1, 0, 0, 0)),
}


@pytest.mark.parametrize("org_id", list(EXPECTED))
def test_metrics_compute_gives_the_contract_json(conn, org_id):
    """The whole §3 object, defaults applied: latest dues month, latest related campaign."""
    got = compute(conn, org_id)
    assert json.loads(json.dumps(got)) == EXPECTED[org_id]
    assert got == EXPECTED[org_id]


def test_metrics_compute_keeps_the_contract_key_order(conn):
    """Keys appear in the order §3 prints them."""
    got = compute(conn, "P")
    assert list(got) == ["org_id", "org_name", "as_of", "members_active", "registration",
                         "reviews_pending", "cadres", "dues", "transfers", "quarantined_rows"]


def test_metrics_compute_emits_plain_json_numbers(conn):
    """Counts are ints and rates/yuan are floats, not numpy or Decimal values."""
    got = compute(conn, "P")
    assert type(got["members_active"]) is int
    assert type(got["cadres"]["records"]) is int
    assert type(got["cadres"]["onboarding_rate"]) is float
    assert type(got["dues"]["amount_due_yuan"]) is float
    assert type(got["registration"]["roster"]) is int


def test_metrics_compute_uses_the_given_month(conn):
    """--month picks that month's dues figures."""
    got = compute(conn, "P", month="2024-06")
    assert got["dues"] == dues("2024-06", 4, 1, 0.25, 8.4, 0.2, 0)


@pytest.mark.parametrize("org_id, campaign, expected", [
    ("P", "2024级新生报到", registration("2024级新生报到", "2024-10-31", 7, 3, 1, 0.4286, 0.5714)),
    ("U", "2023级新生报到", registration("2023级新生报到", "2023-10-31", 1, 1, 0, 1.0, 1.0)),
    ("W", "2024级新生报到", registration("2024级新生报到", "2024-10-31", 0, 0, 0, None, None)),
])
def test_metrics_compute_uses_the_given_campaign(conn, org_id, campaign, expected):
    """--campaign picks that campaign; only roster entries inside the subtree count."""
    assert compute(conn, org_id, campaign=campaign)["registration"] == expected


def test_metrics_compute_refuses_an_unknown_organization(conn):
    """An id that is not loaded raises OrgNotFound."""
    with pytest.raises(OrgNotFound):
        compute(conn, "nope")


def test_metrics_compute_refuses_an_unknown_campaign(conn):
    """A campaign name that does not exist raises CampaignNotFound."""
    with pytest.raises(CampaignNotFound):
        compute(conn, "P", campaign="没有这个任务")


def test_metrics_compute_gives_null_registration_and_dues_without_data(bare_conn):
    """No campaign anywhere: registration is null; no dues line anywhere: dues is null."""
    got = compute(bare_conn, "P")
    assert got == {
        "org_id": "P", "org_name": NAME["P"], "as_of": "2024-10-08T12:00:00",
        "members_active": 3, "registration": None, "reviews_pending": 2,
        "cadres": {"records": 0, "in_scope": 0, "out_of_scope": 0, "onboarded_in_scope": 0,
                   "onboarding_rate": None, "branches_without_cadre": 4},
        "dues": None,
        "transfers": {"pending_out": 0, "pending_in": 0, "completed": 0, "returned": 0},
        "quarantined_rows": 0,
    }
