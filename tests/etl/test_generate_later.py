"""The demo province at later dates of one season: the same province, with realistic progress."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import pytest

from etl.generate import generate
from etl.generate.later import base_date, laggards
from etl.generate.model import build
from etl.load import LoadSettings, load

pytestmark = pytest.mark.slow

MEMBERS, SEED = 3000, 1
FIRST, WEEK, MONTH = "2024-10-08", "2024-10-15", "2024-11-05"
LAGGING = """
    select r.branch_org_id, count(*) as roster,
           count(m.id_number) filter (where m.is_active and m.is_registered_approved) as approved
    from stg_roster r
    left join stg_members m using (id_number)
    group by r.branch_org_id
"""


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, Path]:
    """The files of each date, generated with one seed."""
    out = {}
    for day in (FIRST, WEEK, MONTH):
        out[day] = tmp_path_factory.mktemp(f"files-{day}")
        generate(out[day], members=MEMBERS, seed=SEED, as_of=dt.date.fromisoformat(day))
    return out


@pytest.fixture(scope="module")
def dbs(exports, tmp_path_factory) -> dict[str, duckdb.DuckDBPyConnection]:
    """Each date's files loaded into a database of its own, as of noon that day."""
    out = {}
    for day, files in exports.items():
        db = tmp_path_factory.mktemp(f"db-{day}") / "zhtj.duckdb"
        load(LoadSettings(source=files, db=db, quiet=True,
                          as_of=dt.datetime.fromisoformat(f"{day}T12:00:00")))
        out[day] = duckdb.connect(str(db), read_only=True)
    yield out
    for con in out.values():
        con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> set[tuple]:
    return set(con.execute(sql).fetchall())


def test_base_date_is_shared_by_one_season():
    """Dates from 8 October to early February share the season's base; earlier dates are their
    own base (so the default 2024-10-08 output is what it always was)."""
    base = dt.date(2024, 10, 8)
    for day in (base, dt.date(2024, 10, 15), dt.date(2024, 11, 5), dt.date(2025, 2, 6)):
        assert base_date(day) == base
    for day in (dt.date(2024, 10, 7), dt.date(2024, 9, 20), dt.date(2025, 3, 1)):
        assert base_date(day) == day
    assert base_date(dt.date(2025, 2, 7)) == dt.date(2025, 2, 7)


def test_same_arguments_give_byte_identical_later_files(exports, tmp_path):
    """A later date generated twice gives the same files, byte for byte."""
    generate(tmp_path, members=MEMBERS, seed=SEED, as_of=dt.date.fromisoformat(WEEK))
    assert digest(tmp_path) == digest(exports[WEEK])


def test_same_organizations_and_campaigns(dbs):
    """Every date has the same organizations (ids, names, parents) and the same campaigns,
    deadlines and rosters."""
    orgs = "select org_id, full_name, parent_org_id, org_type from org_tree"
    campaigns = "select campaign, deadline, org_id from stg_campaigns"
    roster = "select name, id_number, branch_org_id from stg_roster"
    for sql in (orgs, campaigns, roster):
        first = rows(dbs[FIRST], sql)
        assert first
        assert rows(dbs[WEEK], sql) == first == rows(dbs[MONTH], sql)


def test_same_people_except_new_registrations_and_departures(dbs):
    """Members are the same people (same ID numbers and names); the only newcomers are roster
    students who registered since, the only ones gone left the province by a transfer."""
    members = "select id_number, name from stg_members"
    roster = {r[0] for r in rows(dbs[FIRST], "select id_number from stg_roster")}
    for earlier, later in ((FIRST, WEEK), (WEEK, MONTH)):
        a, b = dict(rows(dbs[earlier], members)), dict(rows(dbs[later], members))
        new, gone, kept = b.keys() - a.keys(), a.keys() - b.keys(), a.keys() & b.keys()
        assert new <= roster
        assert new or earlier != FIRST
        left = rows(dbs[later], "select id_number from stg_transfers "
                                "where status = 5 and to_org_id is null")
        assert gone <= {r[0] for r in left}
        assert len(kept) > 0.99 * len(a)
        assert all(a[k] == b[k] for k in kept)


def test_registrations_move_on(dbs):
    """More approved registrations and fewer pending each time; a branch lagging on 10-08 has
    all its roster approved on 10-15; an approval is never taken back."""
    counts = ("select count(*) filter (where is_registered_approved), "
              "count(*) filter (where registration_status = 1) from stg_members")
    (a1, p1), (a2, p2), (a3, p3) = (dbs[d].execute(counts).fetchone() for d in (FIRST, WEEK, MONTH))
    assert a1 < a2 < a3 and p1 > p2 > p3
    before = {r[0]: r[1:] for r in rows(dbs[FIRST], LAGGING)}
    after = {r[0]: r[1:] for r in rows(dbs[WEEK], LAGGING)}
    lagging = {b for b, (roster, approved) in before.items() if approved < roster}
    assert any(after[b][1] == after[b][0] for b in lagging)
    approved = "select id_number from stg_members where is_registered_approved"
    members = "select id_number from stg_members"
    for earlier, later in ((FIRST, WEEK), (WEEK, MONTH)):
        still_members = rows(dbs[earlier], approved) & rows(dbs[later], members)
        assert still_members <= rows(dbs[later], approved)


def test_laggard_branches_never_move(dbs):
    """The seed's laggard branches keep the same member rows and cadre records on every date,
    and at least one of them lags its campaign throughout."""
    p = build(MEMBERS, SEED, dt.date.fromisoformat(FIRST))
    ids = [p.orgs.ids[i] for i in laggards(p).nonzero()[0].tolist()]
    assert ids
    members = ("select id_number, registration_status, registered_at, reviewed_at from "
               "stg_members where branch_org_id in (select unnest($ids))")
    cadres = ("select id_number, org_id, position, wecom_status from stg_cadres "
              "where org_id in (select unnest($ids))")
    for sql in (members, cadres):
        first = set(dbs[FIRST].execute(sql, {"ids": ids}).fetchall())
        assert first
        for day in (WEEK, MONTH):
            assert set(dbs[day].execute(sql, {"ids": ids}).fetchall()) == first
    figures = [{r[0]: r[1:] for r in rows(dbs[d], LAGGING)} for d in (FIRST, WEEK, MONTH)]
    assert any(figures[0][b][1] < figures[0][b][0] and figures[0][b] == figures[1][b]
               == figures[2][b] for b in ids if b in figures[0])


def test_cadres_out_of_scope_removed_and_added_and_onboarded(dbs):
    """Some out-of-scope cadre records are gone a week later and a few new ones entered; more
    cadres are onboarded."""
    out = "select org_id, id_number, position from cadre_scope where not is_in_scope"
    a, b = rows(dbs[FIRST], out), rows(dbs[WEEK], out)
    assert a - b and b - a
    assert len(a - b) < len(a) / 2
    onboarded = "select count(*) from stg_cadres where is_onboarded"
    counts = [dbs[d].execute(onboarded).fetchone()[0] for d in (FIRST, WEEK, MONTH)]
    assert counts[0] < counts[1] < counts[2]


def test_pending_transfers_move_on(dbs):
    """Transfers pending on 10-08 move on within a week, and one is completed by 11-05; the
    others keep their status; applications are never lost, and a few new ones appear."""
    sql = "select id_number, created_at, status from stg_transfers"
    first = {r[:2]: r[2] for r in rows(dbs[FIRST], sql)}
    week, month = ({r[:2]: r[2] for r in rows(dbs[d], sql)} for d in (WEEK, MONTH))
    pending = {k for k, s in first.items() if 1 <= s <= 4}
    assert any(week[k] != first[k] for k in pending)
    assert any(month[k] == 5 for k in pending)
    for later in (week, month):
        assert set(first) < set(later)
        assert all(later[k] == s for k, s in first.items() if k not in pending)


def test_a_month_of_dues_more_when_the_month_changes(dbs):
    """The 11-05 export adds the 2024-10 bills to the same twelve months; arrears get paid."""
    months = "select distinct dues_month from stg_dues"
    first = {r[0] for r in rows(dbs[FIRST], months)}
    assert len(first) == 12
    assert {r[0] for r in rows(dbs[WEEK], months)} == first
    assert {r[0] for r in rows(dbs[MONTH], months)} == first | {dt.date(2024, 10, 1)}
    paid = "select count(*) from stg_dues where is_paid and dues_month < date '2024-10-01'"
    counts = [dbs[d].execute(paid).fetchone()[0] for d in (FIRST, WEEK, MONTH)]
    assert counts[0] < counts[1] < counts[2]
