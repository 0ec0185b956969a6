"""The transfers page's marts (transfer_steps, transfer_reviews, transfer_review_rollup) and
reports, on hand-written transfers between the organizations of tests/queries/province.py."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pandas as pd
import pytest

import queries
from etl.metrics import connect
from tests.queries import province
from tests.queries.conftest import make_id
from tests.queries.province import NAME, SEQ, TREE

AS_OF = dt.datetime(2024, 10, 8, 12, 0, 0)
OUTSIDE = "外省XYZ团支部"  # a receiving organization outside the province

STATUS = {
    0: "已撤回", 1: "转出团支部待审核", 2: "转出团支部上级待审核",
    3: "转入团支部待审核", 4: "转入团支部上级待审核", 5: "接转成功",
    6: "转出团支部退回", 7: "转出团支部上级退回",
    8: "转入团支部退回", 9: "转入团支部上级退回",
}


def _t(key: str, from_org: str, to_org: str, status: int, created: str, s1: str | None = None,
       s2: str | None = None, s3: str | None = None, s4: str | None = None,
       completed: str | None = None) -> dict:
    """A raw transfer row; s1..s4 are the four steps' review times."""
    outside = to_org not in NAME
    return {"name": key, "created_at": created, "from_org": from_org,
            "to_org": to_org if outside else NAME[to_org], "status": STATUS[status],
            "destination_kind": "转出省外" if outside else None,
            "from_branch_reviewed_at": s1, "from_superior_reviewed_at": s2,
            "to_branch_reviewed_at": s3, "to_superior_reviewed_at": s4, "completed_at": completed}


# Ages are from AS_OF (2024-10-08 12:00); "waits" is where the pending step began.
TRANSFERS = [
    # Pending.
    _t("a1", "B11", "B12", 1, "2024-10-06 12:00:00",             # waits since created: 2 days
       s3="2024-10-07 09:00:00"),                                 # a step-3 time: no review
    _t("a2", "B11", "B21", 2, "2024-09-20 09:00:00",
       s1="2024-10-01 12:00:00"),                                 # waits since s1: 7 days
    _t("a3", "B21", "B31", 2, "2024-10-01 11:00:00"),            # s1 missing: since created, 7d 1h
    _t("a4", "B12", "B31", 3, "2024-09-01 08:00:00", s1="2024-09-02 08:00:00",
       s2="2024-10-06 11:59:00"),                                 # waits since s2: 2 days 1 minute
    _t("a5", "B31", "B11", 3, "2024-09-20 12:00:00",
       s1="2024-09-25 12:00:00"),                                 # s2 missing: since s1, 13 days
    _t("a6", "XB", "B11", 4, "2024-10-07 00:00:00", s1="2024-10-07 01:00:00",
       s2="2024-10-07 02:00:00", s3="2024-10-08 00:00:00"),      # waits since s3: half a day
    _t("a7", "B21", OUTSIDE, 3, "2024-09-28 12:00:00", s1="2024-09-28 13:00:00",
       s2="2024-09-29 12:00:00"),                                 # received outside: no holder
    _t("a8", "B11", "B12", 4, "2024-09-30 12:00:00"),            # no time at all: since created, 8d
    # Completed.
    _t("c1", "B12", "B31", 5, "2024-09-01 00:00:00",
       s1="2024-09-03 00:00:00",                                  # exactly 48 hours: timely
       s2="2024-09-05 00:00:01",                                  # 48 hours and a second: late
       s3="2024-09-05 01:00:01", completed="2024-09-06 01:00:01"),  # step 4 at completed_at
    _t("c2", "B21", OUTSIDE, 5, "2024-09-10 00:00:00", s1="2024-09-10 10:00:00",
       s2="2024-09-11 10:00:00", completed="2024-09-15 00:00:00"),
    _t("c3", "B21", "G2", 5, "2024-09-12 00:00:00"),             # into a committee; no times
    # Returned, by step 1, 2, 3, 4 and 3.
    _t("r1", "B11", "B12", 6, "2024-09-01 00:00:00", s1="2024-09-01 12:00:00"),
    _t("r2", "B21", "B11", 7, "2024-09-01 00:00:00", s1="2024-09-02 00:00:00",
       s2="2024-09-05 00:00:00"),
    _t("r3", "B31", "B12", 8, "2024-09-01 00:00:00", s1="2024-09-01 06:00:00",
       s2="2024-09-01 12:00:00", s3="2024-09-10 00:00:00"),
    _t("r4", "XB", "B21", 9, "2024-09-01 00:00:00", s1="2024-09-01 01:00:00",
       s2="2024-09-01 02:00:00", s3="2024-09-01 03:00:00", s4="2024-09-04 03:00:00"),
    _t("r5", "B11", "B21", 8, "2024-09-01 00:00:00", s1="2024-09-01 01:00:00",
       s2="2024-09-01 02:00:00", s3="2024-09-01 03:00:00"),
    # Withdrawn after its first review.
    _t("w1", "B11", "B31", 0, "2024-09-01 00:00:00", s1="2024-09-02 00:00:00"),
]

for _i, _row in enumerate(TRANSFERS, 1):
    _row["id_number"] = make_id("20030101", _i)

DATA = {"orgs": province.ORGS, "transfers": TRANSFERS}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("transfers") / "zhtj.duckdb"
    province.build_db(path, DATA, as_of=AS_OF)
    return path


@pytest.fixture(scope="module")
def conn(db):
    with connect(db) as c:
        yield c


@pytest.fixture(scope="module")
def native(db):
    """The dashboard's kind of connection: native DuckDB, read-only (on a copy of the file: one
    process cannot open a file twice with different settings, and SQLAlchemy's differ)."""
    copy = db.with_name("native.duckdb")
    shutil.copyfile(db, copy)
    c = duckdb.connect(str(copy), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    """Another database: two transfers waiting equally long at step 1, and one review."""
    transfers = [_t("a1", "B11", "B12", 1, "2024-10-01 12:00:00"),
                 _t("a2", "B21", "B12", 1, "2024-10-01 12:00:00"),
                 _t("r1", "B31", "B12", 6, "2024-09-01 00:00:00", s1="2024-09-01 12:00:00")]
    for i, row in enumerate(transfers, 1):
        row["id_number"] = make_id("20030201", i)
    path = tmp_path_factory.mktemp("sparse") / "zhtj.duckdb"
    province.build_db(path, {"orgs": province.ORGS, "transfers": transfers}, as_of=AS_OF)
    c = duckdb.connect(str(path), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def tid(native) -> dict[str, int]:
    """Each transfer's transfer_id, by its key (the applicant's name)."""
    return dict(native.execute("select name, transfer_id from transfer_steps").fetchall())


def records(df: pd.DataFrame) -> list[tuple]:
    return [tuple(None if v is None or v is pd.NaT or (isinstance(v, float) and v != v) else v
                  for v in r) for r in df.itertuples(index=False)]


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def run(conn, name: str, org_id: str, **params) -> pd.DataFrame:
    """A report for one organization's subtree (:seq, :seq_last and :org_id from its place)."""
    seq, seq_last, _, _ = TREE[org_id]
    return queries.run(name, conn, seq=seq, seq_last=seq_last, org_id=org_id, **params)


# --- transfer_steps --------------------------------------------------------------------------
@pytest.mark.parametrize("key, expected", [
    # key: (status, step, holder_org_id, waiting_since)
    ("a1", (1, 1, "B11", "2024-10-06 12:00:00")),   # step 1: the sending branch, since created
    ("a2", (2, 2, "G1", "2024-10-01 12:00:00")),    # step 2: its parent, since s1
    ("a3", (2, 2, "G2", "2024-10-01 11:00:00")),    # s1 missing: since created
    ("a4", (3, 3, "B31", "2024-10-06 11:59:00")),   # step 3: the receiving branch, since s2
    ("a5", (3, 3, "B11", "2024-09-25 12:00:00")),   # s2 missing: since s1
    ("a6", (4, 4, "G1", "2024-10-08 00:00:00")),    # step 4: the receiver's parent, since s3
    ("a7", (3, 3, None, "2024-09-29 12:00:00")),    # the receiver is outside the province
    ("a8", (4, 4, "G1", "2024-09-30 12:00:00")),    # s3, s2, s1 missing: since created
    ("c1", (5, None, None, None)),
    ("r1", (6, 1, None, None)), ("r2", (7, 2, None, None)), ("r3", (8, 3, None, None)),
    ("r4", (9, 4, None, None)),
    ("w1", (0, None, None, None)),
])
def test_transfer_steps_places_each_transfer_at_its_step_with_holder_and_start(native, key,
                                                                               expected):
    """step, holder (and its seq) and waiting_since; pending only for holder and waiting_since."""
    status, step, holder, since = expected
    got = native.execute(
        "select status, step, holder_org_id, holder_seq, waiting_since from transfer_steps "
        "where name = ?", [key]).fetchall()
    assert got == [(status, step, holder, SEQ.get(holder),
                    None if since is None else dt.datetime.fromisoformat(since))]


def test_transfer_steps_places_both_ends_in_the_tree(native):
    """from/to ids, seqs and paths; the receiving end outside the province has only its name;
    rows in order of from_seq."""
    got = native.execute(
        "select name, from_org_id, from_seq, from_path, to_org_id, to_seq, to_path, "
        "to_outside_name from transfer_steps where name in ('a6', 'a7', 'c3') order by name"
    ).fetchall()
    assert got == [
        ("a6", "XB", 2, [1, 2], "B11", 8, [3, 4, 7, 8], None),
        ("a7", "B21", 6, [3, 4, 5, 6], None, None, None, OUTSIDE),
        ("c3", "B21", 6, [3, 4, 5, 6], "G2", 5, [3, 4, 5], None),
    ]
    seqs = [r[0] for r in native.execute("select from_seq from transfer_steps").fetchall()]
    assert seqs == sorted(seqs)
    assert native.execute("select count(*) from transfer_steps").fetchone()[0] == len(TRANSFERS)


def test_transfer_steps_carries_full_names_of_the_ends_and_the_holder(native):
    """from_org_name, to_org_name (null outside the province, its name in to_outside_name),
    holder_name."""
    got = native.execute(
        "select name, from_org_name, to_org_name, to_outside_name, holder_name "
        "from transfer_steps where name in ('a4', 'a7', 'c1') order by name").fetchall()
    assert got == [("a4", NAME["B12"], NAME["B31"], None, NAME["B31"]),
                   ("a7", NAME["B21"], None, OUTSIDE, None),
                   ("c1", NAME["B12"], NAME["B31"], None, None)]

# --- transfer_reviews ------------------------------------------------------------------------
@pytest.mark.parametrize("key, expected", [
    # key: [(step, reviewer_org_id, started_at, reviewed_at, hours, is_timely)]
    ("c1", [(1, "B12", "2024-09-01 00:00:00", "2024-09-03 00:00:00", 48.0, True),  # exactly 48 h
            (2, "G1", "2024-09-03 00:00:00", "2024-09-05 00:00:01", 48 + 1 / 3600, False),
            (3, "B31", "2024-09-05 00:00:01", "2024-09-05 01:00:01", 1.0, True),
            (4, "W", "2024-09-05 01:00:01", "2024-09-06 01:00:01", 24.0, True)]),  # completed_at
    # Outside the province: steps 3 and 4 happen there (no reviewer here); step 4 begins at s2.
    ("c2", [(1, "B21", "2024-09-10 00:00:00", "2024-09-10 10:00:00", 10.0, True),
            (2, "G2", "2024-09-10 10:00:00", "2024-09-11 10:00:00", 24.0, True),
            (4, None, "2024-09-11 10:00:00", "2024-09-15 00:00:00", 86.0, False)]),
    ("a5", [(1, "B31", "2024-09-20 12:00:00", "2024-09-25 12:00:00", 120.0, False)]),
    ("a1", []),                  # waits at step 1: its step-3 time is no review
    ("a3", []), ("a8", []), ("c3", []),
    ("r3", [(1, "B31", "2024-09-01 00:00:00", "2024-09-01 06:00:00", 6.0, True),
            (2, "W", "2024-09-01 06:00:00", "2024-09-01 12:00:00", 6.0, True),
            (3, "B12", "2024-09-01 12:00:00", "2024-09-10 00:00:00", 204.0, False)]),  # returned
    ("w1", [(1, "B11", "2024-09-01 00:00:00", "2024-09-02 00:00:00", 24.0, True)]),
])
def test_transfer_reviews_lists_each_review_with_its_reviewer_and_duration(native, key, expected):
    """Reviewer by step, start (the previous review or the application), hours, 48-hour rule."""
    got = native.execute(
        "select r.step, r.reviewer_org_id, r.reviewer_seq, r.started_at, r.reviewed_at, r.hours, "
        "r.is_timely from transfer_reviews r join transfer_steps s using (transfer_id) "
        "where s.name = ? order by r.step", [key]).fetchall()
    assert got == [(step, org, SEQ.get(org), dt.datetime.fromisoformat(start),
                    dt.datetime.fromisoformat(end), pytest.approx(hours), timely)
                   for step, org, start, end, hours, timely in expected]


def test_transfer_step_started_at_falls_back_to_earlier_times():
    """The macro: the previous step's time, else the one before, else the application time."""
    con = duckdb.connect()
    from etl.load import prepare

    prepare(con)
    got = con.execute(
        "select transfer_step_started_at(s, timestamp '2024-01-01', t1, t2, t3) from (values "
        "(1, timestamp '2024-01-02', null, null), (2, null, null, null), "
        "(3, timestamp '2024-01-02', null, null), (4, timestamp '2024-01-02', "
        "timestamp '2024-01-03', null), (4, null, null, timestamp '2024-01-04')) v(s, t1, t2, t3)"
    ).fetchall()
    assert [r[0].day for r in got] == [1, 1, 2, 3, 4]



# --- transfer_review_rollup ------------------------------------------------------------------
@pytest.mark.parametrize("org_id, expected", [
    # (reviews, timely) in the subtree, then the organization's own. c2's step 4 happened outside
    # the province: no organization here counts it.
    ("P", (25, 18, 0, 0)),
    ("U", (20, 14, 0, 0)),
    ("G1", (11, 7, 3, 1)),
    ("B12", (3, 2, 3, 2)),
    ("W", (5, 4, 2, 2)),
    ("X", (4, 4, 2, 2)),
])
def test_transfer_review_rollup_rolls_reviews_up_the_tree(native, org_id, expected):
    """Subtree and own review counts per organization, by reviewer."""
    got = native.execute("select seq, reviews, timely, own_reviews, own_timely "
                         "from transfer_review_rollup where org_id = ?", [org_id]).fetchall()
    assert got == [(SEQ[org_id], *expected)]


def test_transfer_review_rollup_has_no_row_without_reviews(sparse):
    """Only organizations with a review in their subtree have a row: here B31 and its ancestors."""
    got = sparse.execute("select org_id, reviews, own_reviews from transfer_review_rollup "
                         "order by seq").fetchall()
    assert got == [("P", 1, 0), ("W", 1, 0), ("B31", 1, 1)]

# --- transfer_counts -------------------------------------------------------------------------
@pytest.mark.parametrize("org_id, pending_within", [
    ("P", 6),    # a1 a2 a3 a4 a5 a8; not a6 (from the other root) nor a7 (to outside)
    ("U", 3),    # a1 a2 a8
    ("G1", 2),   # a1 a8
    ("B11", 0), ("W", 0), ("X", 0),
])
def test_transfer_counts_are_org_rollups_with_pending_within(conn, native, org_id, pending_within):
    """CONTRACT figures exactly as org_rollup has them, plus pending within, and as_of."""
    got = run(conn, "transfer_counts", org_id)
    assert list(got.columns) == ["pending_out", "pending_in", "pending_within", "completed",
                                 "returned", "withdrawn", "as_of"]
    rollup = native.execute(
        "select transfers_pending_out, transfers_pending_in, transfers_completed, "
        "transfers_returned, transfers_withdrawn from org_rollup where org_id = ?",
        [org_id]).fetchone()
    out, in_, completed, returned, withdrawn = rollup
    assert records(got) == [(out, in_, pending_within, completed, returned, withdrawn,
                             pd.Timestamp(AS_OF))]


@pytest.mark.parametrize("org_id, expected", [
    ("P", (1, 1, 6, 3, 5, 1)),    # out a7; in a6; completed c1-c3; returned r1-r5; w1
    ("W", (1, 2, 0, 1, 1, 1)),    # out a5; in a3 a4; completed c1; returned r3; withdrawn w1
])
def test_transfer_counts_exact_figures(conn, org_id, expected):
    """Hand-counted figures for two subtrees."""
    assert records(run(conn, "transfer_counts", org_id))[0][:6] == expected


# --- transfer_pending_by_step ----------------------------------------------------------------
BUCKETS = ("le2", "3to7", "gt7")


@pytest.mark.parametrize("org_id, counts", [
    # step: (le2, 3to7, gt7). a1 is exactly 2 days old (le2), a2 exactly 7 (3to7), a4 2 days and
    # a minute (3to7), a3 7 days and an hour (gt7).
    ("P", {1: (1, 0, 0), 2: (0, 1, 1), 3: (0, 1, 2), 4: (1, 0, 1)}),
    ("G1", {1: (1, 0, 0), 2: (0, 1, 0), 3: (0, 1, 1), 4: (1, 0, 1)}),  # not a3, a7
    ("W", {1: (0, 0, 0), 2: (0, 0, 1), 3: (0, 1, 1), 4: (0, 0, 0)}),    # a3, a4, a5
    ("X", {1: (0, 0, 0), 2: (0, 0, 0), 3: (0, 0, 0), 4: (1, 0, 0)}),    # a6
    ("B31", {1: (0, 0, 0), 2: (0, 0, 1), 3: (0, 1, 1), 4: (0, 0, 0)}),
])
def test_transfer_pending_by_step_buckets_ages_at_each_step(conn, org_id, counts):
    """All 12 (step, bucket) rows in fixed order; boundaries: 2 days is le2, 7 days is 3to7."""
    got = run(conn, "transfer_pending_by_step", org_id)
    assert list(got.columns) == ["step", "age_bucket", "transfers"]
    assert records(got) == [(step, bucket, counts[step][i])
                            for step in (1, 2, 3, 4) for i, bucket in enumerate(BUCKETS)]


# --- transfer_returned_by_step ---------------------------------------------------------------
@pytest.mark.parametrize("org_id, counts", [
    ("P", (1, 1, 2, 1)),     # r1 | r2 | r3 r5 | r4 (from the other root, into B21)
    ("W", (0, 0, 1, 0)),     # r3 from B31
    ("B21", (0, 1, 1, 1)),   # r2 from it, r5 and r4 into it
    ("X", (0, 0, 0, 1)),
    ("B12", (1, 0, 1, 0)),   # r1 into it, r3 into it
])
def test_transfer_returned_by_step_counts_returns_at_each_step(conn, org_id, counts):
    """One row per step 1-4 with zeros; returned transfers touching the subtree."""
    got = run(conn, "transfer_returned_by_step", org_id)
    assert list(got.columns) == ["step", "transfers"]
    assert records(got) == list(zip((1, 2, 3, 4), counts))


# --- transfer_holders ------------------------------------------------------------------------
@pytest.mark.parametrize("org_id, limit, expected", [
    ("P", 10, [("G1", 4, True, 2, 8.0),          # a6, a8
               ("B11", 3, True, 1, 13.0),        # then by oldest wait
               ("G2", 2, True, 1, 7 + 1 / 24),
               ("G1", 2, True, 1, 7.0),
               ("B31", 3, True, 1, 2 + 1 / 1440),
               ("B11", 1, True, 1, 2.0)]),       # a7 waits outside the province: not listed
    ("P", 2, [("G1", 4, True, 2, 8.0), ("B11", 3, True, 1, 13.0)]),
    ("W", 10, [("B11", 3, False, 1, 13.0),       # holders of a5 and a3 lie outside W
               ("G2", 2, False, 1, 7 + 1 / 24),
               ("B31", 3, True, 1, 2 + 1 / 1440)]),
    ("B11", 10, [("G1", 4, False, 2, 8.0), ("B11", 3, True, 1, 13.0), ("G1", 2, False, 1, 7.0),
                 ("B11", 1, True, 1, 2.0)]),
])
def test_transfer_holders_ranks_who_must_act(conn, org_id, limit, expected):
    """Per (holder, step): transfers desc, oldest wait desc, name; top :limit."""
    got = run(conn, "transfer_holders", org_id, limit=limit)
    assert list(got.columns) == ["holder_org_id", "holder_name", "step", "is_inside", "transfers",
                                 "oldest_days"]
    assert records(got) == [(h, NAME[h], step, inside, n, pytest.approx(days))
                            for h, step, inside, n, days in expected]


def test_transfer_holders_breaks_ties_by_holder_name(sparse):
    """Equal counts and equal waits: by holder full name (数 sorts before 计)."""
    got = run(sparse, "transfer_holders", "P", limit=10)
    assert list(got["holder_org_id"]) == ["B21", "B11"]
    assert sorted([NAME["B11"], NAME["B21"]]) == [NAME["B21"], NAME["B11"]]


# --- transfer_timeliness_children ------------------------------------------------------------
@pytest.mark.parametrize("org_id, expected", [
    # (org_id, is_self, reviews, timely). G1 itself reviews steps 2 and 4 of its branches: a4 and
    # c1 late (c1 by a second), r5 on time. B12: c1 at exactly 48 hours is on time, r3 late.
    ("G1", [("G1", True, 3, 1), ("B12", False, 3, 2), ("B11", False, 5, 4)]),
    # U: B11 5/4, B12 3/2, G1 3/1, B21 5/5, G2 4/2; W: B31 3/2, W 2/2. P itself never reviewed.
    ("P", [("U", False, 20, 14), ("W", False, 5, 4)]),
    # Equal rates: more reviews first, then tree order (the organization itself comes first).
    ("X", [("X", True, 2, 2), ("XB", False, 2, 2)]),
    ("B11", [("B11", True, 5, 4)]),      # a branch: only itself
    ("W", [("B31", False, 3, 2), ("W", True, 2, 2)]),
])
def test_transfer_timeliness_children_rates_each_child_subtree_worst_first(conn, org_id, expected):
    """Reviews by each child's subtree and by the organization itself; timely = within 48 h."""
    got = run(conn, "transfer_timeliness_children", org_id)
    assert list(got.columns) == ["seq", "org_id", "org_name", "is_self", "reviews", "timely",
                                 "timely_rate"]
    assert records(got) == [(SEQ[o], o, NAME[o], is_self, n, timely, pytest.approx(timely / n))
                            for o, is_self, n, timely in expected]


# --- transfer_flows --------------------------------------------------------------------------
def _node(org_id: str | None, inside: bool) -> tuple[str, str]:
    if org_id is None:
        return "province:outside", "省外"
    return ("inside:" if inside else "outside:") + org_id, NAME[org_id]


@pytest.mark.parametrize("org_id, limit, expected", [
    # U's children are G1 and G2; W is a child of P (like another city); X another tree; a1, a8
    # (B11 -> B12) and c3 (B21 -> G2) stay inside one child and are no flow.
    ("U", 10, [("G1", True, "W", False, 2),            # a4, c1
               ("G2", True, None, False, 2),           # a7 pending, c2 completed, to outside
               ("G1", True, "G2", True, 1),            # a2
               ("G2", True, "W", False, 1),            # a3
               ("W", False, "G1", True, 1),            # a5
               ("X", False, "G1", True, 1)]),          # a6
    # G1's children are branches; B21's nearest node outside G1 is its sibling G2, not U.
    ("G1", 10, [("B11", True, "B12", True, 2),         # a1, a8
                ("B12", True, "W", False, 2),
                ("B11", True, "G2", False, 1),
                ("W", False, "B11", True, 1),
                ("X", False, "B11", True, 1)]),
    ("G1", 2, [("B11", True, "B12", True, 2), ("B12", True, "W", False, 2)]),
    # W (a child of P): everything in U is the node U (the depth-1 ancestor).
    ("W", 10, [("U", False, "B31", True, 3),           # a3, a4, c1
               ("B31", True, "U", False, 1)]),         # a5
    # An end that is the selected organization itself is its own node (c3 into G2).
    ("G2", 10, [("B21", True, None, False, 2),
                ("B21", True, "G2", True, 1),
                ("B21", True, "W", False, 1),
                ("G1", False, "B21", True, 1)]),       # a2; r2, r4, r5 were returned: not counted
    # An end that is an ancestor of the selected organization is that ancestor (c3 into G2).
    ("B21", 10, [("B21", True, None, False, 2),
                 ("B21", True, "G2", False, 1),
                 ("B21", True, "W", False, 1),
                 ("G1", False, "B21", True, 1)]),
])
def test_transfer_flows_map_ends_to_nodes(conn, org_id, limit, expected):
    """Pending and completed transfers by (source node, target node), top :limit."""
    got = run(conn, "transfer_flows", org_id, limit=limit)
    assert list(got.columns) == ["source_key", "source_name", "source_inside", "target_key",
                                 "target_name", "target_inside", "transfers"]
    assert records(got) == [(*_node(s, s_in), s_in, *_node(t, t_in), t_in, n)
                            for s, s_in, t, t_in, n in expected]


# --- transfer_stuck --------------------------------------------------------------------------
# Pending transfers touching P, oldest wait first: (key, waiting days).
BY_DAYS = [("a5", 13.0), ("a7", 9.0), ("a8", 8.0), ("a3", 7 + 1 / 24), ("a2", 7.0),
           ("a4", 2 + 1 / 1440), ("a1", 2.0), ("a6", 0.5)]
HOLDER = {"a1": "B11", "a2": "G1", "a3": "G2", "a4": "B31", "a5": "B11", "a6": "G1", "a7": None,
          "a8": "G1"}
ROW = {r["name"]: r for r in TRANSFERS}


def stuck(conn, org_id="P", *, min_days=0, name_filter=None, sort=None, descending=None,
          limit=100, offset=0) -> pd.DataFrame:
    return run(conn, "transfer_stuck", org_id, min_days=min_days, name_filter=name_filter,
               sort=sort, descending=descending, limit=limit, offset=offset)


def test_transfer_stuck_rows_carry_names_holder_and_wait(conn, tid):
    """Every column of one row, oldest first by default; to_org_name outside is the given name."""
    got = stuck(conn)
    assert list(got.columns) == ["transfer_id", "name", "id_number", "created_at",
                                 "from_org_name", "to_org_name", "step", "holder_org_id",
                                 "holder_name", "waiting_since", "waiting_days", "total_rows"]
    assert [r[1] for r in records(got)] == [k for k, _ in BY_DAYS]
    assert records(got)[:2] == [
        (tid["a5"], "a5", ROW["a5"]["id_number"], ts("2024-09-20 12:00:00"), NAME["B31"],
         NAME["B11"], 3, "B11", NAME["B11"], ts("2024-09-25 12:00:00"), 13.0, 8),
        (tid["a7"], "a7", ROW["a7"]["id_number"], ts("2024-09-28 12:00:00"), NAME["B21"],
         OUTSIDE, 3, None, None, ts("2024-09-29 12:00:00"), 9.0, 8),
    ]
    assert list(got["waiting_days"]) == pytest.approx([d for _, d in BY_DAYS])


@pytest.mark.parametrize("min_days, keys", [
    (None, [k for k, _ in BY_DAYS]),
    (2, ["a5", "a7", "a8", "a3", "a2", "a4"]),    # exactly 2 days (a1) is not more than 2
    (7, ["a5", "a7", "a8", "a3"]),                # exactly 7 days (a2) is not more than 7
    (13, []),
])
def test_transfer_stuck_keeps_waits_longer_than_min_days(conn, min_days, keys):
    """waiting_days > :min_days; total_rows counts what is kept."""
    got = stuck(conn, min_days=min_days)
    assert list(got["name"]) == keys
    assert set(got["total_rows"]) <= {len(keys)}


@pytest.mark.parametrize("limit, offset, keys", [
    (3, 0, ["a5", "a7", "a8"]),
    (3, 3, ["a3", "a2", "a4"]),
    (3, 6, ["a1", "a6"]),
    (3, 9, []),
])
def test_transfer_stuck_pages_with_limit_and_offset(conn, limit, offset, keys):
    """A page of the order; total_rows is the count of all pages."""
    got = stuck(conn, limit=limit, offset=offset)
    assert list(got["name"]) == keys
    assert set(got["total_rows"]) <= {8}


def _by(key, descending: bool, tid) -> list[str]:
    """The expected order: by key (None last either way), then transfer_id ascending."""
    keys = [k for k, _ in BY_DAYS]
    present = sorted((k for k in keys if key(k) is not None), key=lambda k: tid[k])
    present.sort(key=key, reverse=descending)  # stable: ties keep transfer_id order
    return present + sorted((k for k in keys if key(k) is None), key=lambda k: tid[k])


SORT_KEYS = {
    "days": lambda k: dict(BY_DAYS)[k],
    "created": lambda k: ROW[k]["created_at"],
    "step": lambda k: int([s for s, label in STATUS.items() if label == ROW[k]["status"]][0]),
    "holder": lambda k: HOLDER[k] and NAME[HOLDER[k]],
    "from": lambda k: NAME[ROW[k]["from_org"]],
    "to": lambda k: ROW[k]["to_org"],
}


@pytest.mark.parametrize("sort", list(SORT_KEYS))
@pytest.mark.parametrize("descending", [False, True])
def test_transfer_stuck_sorts_by_any_column_either_way(conn, tid, sort, descending):
    """:sort picks the column, :descending the direction; ties by transfer_id; nulls last."""
    got = stuck(conn, sort=sort, descending=descending)
    assert list(got["name"]) == _by(SORT_KEYS[sort], descending, tid)


@pytest.mark.parametrize("sort, descending", [(None, None), ("bogus", None), ("days", None)])
def test_transfer_stuck_defaults_to_longest_wait_first(conn, sort, descending):
    """An unknown or missing :sort is 'days'; a missing :descending is descending."""
    assert list(stuck(conn, sort=sort, descending=descending)["name"]) == [k for k, _ in BY_DAYS]


@pytest.mark.parametrize("name_filter, keys", [
    ("数学", ["a7", "a3", "a2"]),        # from B21 (a7, a3), to B21 (a2); holder G2 (a3)
    ("xyz", ["a7"]),                    # the outside name, letters in either case
    ("XYZ", ["a7"]),
    ("总支", ["a8", "a3", "a2", "a6"]),  # holders G1 and G2
    ("某公司", ["a5", "a3", "a4"]),      # from or to B31
    ("没有", []),
])
def test_transfer_stuck_filters_on_holder_from_or_to_name(conn, name_filter, keys):
    """:name_filter keeps rows whose holder, sending or receiving name contains it."""
    got = stuck(conn, name_filter=name_filter)
    assert list(got["name"]) == keys
    assert set(got["total_rows"]) <= {len(keys)}


def test_transfer_stuck_pages_a_filtered_list(conn):
    """Filter, then sort, then page; total_rows is the filtered count."""
    got = stuck(conn, name_filter="总支", sort="created", descending=False, limit=2, offset=1)
    assert records(got[["name", "total_rows"]]) == [("a8", 4), ("a3", 4)]


@pytest.mark.parametrize("org_id, keys", [
    ("W", ["a5", "a3", "a4"]),
    ("X", ["a6"]),
    ("B21", ["a7", "a3", "a2"]),
])
def test_transfer_stuck_keeps_transfers_touching_the_subtree(conn, org_id, keys):
    """From the subtree or into it."""
    assert list(stuck(conn, org_id)["name"]) == keys


# --- both kinds of connection ----------------------------------------------------------------
REPORTS = {
    "transfer_counts": {},
    "transfer_pending_by_step": {},
    "transfer_returned_by_step": {},
    "transfer_holders": {"limit": 5},
    "transfer_timeliness_children": {},
    "transfer_flows": {"limit": 5},
    "transfer_stuck": {"min_days": 1.5, "name_filter": "团", "sort": "holder",
                       "descending": False, "limit": 4, "offset": 1},
}


@pytest.mark.parametrize("name", list(REPORTS))
@pytest.mark.parametrize("org_id", ["P", "G1"])
def test_transfer_reports_answer_alike_on_native_duckdb(conn, native, name, org_id):
    """The dashboard's native DuckDB connection gets the same rows as SQLAlchemy."""
    via_sqlalchemy = run(conn, name, org_id, **REPORTS[name])
    via_native = run(native, name, org_id, **REPORTS[name])
    assert not via_sqlalchemy.empty
    assert records(via_native) == records(via_sqlalchemy)
