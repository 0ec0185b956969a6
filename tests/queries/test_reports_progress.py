"""The progress page's queries on the hand-written province loaded three times
(tests/followups/history.py): progress_summary, progress_children, progress_burndown and
progress_item_list, read from what the load kept (history_item_counts,
org_rollup_progress_total, progress_item_states) and computed for an earlier period alike."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

import queries
from tests.followups import history
from tests.queries.province import TREE

P = {"seq": TREE["P"][0], "seq_last": TREE["P"][1]}
# the previous load to the latest: kept by the load, figures and item states
KEPT = {"from_load": 2, "to_load": 3, "is_kept": True, "states_kept": True}
# from the first load: the figures and the lists computed from the items
SINCE_1 = {"from_load": 1, "to_load": 3, "is_kept": False, "states_kept": False}
OCT_8, OCT_22 = dt.datetime(2024, 10, 8, 12), dt.datetime(2024, 10, 22, 12)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    db = history.build(tmp_path_factory.mktemp("progress_reports"))
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def figures(rows, *keys) -> dict:
    return {r["kind"]: tuple(r[k] for k in keys) for r in rows}


def test_summary_of_the_kept_period(con):
    """P from load 2 to 3: t1 and c6 resolved (14 days each), c9 new; everything open since
    load 1 (14 days before load 3) is open over 14 days; m3 (overdue since load 2) is not."""
    got = queries.rows("progress_summary", con, **P, **KEPT)
    assert [r["kind"] for r in got][0] == "lagging_branch" and len(got) == 7
    assert figures(got, "open", "new", "resolved", "open_over_14_days", "was_open",
                   "median_days_to_resolve") == {
        "lagging_branch": (4, 0, 0, 4, 4, None),
        "review_overdue": (3, 0, 0, 2, 3, None),
        "stuck_transfer": (3, 0, 1, 3, 4, 14.0),
        "cadre_out_of_scope": (2, 1, 1, 1, 2, 14.0),
        "cadre_not_onboarded": (2, 0, 0, 2, 2, None),
        "branch_without_cadre": (2, 0, 0, 2, 2, None),
        "arrears_6plus": (2, 0, 0, 2, 2, None),
    }
    assert {r["oldest_open_since"] for r in got} == {OCT_8}


@pytest.mark.parametrize("org", ["P", "U", "G1", "B11", "W", "X"])
def test_computing_the_kept_period_gives_what_the_load_kept(con, org):
    """progress_summary and progress_children read from the marts (org_rollup_progress,
    org_rollup_progress_total) equal the same period computed through progress_items; the
    counts equal progress_counts."""
    scope = {"seq": TREE[org][0], "seq_last": TREE[org][1]}
    computed = {**KEPT, "is_kept": False, "states_kept": False}
    kept = queries.rows("progress_summary", con, **scope, **KEPT)
    assert kept == queries.rows("progress_summary", con, **scope, **computed)
    counts = queries.rows("progress_counts", con, **scope, from_load=2, to_load=3)
    assert figures(kept, "open", "new", "resolved", "open_over_14_days") == figures(
        counts, "open", "new", "resolved", "open_over_14_days")
    a = queries.run("progress_children", con, **scope, **KEPT)
    b = queries.run("progress_children", con, **scope, **computed)
    assert a.equals(b)


def test_summary_of_an_earlier_period(con):
    """P from load 1: c2 and c6 resolved (7 and 14 days: median 10.5), m3 and c9 new."""
    got = queries.rows("progress_summary", con, **P, **SINCE_1)
    assert figures(got, "new", "resolved", "was_open", "median_days_to_resolve") == {
        "lagging_branch": (0, 0, 4, None),
        "review_overdue": (1, 0, 2, None),
        "stuck_transfer": (0, 1, 4, 14.0),
        "cadre_out_of_scope": (1, 2, 3, 10.5),
        "cadre_not_onboarded": (0, 0, 2, None),
        "branch_without_cadre": (0, 0, 2, None),
        "arrears_6plus": (0, 0, 2, None),
    }


def test_without_a_start_load_new_and_resolved_are_null(con):
    got = queries.rows("progress_summary", con, **P, from_load=None, to_load=3, is_kept=False)
    assert {(r["new"], r["resolved"], r["was_open"]) for r in got} == {(None, None, None)}
    assert sum(r["open"] for r in got) == 18


def test_children_are_ranked_by_how_they_respond(con):
    """Below P: W resolved none of its 2 (0%), U 2 of its 17 since load 2 (2 of 16 since load
    1, where m3 was not yet overdue); lowest rate first; the oldest open item 14 days old."""
    cols = ["org_id", "open", "new", "resolved", "open_over_14_days", "was_open",
            "median_days_to_resolve", "oldest_open_days"]
    got = queries.run("progress_children", con, **P, **KEPT)
    assert got[cols].astype(object).where(got[cols].notna(), None).values.tolist() == [
        ["W", 2, 0, 0, 2, 2, None, 14], ["U", 16, 1, 2, 14, 17, 14.0, 14]]
    assert list(got["response_rate"]) == [0.0, pytest.approx(2 / 17)]
    earlier = queries.run("progress_children", con, **P, **SINCE_1)
    assert list(earlier["response_rate"]) == [0.0, 0.125]
    # G1's children: B11 resolved c6 of its 7 items open at the start, B12 t1 of its 3
    g1 = queries.run("progress_children", con, seq=TREE["G1"][0], seq_last=TREE["G1"][1],
                     **KEPT)
    assert list(g1["org_id"]) == ["B11", "B12"]
    assert list(g1["response_rate"]) == [pytest.approx(1 / 7), pytest.approx(1 / 3)]


def test_burndown_counts_the_open_items_of_each_load(con):
    """P's open items per load (history_item_counts): 19, 19 (c2 resolved, m3 new), 18 (c6 and
    t1 resolved, c9 new); a kind without items is 0."""
    got = queries.rows("progress_burndown", con, **P, from_load=1, to_load=3)
    assert len(got) == 3 * 7
    by_load = {}
    for r in got:
        by_load.setdefault(r["load_id"], {})[r["kind"]] = r["open"]
    assert {k: sum(v.values()) for k, v in by_load.items()} == {1: 19, 2: 19, 3: 18}
    assert [by_load[i]["cadre_out_of_scope"] for i in (1, 2, 3)] == [3, 2, 2]
    assert [by_load[i]["stuck_transfer"] for i in (1, 2, 3)] == [4, 4, 3]
    only_b = queries.rows("progress_burndown", con, **P, from_load=None, to_load=3)
    assert {r["load_id"] for r in only_b} == {3}
    x = queries.rows("progress_burndown", con, seq=TREE["X"][0], seq_last=TREE["X"][1],
                     from_load=2, to_load=3)
    assert {r["kind"]: r["open"] for r in x if r["load_id"] == 3}["cadre_out_of_scope"] == 1


def test_history_item_counts_place_each_load_by_the_latest_tree(con):
    """B11's own items per load and kind."""
    got = con.execute("select load_id, kind, open from history_item_counts where seq = ? "
                      "order by load_id, kind", [TREE["B11"][0]]).fetchall()
    assert [(k, n) for i, k, n in got if i == 3] == [
        ("arrears_6plus", 1), ("lagging_branch", 2), ("review_overdue", 2),
        ("stuck_transfer", 1)]
    assert ("cadre_out_of_scope", 1) in [(k, n) for i, k, n in got if i == 2]


def test_org_rollup_progress_total_sums_the_kinds_of_org_rollup_progress(con):
    """Every kind together: the counts are org_rollup_progress's summed over kinds; the median
    is over every resolved item."""
    kinds = con.execute(
        "select org_id, sum(open), sum(new), sum(resolved), sum(open_over_14_days), "
        "sum(was_open), min(oldest_open_since) from org_rollup_progress group by org_id"
    ).fetchall()
    total = con.execute(
        "select org_id, open, new, resolved, open_over_14_days, was_open, oldest_open_since "
        "from org_rollup_progress_total").fetchall()
    assert sorted(kinds) == sorted(total)
    assert con.execute("select median_days_to_resolve from org_rollup_progress_total "
                       "where org_id = 'P'").fetchone() == (14.0,)


def items(con, which, scope=P, period=KEPT, **more):
    params = {"kind": None, "name_filter": None, "sort": None, "descending": False,
              "limit": None, "offset": 0, **more}
    return queries.rows("progress_item_list", con, **scope, **period, which=which, **params)


def test_resolved_and_new_items_with_their_organization_and_contact(con):
    """Resolved since load 2: c6 at B11 (its contact now c5, the 书记) and t1 at B12 (no cadre:
    no contact), in tree order; new: c9 at G2 (no operator or 书记)."""
    got = items(con, "resolved")
    assert [(r["kind"], r["org_id"], r["org_name"], r["parent_name"], r["contact_name"],
             r["open_since"], r["resolved_at"], r["days_to_resolve"], r["days_open"])
            for r in got] == [
        ("cadre_out_of_scope", "B11", "计算机学院2024级1班团支部", "某大学计算机学院团总支", "c5",
         OCT_8, OCT_22, 14, 14),
        ("stuck_transfer", "B12", "计算机学院2024级2班团支部", "某大学计算机学院团总支", None,
         OCT_8, OCT_22, 14, 14)]
    assert got[0]["name"] == "c6" and got[0]["position_label_zh"] == "组织委员"
    assert {r["total_rows"] for r in got} == {2}
    new = items(con, "new")
    assert [(r["kind"], r["org_id"], r["name"], r["days_open"]) for r in new] == [
        ("cadre_out_of_scope", "G2", "c9", 0)]
    assert [r["org_id"] for r in items(con, "resolved", period=SINCE_1)] == ["P", "B11", "B12"]


def test_item_list_sorts_filters_and_pages(con):
    """Over 14 days at P: 16 items; the text filter keeps 计算机学院's 9; sorted by kind
    descending, rows 3 to 5; a kind filter; the same list computed for the kept period."""
    over = items(con, "over_14_days")
    assert len(over) == over[0]["total_rows"] == 16
    assert all(r["days_open"] == 14 for r in over)
    page = items(con, "over_14_days", name_filter="计算机", sort="kind", descending=True,
                 limit=3, offset=2)
    assert [(r["kind"], r["org_id"]) for r in page] == [
        ("cadre_out_of_scope", "G1"), ("stuck_transfer", "B11"), ("stuck_transfer", "G1")]
    assert page[0]["total_rows"] == 9
    lagging = items(con, "open", kind="lagging_branch")
    assert [(r["org_id"], r["campaign"], r["approved"], r["roster"]) for r in lagging] == [
        ("B21", "2024级新生报到", 1, 2), ("B11", "2024级新生报到", 1, 3),
        ("B11", "计算机学院补报到", 0, 2), ("B12", "2024级新生报到", 1, 2)]
    assert items(con, "over_14_days", period={**KEPT, "is_kept": False,
                                              "states_kept": False}) == over
    oldest = items(con, "new", period=SINCE_1, sort="open_since")
    assert [r["name"] for r in oldest] == ["m3", "c9"]


@pytest.mark.parametrize("which", ["resolved", "new", "over_14_days", "open"])
@pytest.mark.parametrize("sort", [None, "kind", "open_since", "days"])
def test_the_lists_of_an_earlier_kept_period_equal_the_computed_ones(con, which, sort):
    """The load also keeps the item states of the period from a load before the previous one
    (here the first): the lists read from them equal the lists computed from the items, row for
    row, in every order, at every organization; the default period's rows are not mixed in."""
    for org in ("P", "U", "G1", "B11", "W", "X"):
        scope = {"seq": TREE[org][0], "seq_last": TREE[org][1]}
        kept = items(con, which, scope=scope, period={**SINCE_1, "states_kept": True},
                     sort=sort)
        assert kept == items(con, which, scope=scope, period=SINCE_1, sort=sort), (org, which)
    assert [r["org_id"] for r in items(con, "resolved", period={**SINCE_1, "states_kept": True})
            ] == ["P", "B11", "B12"]


def test_the_load_keeps_the_default_period_first_then_the_earlier_ones(con):
    """progress_item_states holds each kept period once: the previous load's (the default, read
    by the rollups and the alerts) and the first load's; nothing else."""
    got = con.execute("select from_load, is_default_period, count(*) from progress_item_states "
                      "group by all order by min(rowid)").fetchall()
    assert [(a, d) for a, d, _ in got] == [(2, True), (1, False)]
    assert all(n > 0 for _, _, n in got)
