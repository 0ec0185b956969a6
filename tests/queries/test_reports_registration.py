"""The registration (deadline watch) page's SQL: the marts registration_daily and
registration_reviews, the reports registration_summary, registration_children,
registration_curve, registration_backlog and registration_branches, and the projection macros."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

import queries
from etl.metrics import connect
from tests.queries import province
from tests.queries.conftest import make_id

AS_OF = dt.datetime(2024, 10, 8, 12, 0, 0)  # the pace window is 2024-10-02 .. 2024-10-08
D = dt.date

# Tree (pre-order, siblings by 团组织全称):
#   seq  id  full name
#    1   P   共青团测试省委员会
#    2   U     共青团某大学委员会
#    3   GA      A学院团总支 (简称 A院)
#    4   A1        A学院1班团支部
#    5   A2        A学院2班团支部
#    6   A3        A学院3班团支部
#    7   GB      B学院团总支
#    8   B1        B学院1班团支部
#    9   B2        B学院2班团支部
#   10   GC      C学院团总支           (no roster entry: never a child row)
#   11   C1        C学院1班团支部
ORGS = [
    {"org_id": "P", "org_type": "领导机关团组织", "full_name": "共青团测试省委员会"},
    {"org_id": "U", "parent_org_id": "P", "org_type": "团委", "full_name": "共青团某大学委员会"},
    {"org_id": "GA", "parent_org_id": "U", "org_type": "团总支", "full_name": "A学院团总支",
     "short_name": "A院"},
    {"org_id": "A1", "parent_org_id": "GA", "org_type": "团支部", "full_name": "A学院1班团支部"},
    {"org_id": "A2", "parent_org_id": "GA", "org_type": "团支部", "full_name": "A学院2班团支部"},
    {"org_id": "A3", "parent_org_id": "GA", "org_type": "团支部", "full_name": "A学院3班团支部"},
    {"org_id": "GB", "parent_org_id": "U", "org_type": "团总支", "full_name": "B学院团总支"},
    {"org_id": "B1", "parent_org_id": "GB", "org_type": "团支部", "full_name": "B学院1班团支部"},
    {"org_id": "B2", "parent_org_id": "GB", "org_type": "团支部", "full_name": "B学院2班团支部"},
    {"org_id": "GC", "parent_org_id": "U", "org_type": "团总支", "full_name": "C学院团总支"},
    {"org_id": "C1", "parent_org_id": "GC", "org_type": "团支部", "full_name": "C学院1班团支部"},
]
NAME = {o["org_id"]: o["full_name"] for o in ORGS}
TREE = {"P": (1, 11), "U": (2, 11), "GA": (3, 6), "A1": (4, 4), "A2": (5, 5), "A3": (6, 6),
        "GB": (7, 9), "B1": (8, 8), "B2": (9, 9), "GC": (10, 11), "C1": (11, 11)}

KEYS = ["a1m1", "a1m2", "mv", "a2m1", "a2m2", "a2m3", "a3m1", "a3m2", "a3m3", "a3m4",
        "b1m1", "b1m2", "b1m3", "b1m4", "b1m5", "b1m6", "b2m1"]
ID = {k: make_id("20060101", i) for i, k in enumerate(KEYS, 1)}
STRANGER = make_id("20070101", 1)  # on the roster of B2, no member row


def _member(key, branch, status, registered=None, reviewed=None, **more):
    return {"name": key, "id_number": ID[key], "branch": NAME[branch],
            "registration_status": status, "registered_at": registered, "reviewed_at": reviewed,
            **more}


# On the 2024 roster in the branch of their key (mv: on A1's roster, a member of B2).
MEMBERS = [
    # A1: all approved; nothing approved in the last 7 days.
    _member("a1m1", "A1", "审核通过", "2024-09-25 10:00:00", "2024-09-25 12:00:00"),
    _member("a1m2", "A1", "审核通过", "2024-09-26 09:00:00", "2024-09-28 09:00:00"),  # 48 h exactly
    _member("mv", "B2", "审核通过", "2024-09-24 10:00:00", "2024-09-24 11:00:00"),
    # A2: one old approval, one pending, one withdrawn: no pace.
    _member("a2m1", "A2", "审核通过", "2024-09-20 08:00:00", "2024-09-22 08:00:01"),  # 48 h + 1 s
    _member("a2m2", "A2", "报到待审核", "2024-10-06 23:59:00"),  # 2 calendar days old
    _member("a2m3", "A2", "报到被撤回"),
    # A3: two approvals in the window, two pending.
    _member("a3m1", "A3", "审核通过", "2024-10-01 10:00:00", "2024-10-02 00:00:00"),  # window's first
    _member("a3m2", "A3", "修改资料待审核", "2024-10-03 10:00:00", "2024-10-08 11:00:00"),
    _member("a3m3", "A3", "报到待审核", "2024-10-05 12:00:00"),  # 3 days old
    _member("a3m4", "A3", "报到待审核", "2024-10-01 00:00:00"),  # 7 days old
    # B1: one approval in the window, one just before it.
    _member("b1m1", "B1", "修改资料被退回", "2024-09-29 10:00:00", "2024-10-04 10:00:00"),
    _member("b1m2", "B1", "审核通过", "2024-09-30 10:00:00", "2024-10-01 23:59:59"),
    _member("b1m3", "B1", "报到待审核", "2024-09-30 12:00:00"),  # 8 days old
    _member("b1m4", "B1", "报到被退回", "2024-10-02 10:00:00", "2024-10-03 10:00:00"),
    _member("b1m5", "B1", "审核通过", "2024-09-20 09:00:00", "2024-09-21 09:00:00",
            membership_status="自行脱团"),
    _member("b1m6", "B1", "报到待审核"),  # pending, no registration time
    # B2: approved without a review time.
    _member("b2m1", "B2", "审核通过", "2024-10-07 10:00:00"),
]

CAMPAIGNS = [  # campaign_id by (deadline, name)
    {"campaign": "2023级新生报到", "deadline": "2023-10-31", "org_id": "U"},
    {"campaign": "2024级新生报到", "deadline": "2024-10-31", "org_id": "U"},
]
OLD, NEW = 1, 2


def _roster(campaign, key, branch):
    id_number = STRANGER if key == "stranger" else ID[key]
    return {"campaign": campaign, "name": key, "id_number": id_number, "branch": NAME[branch]}


ROSTER = [
    *[_roster("2024级新生报到", k, k[:2].upper()) for k in KEYS if k != "mv"],
    _roster("2024级新生报到", "mv", "A1"),
    _roster("2024级新生报到", "stranger", "B2"),
    _roster("2023级新生报到", "a1m1", "A1"),
]

C = {f"c{i}": make_id("19950101", i) for i in range(1, 7)}


def _cadre(key, org, position, mobile, **more):
    return {"name": key, "id_number": C[key], "org_id": org, "position": position,
            "wecom_status": "是", "mobile": mobile, **more}


CADRES = [
    _cadre("c1", "A2", "书记", "13800000001"),
    _cadre("c2", "A2", "组织委员", "13800000002", is_operator="是"),  # the operator wins
    _cadre("c3", "A3", "书记", "13800000003"),                        # no operator: the 书记
    _cadre("c6", "A3", "宣传委员", "13800000006"),                    # neither
    _cadre("c5", "B2", "书记", "13800000005"),                        # two 书记: smaller ID
    _cadre("c4", "B2", "书记", "13800000004"),
]

DATA = {"orgs": ORGS, "members": MEMBERS, "campaigns": CAMPAIGNS, "roster": ROSTER,
        "cadres": CADRES}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("registration") / "zhtj.duckdb"
    province.build_db(path, DATA, as_of=AS_OF)
    return path


@pytest.fixture(scope="module")
def conn(db):
    """A read-only SQLAlchemy connection, as `zhtj metrics` opens one."""
    with connect(db) as c:
        yield c


@pytest.fixture(scope="module")
def native(db):
    """A native DuckDB connection with the file attached read-only, as the dashboard opens it
    (the macros are found in the attached catalog)."""
    con = duckdb.connect(":memory:")
    con.execute("attach ? as zhtj (read_only)", [str(db)])
    con.execute("use zhtj")
    yield con
    con.close()


def records(df: pd.DataFrame) -> list[tuple]:
    return [tuple(None if pd.isna(v) else v for v in r) for r in df.itertuples(index=False)]


def approx(rows: list[tuple]) -> list[tuple]:
    return [tuple(pytest.approx(v) if isinstance(v, float) else v for v in r) for r in rows]


def test_the_fixture_loads_without_quarantine(native):
    """Every hand-written row loads, so each figure below is deliberate."""
    assert native.execute("select count(*) from quarantine").fetchone() == (0,)
    assert native.execute("select org_id, seq, seq_last from org_tree order by seq").fetchall() \
        == [(o, *TREE[o]) for o in sorted(TREE, key=lambda o: TREE[o][0])]


# --- the projection macros -------------------------------------------------------------------
@pytest.mark.parametrize("remaining, recent, deadline, projected, at_risk", [
    (0, 3, D(2024, 10, 31), None, False),               # nothing remains
    (0, 0, D(2024, 10, 31), None, False),
    (2, 0, D(2024, 10, 31), None, True),                # no pace
    (2, 2, D(2024, 10, 31), D(2024, 10, 15), False),    # 2 at 2/7 a day: 7 days
    (4, 1, D(2024, 10, 31), D(2024, 11, 5), True),      # 4 at 1/7 a day: 28 days
    (3, 7, D(2024, 10, 31), D(2024, 10, 11), False),    # 3 at 1 a day: exactly 3 days
    (1, 3, D(2024, 10, 31), D(2024, 10, 11), False),    # 7/3 days: rounded up to 3
    (23, 7, D(2024, 10, 31), D(2024, 10, 31), False),   # done on the deadline: on time
    (24, 7, D(2024, 10, 31), D(2024, 11, 1), True),     # a day after it: late
])
def test_projected_date_and_is_at_risk_follow_the_recent_pace(native, remaining, recent, deadline,
                                                              projected, at_risk):
    """as-of date + ceil(remaining / (recent / 7)) days; at risk when later than the deadline
    or when nothing was approved lately; never at risk when nothing remains."""
    got = native.execute("select projected_date($1, $2, $3), is_at_risk($1, $2, $3, $4)",
                         [remaining, recent, AS_OF.date(), deadline]).fetchall()
    assert got == [(projected, at_risk)]


# --- registration_daily ----------------------------------------------------------------------
# (day, submitted, approved, pending) of the 2024 campaign in U's subtree.
U_DAYS = [
    (D(2024, 9, 20), 1, 0, 0),  # a2m1 (b1m5 lapsed: not counted)
    (D(2024, 9, 22), 0, 1, 0),
    (D(2024, 9, 24), 1, 1, 0),  # mv, on A1's roster
    (D(2024, 9, 25), 1, 1, 0),
    (D(2024, 9, 26), 1, 0, 0),
    (D(2024, 9, 28), 0, 1, 0),
    (D(2024, 9, 29), 1, 0, 0),
    (D(2024, 9, 30), 2, 0, 1),  # b1m2, b1m3 (pending)
    (D(2024, 10, 1), 2, 1, 1),  # a3m1, a3m4 (pending); b1m2 approved
    (D(2024, 10, 2), 0, 1, 0),  # b1m4 returned: not submitted
    (D(2024, 10, 3), 1, 0, 0),
    (D(2024, 10, 4), 0, 1, 0),
    (D(2024, 10, 5), 1, 0, 1),
    (D(2024, 10, 6), 1, 0, 1),
    (D(2024, 10, 7), 1, 0, 0),  # b2m1: approved, but no review time
    (D(2024, 10, 8), 0, 1, 0),
]


@pytest.mark.parametrize("org_id, expected", [
    ("U", U_DAYS),
    ("P", U_DAYS),
    ("A1", [(D(2024, 9, 24), 1, 1, 0), (D(2024, 9, 25), 1, 1, 0), (D(2024, 9, 26), 1, 0, 0),
            (D(2024, 9, 28), 0, 1, 0)]),
    ("B2", [(D(2024, 10, 7), 1, 0, 0)]),
    ("GC", []),
])
def test_registration_daily_counts_each_day_at_every_level(native, org_id, expected):
    """Submissions by registration date, approvals by review date, at the roster's branch and
    every ancestor; only days with activity."""
    got = native.execute("select day, submitted, approved, pending from registration_daily "
                         "where org_id = ? and campaign_id = ? order by day",
                         [org_id, NEW]).fetchall()
    assert got == expected


def test_registration_daily_is_in_seq_campaign_day_order(native):
    """Stored in (seq, campaign_id, day) order, one row per key, seq matching org_tree."""
    got = native.execute("select seq, campaign_id, day from registration_daily").fetchall()
    assert got == sorted(got) and len(set(got)) == len(got)
    assert native.execute("select count(*) from registration_daily d join org_tree t "
                          "on t.seq = d.seq where t.org_id <> d.org_id").fetchone() == (0,)
    assert native.execute("select seq, day, submitted, approved from registration_daily "
                          "where campaign_id = ? order by seq, day", [OLD]).fetchall() == [
        (s, D(2024, 9, 25), 1, 1) for s in (1, 2, 3, 4)]


# --- registration_reviews --------------------------------------------------------------------
@pytest.mark.parametrize("org_id, expected", [
    ("A1", [(2, 2)]),  # 2 h, and exactly 48 h: timely
    ("A2", [(1, 0)]),  # 48 h and one second: late
    ("A3", [(2, 1)]),  # 14 h; an edit pending reviewed after 5 days
    ("B1", [(4, 3)]),  # returned and lapsed members' reviews count too; b1m1 took 5 days
    ("B2", [(1, 1)]),  # mv, on A1's roster, reviewed by its own branch; b2m1 has no review time
    ("GA", [(5, 3)]),
    ("GB", [(5, 4)]),
    ("U", [(10, 7)]),
    ("GC", []),
])
def test_registration_reviews_counts_timely_reviews_at_the_members_branch(native, org_id,
                                                                          expected):
    """Reviewed: status 2-5 with both times; timely within 48 h inclusive; rolled up."""
    got = native.execute("select reviewed, reviewed_timely from registration_reviews "
                         "where org_id = ? and campaign_id = ?", [org_id, NEW]).fetchall()
    assert got == expected


# --- branch_contacts -------------------------------------------------------------------------
def test_branch_contacts_gives_each_branch_its_parent_and_contact(native):
    """Every branch once, in tree order: the operator before the 书记, the smaller ID number
    between two 书记, nulls without either (a 宣传委员 who does not operate is no contact)."""
    got = native.execute("select seq, org_id, branch_name, parent_org_id, parent_name, "
                         "operator_name, operator_mobile, operator_position "
                         "from branch_contacts").fetchall()
    assert got == [
        (4, "A1", NAME["A1"], "GA", NAME["GA"], None, None, None),
        (5, "A2", NAME["A2"], "GA", NAME["GA"], "c2", "13800000002", "organization"),
        (6, "A3", NAME["A3"], "GA", NAME["GA"], "c3", "13800000003", "secretary"),
        (8, "B1", NAME["B1"], "GB", NAME["GB"], None, None, None),
        (9, "B2", NAME["B2"], "GB", NAME["GB"], "c4", "13800000004", "secretary"),
        (11, "C1", NAME["C1"], "GC", NAME["GC"], None, None, None),
    ]


# --- registration_summary --------------------------------------------------------------------
SUMMARY_COLUMNS = ["roster", "approved", "pending", "completion_approved", "completion_submitted",
                   "approved_recent", "rate_per_day", "projected_date", "is_at_risk", "deadline",
                   "days_left", "reviewed", "reviewed_timely", "timely_rate", "campaign", "as_of"]
NEW_DEADLINE = D(2024, 10, 31)


@pytest.mark.parametrize("org_id, campaign_id, expected", [
    # 18 on the roster, 9 approved, 5 pending (b1m6 too), 3 approved in the window: 9 remaining
    # at 3/7 a day take 21 days.
    ("U", NEW, (18, 9, 5, 0.5, 14 / 18, 3, 3 / 7, D(2024, 10, 29), False, NEW_DEADLINE, 23,
                10, 7, 0.7, "2024级新生报到", pd.Timestamp(AS_OF))),
    ("GB", NEW, (8, 3, 2, 3 / 8, 5 / 8, 1, 1 / 7, D(2024, 11, 12), True, NEW_DEADLINE, 23,
                 5, 4, 0.8, "2024级新生报到", pd.Timestamp(AS_OF))),
    ("A1", NEW, (3, 3, 0, 1.0, 1.0, 0, 0.0, None, False, NEW_DEADLINE, 23,
                 2, 2, 1.0, "2024级新生报到", pd.Timestamp(AS_OF))),
    # No roster in the subtree: zeros, no rates, nothing at risk.
    ("GC", NEW, (0, 0, 0, None, None, 0, 0.0, None, False, NEW_DEADLINE, 23,
                 0, 0, None, "2024级新生报到", pd.Timestamp(AS_OF))),
    # The deadline has passed: days_left is negative.
    ("U", OLD, (1, 1, 0, 1.0, 1.0, 0, 0.0, None, False, D(2023, 10, 31), -343,
                1, 1, 1.0, "2023级新生报到", pd.Timestamp(AS_OF))),
])
def test_registration_summary_gives_one_row_of_figures(conn, org_id, campaign_id, expected):
    """Totals, pace, projection, days left and timeliness of one subtree and campaign."""
    got = queries.run("registration_summary", conn, seq=TREE[org_id][0], campaign_id=campaign_id)
    assert list(got.columns) == SUMMARY_COLUMNS
    assert records(got) == approx([expected])


def test_registration_summary_gives_nothing_for_an_unknown_campaign(conn):
    """No campaign, no row."""
    assert queries.run("registration_summary", conn, seq=2, campaign_id=99).empty


# --- registration_children -------------------------------------------------------------------
CHILDREN_COLUMNS = ["seq", "org_id", "org_name", "roster", "approved", "pending",
                    "completion_approved", "completion_submitted", "approved_recent",
                    "rate_per_day", "projected_date", "is_at_risk", "reviewed",
                    "reviewed_timely", "timely_rate"]


@pytest.mark.parametrize("org_id, campaign_id, expected", [
    # GB is further behind than GA, though after it in the tree; GC has no roster.
    ("U", NEW, [
        (7, "GB", "B学院团总支", 8, 3, 2, 3 / 8, 5 / 8, 1, 1 / 7, D(2024, 11, 12), True,
         5, 4, 0.8),
        (3, "GA", "A院", 10, 6, 3, 0.6, 0.9, 2, 2 / 7, D(2024, 10, 22), False, 5, 3, 0.6),
    ]),
    ("GA", NEW, [
        (5, "A2", NAME["A2"], 3, 1, 1, 1 / 3, 2 / 3, 0, 0.0, None, True, 1, 0, 0.0),
        (6, "A3", NAME["A3"], 4, 2, 2, 0.5, 1.0, 2, 2 / 7, D(2024, 10, 15), False, 2, 1, 0.5),
        (4, "A1", NAME["A1"], 3, 3, 0, 1.0, 1.0, 0, 0.0, None, False, 2, 2, 1.0),
    ]),
    ("GB", NEW, [
        (8, "B1", NAME["B1"], 6, 2, 2, 1 / 3, 2 / 3, 1, 1 / 7, D(2024, 11, 5), True, 4, 3, 0.75),
        (9, "B2", NAME["B2"], 2, 1, 0, 0.5, 0.5, 0, 0.0, None, True, 1, 1, 1.0),
    ]),
    ("U", OLD, [(3, "GA", "A院", 1, 1, 0, 1.0, 1.0, 0, 0.0, None, False, 1, 1, 1.0)]),
    ("P", NEW, [(2, "U", "共青团某大学委员会", 18, 9, 5, 0.5, 14 / 18, 3, 3 / 7, D(2024, 10, 29),
                 False, 10, 7, 0.7)]),
    ("GC", NEW, []),
    ("A1", NEW, []),
])
def test_registration_children_lists_children_worst_first(conn, org_id, campaign_id, expected):
    """Children with roster entries, by completion_approved then seq, with pace and projection."""
    seq, seq_last = TREE[org_id]
    got = queries.run("registration_children", conn, org_id=org_id, seq=seq, seq_last=seq_last,
                      campaign_id=campaign_id)
    assert list(got.columns) == CHILDREN_COLUMNS
    assert records(got) == approx(expected)


# --- registration_curve ----------------------------------------------------------------------
def _cumulative(days: list[tuple]) -> list[tuple]:
    out, s, a = [], 0, 0
    for day, sub, app in days:
        s, a = s + sub, a + app
        out.append((day, sub, app, s, a))
    return out


def test_registration_curve_fills_every_day_up_to_the_as_of_date(conn):
    """A3: every day from the first activity to the as-of date, quiet days as 0."""
    got = queries.run("registration_curve", conn, seq=TREE["A3"][0], campaign_id=NEW)
    assert list(got.columns) == ["day", "submitted", "approved", "cum_submitted", "cum_approved"]
    assert records(got) == [
        (D(2024, 10, 1), 2, 0, 2, 0),
        (D(2024, 10, 2), 0, 1, 2, 1),
        (D(2024, 10, 3), 1, 0, 3, 1),
        (D(2024, 10, 4), 0, 0, 3, 1),
        (D(2024, 10, 5), 1, 0, 4, 1),
        (D(2024, 10, 6), 0, 0, 4, 1),
        (D(2024, 10, 7), 0, 0, 4, 1),
        (D(2024, 10, 8), 0, 1, 4, 2),
    ]


def test_registration_curve_runs_on_to_the_as_of_date_after_the_last_activity(conn):
    """A1's last activity is 2024-09-28; the curve stays flat up to 2024-10-08."""
    got = records(queries.run("registration_curve", conn, seq=TREE["A1"][0], campaign_id=NEW))
    assert got[:5] == [
        (D(2024, 9, 24), 1, 1, 1, 1),
        (D(2024, 9, 25), 1, 1, 2, 2),
        (D(2024, 9, 26), 1, 0, 3, 2),
        (D(2024, 9, 27), 0, 0, 3, 2),
        (D(2024, 9, 28), 0, 1, 3, 3),
    ]
    assert got[5:] == [(D(2024, 9, 28) + dt.timedelta(days=i), 0, 0, 3, 3) for i in range(1, 11)]


def test_registration_curve_sums_the_subtree(conn):
    """U: 19 days, 2024-09-20 .. 2024-10-08, ending at 13 submitted and 8 approved with times."""
    got = records(queries.run("registration_curve", conn, seq=TREE["U"][0], campaign_id=NEW))
    by_day = {d: (s, a) for d, s, a, _ in U_DAYS}
    days = [D(2024, 9, 20) + dt.timedelta(days=i) for i in range(19)]
    assert got == _cumulative([(d, *by_day.get(d, (0, 0))) for d in days])
    assert got[-1] == (D(2024, 10, 8), 0, 1, 13, 8)


def test_registration_curve_is_empty_without_activity(conn):
    """No day with activity: no row at all."""
    assert queries.run("registration_curve", conn, seq=TREE["GC"][0], campaign_id=NEW).empty


# --- registration_backlog --------------------------------------------------------------------
@pytest.mark.parametrize("org_id, expected", [
    # a2m2 is 2 days old (10-06 23:59), a3m3 3 days, a3m4 exactly 7, b1m3 8; b1m6 has no time.
    ("U", [("le2", 1), ("3to7", 2), ("gt7", 1)]),
    ("A2", [("le2", 1), ("3to7", 0), ("gt7", 0)]),
    ("A3", [("le2", 0), ("3to7", 2), ("gt7", 0)]),
    ("B1", [("le2", 0), ("3to7", 0), ("gt7", 1)]),
    ("B2", [("le2", 0), ("3to7", 0), ("gt7", 0)]),
    ("GC", [("le2", 0), ("3to7", 0), ("gt7", 0)]),
])
def test_registration_backlog_ages_pending_in_whole_days(conn, org_id, expected):
    """Three buckets always, in order; 2 days old is le2, 7 days is 3to7, 8 is gt7."""
    got = queries.run("registration_backlog", conn, seq=TREE[org_id][0], campaign_id=NEW)
    assert list(got.columns) == ["bucket", "pending"]
    assert records(got) == expected


# --- registration_branches -------------------------------------------------------------------
BRANCH_COLUMNS = ["seq", "org_id", "branch_name", "parent_name", "roster", "approved", "pending",
                  "not_submitted", "completion_approved", "approved_recent", "projected_date",
                  "is_at_risk", "operator_name", "operator_mobile", "operator_position",
                  "total_rows"]
BRANCH = {
    "A2": (5, "A2", NAME["A2"], NAME["GA"], 3, 1, 1, 1, 1 / 3, 0, None, True,
           "c2", "13800000002", "organization"),
    "A3": (6, "A3", NAME["A3"], NAME["GA"], 4, 2, 2, 0, 0.5, 2, D(2024, 10, 15), False,
           "c3", "13800000003", "secretary"),
    "B1": (8, "B1", NAME["B1"], NAME["GB"], 6, 2, 2, 2, 1 / 3, 1, D(2024, 11, 5), True,
           None, None, None),
    "B2": (9, "B2", NAME["B2"], NAME["GB"], 2, 1, 0, 1, 0.5, 0, None, True,
           "c4", "13800000004", "secretary"),
}


def branches(conn, org_id="U", campaign_id=NEW, *, sort="risk", descending=False,
             name_filter=None, at_risk_only=False, limit=100, offset=0):
    seq, seq_last = TREE[org_id]
    return queries.run("registration_branches", conn, seq=seq, seq_last=seq_last,
                       campaign_id=campaign_id, sort=sort, descending=descending,
                       name_filter=name_filter, at_risk_only=at_risk_only, limit=limit,
                       offset=offset)


def test_registration_branches_lists_lagging_branches_with_their_contact(conn):
    """A1 is complete and absent; the operator wins over the 书记, the 书记 stands in for a
    missing operator, two 书记 go by ID number, no cadre gives nulls; total_rows counts all."""
    got = branches(conn)
    assert list(got.columns) == BRANCH_COLUMNS
    assert records(got) == approx([(*BRANCH[b], 4) for b in ("A2", "B1", "B2", "A3")])


@pytest.mark.parametrize("sort, descending, order", [
    ("risk", False, ["A2", "B1", "B2", "A3"]),      # at risk first, then completion, then seq
    ("risk", True, ["A3", "B2", "A2", "B1"]),
    (None, False, ["A2", "B1", "B2", "A3"]),        # default
    ("nonsense", False, ["A2", "B1", "B2", "A3"]),  # unknown: the default, never pasted
    ("completion", False, ["A2", "B1", "A3", "B2"]),
    ("completion", True, ["A3", "B2", "A2", "B1"]),  # ties stay in seq order
    ("roster", False, ["B2", "A2", "A3", "B1"]),
    ("roster", True, ["B1", "A3", "A2", "B2"]),
    ("not_submitted", False, ["A3", "A2", "B2", "B1"]),
    ("pending", False, ["B2", "A2", "A3", "B1"]),
    ("pending", True, ["A3", "B1", "A2", "B2"]),
    ("name", False, ["A2", "A3", "B1", "B2"]),
    ("name", True, ["B2", "B1", "A3", "A2"]),
    ("parent", False, ["A2", "A3", "B1", "B2"]),
    ("parent", True, ["B1", "B2", "A2", "A3"]),
])
def test_registration_branches_sorts_by_the_chosen_key(conn, sort, descending, order):
    """Each sort key, both directions, ties by seq."""
    got = branches(conn, sort=sort, descending=descending)
    assert list(got["org_id"]) == order


def test_registration_branches_takes_null_parameters_as_the_defaults(conn):
    """Null sort, direction, filters, limit and offset: the default order, every row."""
    got = branches(conn, sort=None, descending=None, at_risk_only=None, limit=None, offset=None)
    assert list(got["org_id"]) == ["A2", "B1", "B2", "A3"]


@pytest.mark.parametrize("limit, offset, order", [
    (2, 0, ["A2", "B1"]),
    (2, 1, ["B1", "B2"]),
    (2, 3, ["A3"]),
    (2, 4, []),
    (None, 1, ["B1", "B2", "A3"]),  # no limit: the rest
])
def test_registration_branches_pages_and_counts_every_row(conn, limit, offset, order):
    """:limit and :offset cut the ordered list; total_rows is the count before paging."""
    got = branches(conn, limit=limit, offset=offset)
    assert list(got["org_id"]) == order
    assert set(got["total_rows"]) <= {4}


@pytest.mark.parametrize("name_filter, at_risk_only, order", [
    ("B学院", False, ["B1", "B2"]),            # in branch and parent names
    ("A学院团总支", False, ["A2", "A3"]),      # the parent's name only
    ("3班", False, ["A3"]),
    ("", False, ["A2", "B1", "B2", "A3"]),      # empty: no filter
    (None, True, ["A2", "B1", "B2"]),
    ("A学院", True, ["A2"]),
    ("没有", False, []),
])
def test_registration_branches_filters_by_name_and_risk(conn, name_filter, at_risk_only, order):
    """The name filter matches branch or parent; at_risk_only keeps at-risk branches; total_rows
    counts what passes."""
    got = branches(conn, name_filter=name_filter, at_risk_only=at_risk_only)
    assert list(got["org_id"]) == order
    assert list(got["total_rows"]) == [len(order)] * len(order)


@pytest.mark.parametrize("org_id, campaign_id, order", [
    ("GA", NEW, ["A2", "A3"]),
    ("GB", NEW, ["B1", "B2"]),
    ("B1", NEW, ["B1"]),       # a branch's own range
    ("A1", NEW, []),           # complete
    ("U", OLD, []),            # every one of that roster approved
])
def test_registration_branches_stay_inside_the_subtree(conn, org_id, campaign_id, order):
    """Only branches in seq .. seq_last, of the chosen campaign."""
    assert list(branches(conn, org_id, campaign_id)["org_id"]) == order


@pytest.mark.parametrize("kwargs, count", [
    ({}, 4),
    ({"sort": "name", "descending": True, "limit": 2, "offset": 1}, 2),
    ({"name_filter": "B学院", "at_risk_only": True}, 2),
])
def test_registration_branches_answers_alike_on_a_native_connection(conn, native, kwargs, count):
    """The dashboard's DuckDB connection binds the same parameters ($name) to the same rows."""
    params = {"seq": 2, "seq_last": 11, "campaign_id": NEW, "sort": "risk", "descending": False,
              "name_filter": None, "at_risk_only": False, "limit": 100, "offset": 0, **kwargs}
    got = queries.rows("registration_branches", native, **params)
    assert len(got) == count
    assert got == queries.rows("registration_branches", conn, **params)


@pytest.mark.parametrize("name", ["registration_summary", "registration_children",
                                  "registration_curve", "registration_backlog"])
def test_registration_reports_answer_alike_on_a_native_connection(conn, native, name):
    """Each report gives the same rows through either kind of connection."""
    params = {"org_id": "U", "seq": 2, "seq_last": 11, "campaign_id": NEW}
    got = queries.rows(name, native, **params)
    assert got and got == queries.rows(name, conn, **params)
