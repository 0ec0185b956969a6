"""History across loads: loads, history_org (snapshot_org) and history_registration
(snapshot_registration) carried from one database file into the next."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest

from etl.history import carry_history
from tests.queries import province
from tests.queries.conftest import make_id
from tests.queries.province import NAME

FIRST_AS_OF = dt.datetime(2024, 10, 8, 12, 0, 0)
SECOND_AS_OF = dt.datetime(2024, 11, 8, 9, 30, 0)

# The second load: one more approved member in B12, on the 2024 roster; one more dues month.
NEWCOMER = make_id("20060101", 11)
SECOND = {
    **province.DATA,
    "members": province.MEMBERS + [{"name": "m11", "id_number": NEWCOMER, "branch": NAME["B12"],
                                    "registration_status": "审核通过"}],
    "roster": province.ROSTER + [{"campaign": "2024级新生报到", "name": "m11",
                                  "id_number": NEWCOMER, "branch": NAME["B12"]}],
    "dues": province.DUES + [{"month": "2024-10", "name": "m11", "id_number": NEWCOMER,
                              "branch": NAME["B12"], "amount_due": "0.20", "paid_status": "已交"}],
}


@pytest.fixture(scope="module")
def dbs(tmp_path_factory):
    base = tmp_path_factory.mktemp("history")
    first, second = base / "first.duckdb", base / "second.duckdb"
    province.build_db(first, province.DATA, as_of=FIRST_AS_OF)
    province.build_db(second, SECOND, as_of=SECOND_AS_OF, previous=first)
    return first, second


def query(path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


LOADS = "select load_id, as_of, source, files, files_skipped, rows_read, rows_loaded, " \
        "rows_quarantined, rows_merged, seconds from loads order by load_id"
FIRST_LOAD = (1, FIRST_AS_OF, "test", 7, 0, 86, 84, 2, 0, 0.0)
SECOND_LOAD = (2, SECOND_AS_OF, "test", 7, 0, 89, 87, 2, 0, 0.0)


def test_first_load_records_load_one(dbs):
    """A database built without a predecessor starts its history at load 1."""
    first, _ = dbs
    assert query(first, LOADS) == [FIRST_LOAD]
    assert query(first, "select load_id, as_of from current_load") == [(1, FIRST_AS_OF)]


def test_second_load_carries_the_loads_forward(dbs):
    """The next database holds the previous load's record and its own, load 2."""
    _, second = dbs
    assert query(second, LOADS) == [FIRST_LOAD, SECOND_LOAD]
    assert query(second, "select load_id, as_of from current_load") == [(2, SECOND_AS_OF)]


def test_loads_records_when_the_load_ran(dbs):
    """loaded_at is the wall-clock time of each load, kept as it was."""
    first, second = dbs
    (at_first,), = query(first, "select loaded_at from loads")
    assert query(second, "select loaded_at from loads where load_id = 1") == [(at_first,)]
    assert query(second, "select count(*) from loads where loaded_at is null") == [(0,)]


def test_history_org_holds_one_snapshot_per_organization_and_load(dbs):
    """history_org: every organization once per load, dated with that load's as-of."""
    _, second = dbs
    got = query(second, "select load_id, as_of, count(*), count(distinct org_id) from history_org "
                        "group by all order by load_id")
    assert got == [(1, FIRST_AS_OF, 11, 11), (2, SECOND_AS_OF, 11, 11)]


HISTORY_ORG = ("select load_id, members_active, members_approved, members_pending, "
               "reviews_pending, cadre_records, cadres_in_scope, cadres_out_of_scope, "
               "cadres_onboarded_in_scope, branches_without_cadre, transfers_pending_out, transfers_pending_in, "
               "transfers_completed, transfers_returned, dues_month, dues_billed_members, "
               "dues_paid_members, dues_amount_due_yuan, dues_amount_paid_yuan, "
               "dues_arrears_6plus_members from history_org where org_id = ? order by load_id")


@pytest.mark.parametrize("org_id, first, second", [
    # The first load's latest dues month is September, the second's October.
    ("P", (7, 4, 1, 2, 7, 4, 3, 2, 2, 1, 1, 1, 2, dt.date(2024, 9, 1), 5, 1,
           Decimal("11.40"), Decimal("3.00"), 2),
          (8, 5, 1, 2, 7, 4, 3, 2, 2, 1, 1, 1, 2, dt.date(2024, 10, 1), 1, 1,
           Decimal("0.20"), Decimal("0.20"), 0)),
    ("B12", (2, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, dt.date(2024, 9, 1), 2, 1,
             Decimal("6.00"), Decimal("3.00"), 0),
            (3, 2, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, dt.date(2024, 10, 1), 1, 1,
             Decimal("0.20"), Decimal("0.20"), 0)),
    # No bill line in the subtree in the latest month: the dues figures are null.
    ("W", (1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, dt.date(2024, 9, 1), 1, 0,
           Decimal("5.00"), Decimal("0.00"), 1),
          (1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, None, None, None, None, None, None)),
])
def test_history_org_keeps_each_loads_figures(dbs, org_id, first, second):
    """The first load's snapshot survives unchanged next to the second's."""
    first_db, second_db = dbs
    assert query(first_db, HISTORY_ORG, [org_id]) == [(1, *first)]
    assert query(second_db, HISTORY_ORG, [org_id]) == [(1, *first), (2, *second)]


HISTORY_REGISTRATION = ("select load_id, as_of, campaign, roster, approved, pending "
                        "from history_registration where org_id = ? order by load_id, campaign")


@pytest.mark.parametrize("org_id, expected", [
    ("B12", [(1, FIRST_AS_OF, "2024级新生报到", 2, 1, 0),
             (2, SECOND_AS_OF, "2024级新生报到", 3, 2, 0)]),
    ("G1", [(1, FIRST_AS_OF, "2023级新生报到", 1, 1, 0),
            (1, FIRST_AS_OF, "2024级新生报到", 5, 2, 1),
            (1, FIRST_AS_OF, "计算机学院补报到", 2, 0, 1),
            (2, SECOND_AS_OF, "2023级新生报到", 1, 1, 0),
            (2, SECOND_AS_OF, "2024级新生报到", 6, 3, 1),
            (2, SECOND_AS_OF, "计算机学院补报到", 2, 0, 1)]),
    ("W", []),
])
def test_history_registration_keeps_each_loads_completion_by_campaign_name(dbs, org_id, expected):
    """history_registration: per load, campaign (by name) and organization, roster and counts."""
    _, second = dbs
    assert query(second, HISTORY_REGISTRATION, [org_id]) == expected


def test_carry_history_starts_afresh_when_the_previous_file_is_unreadable(tmp_path):
    """A corrupt previous database gives a warning and an empty history, not a failed load."""
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a database at all" * 100)
    con = duckdb.connect()
    with pytest.warns(UserWarning, match="history starts afresh"):
        carry_history(con, broken)
    assert con.execute("select count(*) from loads").fetchall() == [(0,)]
    assert con.execute("select count(*) from duckdb_tables() where table_name like 'history_%'"
                       ).fetchall() == [(0,)]
