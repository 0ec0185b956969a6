"""Follow-up items (CONTRACT.md §4): followup_items on the hand-written province, kept in
history_items, and progress_loads / progress_items / progress_counts between loads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest

import queries
from etl.followup import compute
from etl.metrics import compute as metrics
from etl.metrics import connect
from tests.queries import province
from tests.queries.province import M, NAME, T

AS_OF = dt.datetime(2024, 10, 8, 12, 0, 0)
# m2 waits 74 hours (overdue), m3 47 hours (not yet); m8 (disabled) since September.
REGISTERED = {"m2": "2024-10-05 10:00:00", "m3": "2024-10-06 13:00:00", "m8": "2024-09-01 08:00:00"}
DATA = {**province.DATA, "members": [
    {**m, "registered_at": REGISTERED[m["name"]]} if m["name"] in REGISTERED else m
    for m in province.MEMBERS]}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("followup") / "zhtj.duckdb"
    province.build_db(path, DATA, as_of=AS_OF)
    return path


def items(db, sql="select kind, item_key, org_id from followup_items") -> set[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return set(con.execute(sql).fetchall())
    finally:
        con.close()


def test_lagging_branches_are_branches_with_fewer_approved_than_on_the_roster(db):
    """Per campaign and 团支部; a complete branch (2023级 at B11) and a roster outside any
    lagging count (全省 at XB, complete) are not items."""
    got = items(db, "select item_key, org_id, roster, approved from followup_items "
                    "where kind = 'lagging_branch'")
    assert got == {("2024级新生报到|B11", "B11", 3, 1), ("2024级新生报到|B12", "B12", 2, 1),
                   ("2024级新生报到|B21", "B21", 2, 1), ("计算机学院补报到|B11", "B11", 2, 0)}


def test_reviews_overdue_are_pending_for_more_than_48_hours(db):
    """Status 1 or 4 submitted over 48 hours before the as-of time; 47 hours is not overdue."""
    got = items(db, "select item_key, org_id, name, waiting_since from followup_items "
                    "where kind = 'review_overdue'")
    assert got == {(M["m2"], "B11", "m2", dt.datetime(2024, 10, 5, 10)),
                   (M["m8"], "B21", "m8", dt.datetime(2024, 9, 1, 8))}


def test_stuck_transfers_belong_to_the_organization_that_must_act(db):
    """Pending (1-4) for over 7 days at the current step; the key names both ends, the person
    and the application time."""
    got = items(db, "select item_key, org_id, step from followup_items "
                    "where kind = 'stuck_transfer'")
    at = "2024-09-01T10:00:00"
    assert got == {(f"B11|B12|{T['t1']}|{at}", "B12", 3),
                   (f"B11|B21|{T['t2']}|{at}", "B11", 1),
                   (f"B21|外省某团支部|{T['t4']}|{at}", "G2", 2),
                   (f"XB|B11|{T['t5']}|{at}", "G1", 4)}


def test_cadre_items_follow_the_entry_scope_rule(db):
    """Out of scope: 其他 at P and XB, 工作人员 at a 团总支, a branch committee member beside an
    onboarded 书记; not onboarded: in scope (副书记 at U, the smartphone exception at B21)."""
    got = items(db, "select kind, org_id, name from followup_items where kind like 'cadre_%'")
    assert got == {("cadre_out_of_scope", "P", "c2"), ("cadre_out_of_scope", "G1", "c4"),
                   ("cadre_out_of_scope", "B11", "c6"), ("cadre_out_of_scope", "XB", "c8"),
                   ("cadre_not_onboarded", "U", "c3"), ("cadre_not_onboarded", "B21", "c7")}


def test_branches_without_cadre_and_arrears_of_six_months(db):
    """B12 and B31 have no cadre record; m1 (7 months) and m9 (6, billed at B31 in September)
    are in arrears of 6 or more, with the months and the amount over the run."""
    assert items(db, "select item_key, org_id from followup_items "
                     "where kind = 'branch_without_cadre'") == {("B12", "B12"), ("B31", "B31")}
    got = items(db, "select item_key, org_id, months_unpaid, amount_owed_yuan "
                    "from followup_items where kind = 'arrears_6plus'")
    assert got == {(M["m1"], "B11", 7, Decimal("1.40")), (M["m9"], "B31", 6, Decimal("30.00"))}


def test_items_agree_with_the_metrics_figures(db):
    """The same records the §3 figures count: out of scope, without cadre, arrears 6+."""
    with connect(db) as conn:
        figures = metrics(conn, "P")
        progress = compute(conn, "P")
    assert progress["items"]["cadre_out_of_scope"]["open"] == figures["cadres"]["out_of_scope"]
    assert (progress["items"]["branch_without_cadre"]["open"]
            == figures["cadres"]["branches_without_cadre"])
    assert progress["items"]["arrears_6plus"]["open"] == figures["dues"]["arrears_6plus_members"]


def test_the_first_load_has_no_period_to_compare(db):
    """One load: from is null, new and resolved null, open counted; kinds in the contract's
    order. The rollup kept for the pages says the same (org_rollup_progress)."""
    assert items(db, "select open, new, resolved, was_open from org_rollup_progress "
                     "where org_id = 'U' and kind = 'lagging_branch'") == {(4, None, None, None)}
    with connect(db) as conn:
        data = compute(conn, "U")
    assert data["from"] is None and data["to"] == {"load_id": 1, "as_of": "2024-10-08T12:00:00"}
    assert list(data["items"]) == ["lagging_branch", "review_overdue", "stuck_transfer",
                                   "cadre_out_of_scope", "cadre_not_onboarded",
                                   "branch_without_cadre", "arrears_6plus"]
    assert data["items"]["lagging_branch"] == {"open": 4, "new": None, "resolved": None,
                                               "open_over_14_days": 0}
    # t1 waits at B12, t2 at B11, t4 at G2, t5 at G1: all four inside U
    assert data["items"]["stuck_transfer"]["open"] == 4


def test_history_items_are_appended_by_each_load(db, tmp_path):
    """A second load keeps the first load's items and adds its own, dated (snapshot_items)."""
    second = tmp_path / "second.duckdb"
    data = {**DATA, "cadres": [c for c in province.CADRES if c["name"] != "c2"]}
    province.build_db(second, data, as_of=AS_OF + dt.timedelta(days=7), previous=db)
    got = items(second, "select load_id, count(*) filter (where kind = 'cadre_out_of_scope') "
                        "from history_items group by load_id")
    assert got == {(1, 4), (2, 3)}
    with connect(second) as conn:
        data = compute(conn, "P")
    assert data["items"]["cadre_out_of_scope"] == {"open": 2, "new": 0, "resolved": 1,
                                                   "open_over_14_days": 0}
    # the kept period (progress_counts_kept) says what the computation says, for every org
    import queries as q

    with connect(second) as conn:
        for org in province.TREE:
            seq, seq_last = province.TREE[org][:2]
            assert q.rows("progress_counts_kept", conn, org_id=org) == q.rows(
                "progress_counts", conn, seq=seq, seq_last=seq_last, from_load=1, to_load=2)
    # the default period kept for the pages: progress_item_states and org_rollup_progress
    got = items(second, "select org_id, kind, open, new, resolved, was_open, "
                        "median_days_to_resolve, oldest_open_since from org_rollup_progress "
                        "where kind = 'cadre_out_of_scope' and org_id in ('P', 'U', 'X')")
    assert got == {("P", "cadre_out_of_scope", 2, 0, 1, 3, 7.0, AS_OF),
                   ("U", "cadre_out_of_scope", 2, 0, 0, 2, None, AS_OF),
                   ("X", "cadre_out_of_scope", 1, 0, 0, 1, None, AS_OF)}
    assert items(second, "select seq, org_id, is_resolved, days_to_resolve from "
                         "progress_item_states where is_resolved") == {(3, "P", True, 7)}


# Hand-written history for the period rules: P > U > B1, B2 (seq 1..4). Loads 1-4; B is load 4
# (2024-10-08), and load 1 (2024-09-24) is exactly 14 days before it.
LOADS = [(1, "2024-09-24 12:00:00"), (2, "2024-09-25 09:00:00"), (3, "2024-10-04 09:00:00"),
         (4, "2024-10-08 12:00:00")]
TREE = [(1, 4, "P"), (2, 4, "U"), (3, 3, "B1"), (4, 4, "B2")]
HISTORY = {  # (kind, key) -> {load: org}
    ("review_overdue", "always"): {1: "B1", 2: "B1", 3: "B1", 4: "B1"},     # 14 days exactly
    ("review_overdue", "since-2"): {2: "B1", 3: "B1", 4: "B1"},             # 13 days
    ("review_overdue", "fixed"): {1: "B1", 2: "B1", 3: "B1"},               # resolved at 4
    ("review_overdue", "fresh"): {4: "B2"},                                 # new at 4
    ("review_overdue", "reopened"): {1: "B1", 3: "B1", 4: "B1"},            # run starts at 3
    ("arrears_6plus", "moved"): {1: "B1", 2: "B1", 3: "B1", 4: "B2"},       # changed branch
    ("stuck_transfer", "gone-org"): {3: "GONE"},                            # org left the tree
}


@pytest.fixture()
def history_con():
    con = duckdb.connect()
    con.execute("create table loads (load_id integer, as_of timestamp)")
    con.executemany("insert into loads values (?, ?)", LOADS)
    con.execute("create table org_tree (seq integer, seq_last integer, org_id varchar)")
    con.execute("create table followup_kinds as " + queries.sql("followup_kinds"))
    con.executemany("insert into org_tree values (?, ?, ?)", TREE)
    con.execute("create table history_items (load_id integer, as_of timestamp, kind varchar, "
                "item_key varchar, org_id varchar, campaign varchar, name varchar, "
                "id_number varchar, position varchar, step integer, roster bigint, "
                "approved bigint, waiting_since timestamp, months_unpaid integer, "
                "amount_owed_yuan decimal(18, 2), open_since timestamp)")
    as_of = dict(LOADS)
    for (kind, key), where in HISTORY.items():
        since = None
        for load_id, _ in LOADS:  # open_since as each load writes it (snapshot_items)
            if load_id not in where:
                since = None
                continue
            since = since or as_of[load_id]
            con.execute("insert into history_items (load_id, as_of, kind, item_key, org_id, "
                        "open_since) values (?, ?, ?, ?, ?, ?)",
                        [load_id, as_of[load_id], kind, key, where[load_id], since])
    yield con
    con.close()


def states(con, org_seq: tuple[int, int], from_load, to_load=4) -> dict[str, tuple]:
    got = queries.rows("progress_items", con, seq=org_seq[0], seq_last=org_seq[1],
                       from_load=from_load, to_load=to_load)
    return {r["item_key"]: (r["org_id"], r["is_open"], r["is_new"], r["is_resolved"],
                            r["is_open_over_14_days"]) for r in got}


def test_open_new_resolved_and_the_14_day_boundary(history_con):
    """From load 3 to 4 at P: exactly 14 days counts, 13 does not; a reopened item's run starts
    again; an item that changed branch is neither new nor resolved; a vanished org counts
    nowhere."""
    assert states(history_con, (1, 4), from_load=3) == {
        "always": ("B1", True, False, False, True),
        "since-2": ("B1", True, False, False, False),
        "fixed": ("B1", False, False, True, False),
        "fresh": ("B2", True, True, False, False),
        "reopened": ("B1", True, False, False, False),
        "moved": ("B2", True, False, False, True),
    }


def test_open_since_and_days_to_resolve(history_con):
    """A resolved item's run (loads 1-3) started 2024-09-24 and was seen fixed at load 4: 14
    days; a reopened item is open since its second run began (load 3)."""
    got = {r["item_key"]: r for r in queries.rows("progress_items", history_con, seq=1,
                                                   seq_last=4, from_load=2, to_load=4)}
    assert got["fixed"]["open_since"] == dt.datetime(2024, 9, 24, 12)
    assert got["fixed"]["resolved_at"] == dt.datetime(2024, 10, 8, 12)
    assert got["fixed"]["days_to_resolve"] == 14
    assert got["reopened"]["open_since"] == dt.datetime(2024, 10, 4, 9)
    assert got["reopened"]["is_new"] is True  # absent at load 2
    assert got["always"]["resolved_at"] is None and got["always"]["days_to_resolve"] is None


def test_an_item_counts_where_its_load_puts_it(history_con):
    """At B1 from load 3: the moved item is no longer open there, and not resolved either (it is
    still open, at B2); at B2 it is open and not new."""
    b1 = states(history_con, (3, 3), from_load=3)
    assert "moved" not in b1 and b1["fixed"][3] is True
    b2 = states(history_con, (4, 4), from_load=3)
    assert b2 == {"fresh": ("B2", True, True, False, False),
                  "moved": ("B2", True, False, False, True)}


def test_counts_per_kind_and_the_period_chosen(history_con):
    """progress_counts for P since load 1 (the reopened item was open then: not new; since-2
    was not) and with no earlier load (new and resolved null)."""
    got = queries.rows("progress_counts", history_con, seq=1, seq_last=4, from_load=1, to_load=4)
    by_kind = {r["kind"]: (r["open"], r["new"], r["resolved"], r["open_over_14_days"])
               for r in got}
    assert by_kind["review_overdue"] == (4, 2, 1, 1)  # new: since-2 and fresh
    assert by_kind["arrears_6plus"] == (1, 0, 0, 1)
    assert by_kind["lagging_branch"] == (0, 0, 0, 0)
    got = queries.rows("progress_counts", history_con, seq=1, seq_last=4, from_load=None,
                       to_load=4)
    assert {r["kind"]: (r["new"], r["resolved"]) for r in got}["review_overdue"] == (None, None)
    assert [r["kind"] for r in got][0] == "lagging_branch" and len(got) == 7


@pytest.mark.parametrize("since, expected", [
    (None, (3, 4)),                     # the load before the latest
    (dt.date(2024, 10, 3), (2, 4)),     # the latest on or before the date
    (dt.date(2024, 9, 24), (1, 4)),     # a load on that very date
    (dt.date(2024, 9, 1), (None, 4)),   # none: from is null
])
def test_the_loads_compared(history_con, since, expected):
    """progress_loads: B the latest load, A the latest on or before --since (else the previous)."""
    got = {r["role"]: r["load_id"] for r in queries.rows("progress_loads", history_con,
                                                          since=since)}
    assert (got.get("from"), got["to"]) == expected


def test_t5_waits_at_g1_so_the_other_root_counts_it_nowhere_else(db):
    """NAME is only used here to keep the province's names in view: XB's transfer into B11
    waits at G1 (the superior of the receiving branch), inside P's tree."""
    assert NAME["XB"] == "另一省某团支部"
    assert ("stuck_transfer", f"XB|B11|{T['t5']}|2024-09-01T10:00:00", "G1") in items(db)


def test_the_progress_command_prints_the_contract_json(db):
    """`zhtj progress --json` prints what compute() returns; an unknown org exits 2."""
    import json
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "etl.cli", "progress", "--db", str(db), "--org",
                          "U", "--json"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    with connect(db) as conn:
        assert json.loads(run.stdout) == compute(conn, "U")
    run = subprocess.run([sys.executable, "-m", "etl.cli", "progress", "--db", str(db), "--org",
                          "nope"], capture_output=True, text=True)
    assert run.returncode == 2 and "organization not found" in run.stderr
