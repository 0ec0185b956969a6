"""followups: the period a report covers, and the figures and lists of a subtree for it, as the
progress page, the pack and the alerts read them."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

import followups
from etl.followup import compute
from etl.metrics import connect
from tests.followups.history import AS_OF
from tests.queries.province import TREE

P = {"seq": TREE["P"][0], "seq_last": TREE["P"][1]}


@pytest.fixture()
def con(three_loads):
    c = duckdb.connect(str(three_loads), read_only=True)
    yield c
    c.close()


@pytest.mark.parametrize("since, from_load, start, kept", [
    (None, None, 2, True),                       # the previous load: what the load kept
    (None, 1, 1, False),                         # a load named
    (None, 3, 2, True),                          # the latest itself is no start: the default
    (None, 99, 2, True),                         # an unknown load is ignored
    (dt.date(2024, 10, 14), None, 1, False),     # the latest load on or before the day
    (dt.date(2024, 10, 15), None, 2, True),
    (dt.date(2024, 10, 1), None, None, False),   # none: no start (as `zhtj progress --since`)
    (dt.date(2024, 10, 14), 2, 2, True),         # a load named wins over a day
])
def test_the_period_chosen(con, since, from_load, start, kept):
    p = followups.choose(con, since=since, from_load=from_load)
    assert p.end == followups.Load(3, AS_OF[3])
    assert p.from_load == start and p.is_kept is kept
    # with three loads, the periods from both earlier loads have their item states kept
    assert p.states_kept is (start is not None)
    assert p.params() == {"from_load": start, "to_load": 3, "is_kept": kept,
                          "states_kept": start is not None}


def test_loads_latest_first(con):
    assert [load.load_id for load in followups.loads(con)] == [3, 2, 1]


def test_an_empty_history_has_no_period():
    c = duckdb.connect()
    c.execute("create table loads (load_id integer, as_of timestamp, loaded_at timestamp, "
              "source varchar, files integer, files_skipped integer, rows_read bigint, "
              "rows_loaded bigint, rows_quarantined bigint, rows_merged bigint, seconds double)")
    with pytest.raises(followups.NoLoad):
        followups.choose(c)


@pytest.mark.parametrize("since", [None, dt.date(2024, 10, 8)])
def test_summary_agrees_with_zhtj_progress(three_loads, since):
    """The per-kind figures are the CONTRACT.md §4 JSON's, for the default period and a date."""
    with connect(three_loads) as conn:
        expected = compute(conn, "P", since=since)
        rows = followups.summary(conn, P, followups.choose(conn, since=since))
    assert {r["kind"]: {k: r[k] for k in followups.progress.FIGURES} for r in rows} == \
        expected["items"]


def test_totals_over_the_kinds(con):
    rows = followups.summary(con, P, followups.choose(con))
    assert followups.totals(rows) == {"open": 18, "new": 1, "resolved": 2,
                                      "open_over_14_days": 16, "was_open": 19}
    none = followups.summary(con, P, followups.choose(con, since=dt.date(2024, 1, 1)))
    assert followups.totals(none)["resolved"] is None


def test_children_burndown_and_lists(con):
    p = followups.choose(con, from_load=1)
    assert list(followups.children(con, P, p)["org_id"]) == ["W", "U"]
    down = followups.burndown(con, P, p)
    assert down.groupby("load_id")["open"].sum().to_dict() == {1: 19, 2: 19, 3: 18}
    frame, total = followups.items(con, P, p, "resolved", limit=2)
    assert total == 3 and list(frame["org_id"]) == ["P", "B11"]
    with pytest.raises(ValueError):
        followups.items(con, P, p, "everything")
