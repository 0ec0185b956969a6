"""Subtree rollups: org_rollup, org_rollup_registration, member_arrears, org_rollup_dues and
dues_months."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.queries import province
from tests.queries.conftest import make_id, rows, run_pipeline
from tests.queries.province import CAMPAIGN_ID, M, SEQ


@pytest.fixture(scope="module")
def con():
    return run_pipeline(province.DATA)


def month(m: int, year: int = 2024) -> dt.date:
    return dt.date(year, m, 1)


def test_the_province_loads_with_exactly_the_intended_quarantine(con):
    """Only the two rows meant to be bad are quarantined, so every figure below is deliberate."""
    got = rows(con, "select kind, reason_en from quarantine order by kind")
    assert got == [("dues", "no member has this ID number"),
                   ("members", "ID number check character is wrong")]


# --- org_rollup: members ---------------------------------------------------------------------
# members_total, members_active, members_approved (active, 3/4/5), members_pending (active, 1),
# reviews_pending (active, 1 or 4)
MEMBER_COUNTS = {
    "B11": (5, 4, 2, 1, 2),  # m1 approved, m2 pending, m3 edit pending, m4 lapsed, m5 returned
    "B12": (2, 2, 1, 0, 0),  # m6 edit returned, m7 withdrawn
    "G1": (7, 6, 3, 1, 2),
    "B21": (1, 0, 0, 0, 0),  # m8 pending but disabled: no figure counts it
    "G2": (1, 0, 0, 0, 0),
    "U": (8, 6, 3, 1, 2),
    "B31": (1, 1, 1, 0, 0),
    "W": (1, 1, 1, 0, 0),
    "P": (9, 7, 4, 1, 2),
    "XB": (1, 1, 1, 0, 0),   # status given as the code 3
    "X": (1, 1, 1, 0, 0),
}


@pytest.mark.parametrize("org_id", list(MEMBER_COUNTS))
def test_org_rollup_counts_members_of_the_subtree(con, org_id):
    """Active, approved, pending and reviews pending count active members only, whole subtree."""
    got = rows(con, "select members_total, members_active, members_approved, members_pending, "
                    "reviews_pending from org_rollup where org_id = ?", [org_id])
    assert got == [MEMBER_COUNTS[org_id]]


# --- org_rollup: organizations and cadres ----------------------------------------------------
# orgs, branches, cadre_records, cadres_in_scope, cadres_out_of_scope, cadres_onboarded_in_scope,
# branches_without_cadre
CADRE_COUNTS = {
    "B11": (1, 1, 2, 1, 1, 1, 0),  # onboarded 书记 in; operator 组织委员 out
    "B12": (1, 1, 0, 0, 0, 0, 1),  # no cadre record at all
    "G1": (3, 2, 3, 1, 2, 1, 1),   # + its own 工作人员, onboarded but out of scope
    "B21": (1, 1, 1, 1, 0, 0, 0),  # no 书记: the operator 宣传委员 is in (not onboarded)
    "G2": (2, 1, 1, 1, 0, 0, 0),
    "U": (6, 3, 5, 3, 2, 1, 1),    # + its own 副书记
    "B31": (1, 1, 0, 0, 0, 0, 1),
    "W": (2, 1, 0, 0, 0, 0, 1),
    "P": (9, 4, 7, 4, 3, 2, 2),    # + its own onboarded 书记 and a 其他
    "XB": (1, 1, 1, 0, 1, 0, 0),   # a record (其他) out of scope is still a cadre record
    "X": (2, 1, 1, 0, 1, 0, 0),
}


@pytest.mark.parametrize("org_id", list(CADRE_COUNTS))
def test_org_rollup_counts_cadres_and_branches_without_cadre(con, org_id):
    """Cadre records by scope and onboarding, and branches with no cadre record, whole subtree."""
    got = rows(con, "select orgs, branches, cadre_records, cadres_in_scope, cadres_out_of_scope, "
                    "cadres_onboarded_in_scope, branches_without_cadre from org_rollup "
                    "where org_id = ?", [org_id])
    assert got == [CADRE_COUNTS[org_id]]


# --- org_rollup: transfers -------------------------------------------------------------------
# pending_out, pending_in, completed, returned, withdrawn. The transfers (province.TRANSFERS):
# t1 B11->B12 pending (inside G1), t2 B11->B21 pending (G1 -> G2, inside U), t3 B12->B31 completed
# (U -> W, inside P), t4 B21->outside province pending, t5 XB->B11 pending (across roots),
# t6 B31->B11 returned, t7 B11->B12 withdrawn, t8 B11->home county returned.
TRANSFER_COUNTS = {
    "B11": (2, 1, 0, 2, 1),
    "B12": (0, 1, 1, 0, 1),
    "G1": (1, 1, 1, 2, 1),   # t1 is internal: neither out nor in
    "B21": (1, 1, 0, 0, 0),
    "G2": (1, 1, 0, 0, 0),
    "U": (1, 1, 1, 2, 1),    # t2 is internal too
    "B31": (0, 0, 1, 1, 0),
    "W": (0, 0, 1, 1, 0),
    "P": (1, 1, 1, 2, 1),    # t3 and t6 touch P at both ends and count once
    "XB": (1, 0, 0, 0, 0),
    "X": (1, 0, 0, 0, 0),
}


@pytest.mark.parametrize("org_id", list(TRANSFER_COUNTS))
def test_org_rollup_counts_transfers_crossing_or_touching_the_subtree(con, org_id):
    """Pending out/in only across the subtree's edge; completed and returned once if touching."""
    got = rows(con, "select transfers_pending_out, transfers_pending_in, transfers_completed, "
                    "transfers_returned, transfers_withdrawn from org_rollup where org_id = ?",
               [org_id])
    assert got == [TRANSFER_COUNTS[org_id]]


def test_org_rollup_has_one_row_per_organization_in_tree_order(con):
    """Every organization, including those with no facts, once, ordered by seq."""
    got = rows(con, "select seq, org_id from org_rollup")
    assert got == sorted((s, o) for o, s in SEQ.items())


# --- org_rollup_registration -----------------------------------------------------------------
REGISTRATION = [  # (org, campaign, roster, approved, pending) in (seq, campaign_id) order
    ("X", "全省团员报到2025", 1, 1, 0),
    ("XB", "全省团员报到2025", 1, 1, 0),
    ("P", "2023级新生报到", 1, 1, 0),
    ("P", "2024级新生报到", 7, 3, 1),
    ("P", "计算机学院补报到", 2, 0, 1),
    ("U", "2023级新生报到", 1, 1, 0),
    ("U", "2024级新生报到", 7, 3, 1),
    ("U", "计算机学院补报到", 2, 0, 1),
    ("G2", "2024级新生报到", 2, 1, 0),
    ("B21", "2024级新生报到", 2, 1, 0),   # m9 counts here, on the roster's branch, not B31
    ("G1", "2023级新生报到", 1, 1, 0),    # m3: edit pending counts as approved
    ("G1", "2024级新生报到", 5, 2, 1),
    ("G1", "计算机学院补报到", 2, 0, 1),
    ("B11", "2023级新生报到", 1, 1, 0),
    ("B11", "2024级新生报到", 3, 1, 1),   # m4 lapsed: neither approved nor pending
    ("B11", "计算机学院补报到", 2, 0, 1),  # m5 returned: neither
    ("B12", "2024级新生报到", 2, 1, 0),   # one person is no member at all
]


def test_org_rollup_registration_counts_roster_entries_in_each_subtree(con):
    """Roster, approved and pending per (campaign, organization with entries in its subtree)."""
    got = rows(con, "select seq, org_id, campaign_id, roster, approved, pending "
                    "from org_rollup_registration")
    assert got == [(SEQ[o], o, CAMPAIGN_ID[c], r, a, p) for o, c, r, a, p in REGISTRATION]


@pytest.mark.parametrize("org_id, campaign", [
    ("W", "2024级新生报到"),        # no roster entry in the subtree
    ("G2", "2024级转专业报到"),     # the campaign has no roster at all
    ("X", "2024级新生报到"),
])
def test_org_rollup_registration_has_no_row_without_roster_entries(con, org_id, campaign):
    """An organization with no entry of the campaign in its subtree has no row for it."""
    got = rows(con, "select roster from org_rollup_registration "
                    "where org_id = ? and campaign_id = ?", [org_id, CAMPAIGN_ID[campaign]])
    assert got == []


# --- member_arrears --------------------------------------------------------------------------
ARREARS = {  # member -> (month, branch billed in, unpaid streak) for each unpaid bill line
    "m1": [(month(m), "B11", m - 2) for m in range(3, 10)],                     # 7 in a row
    "m2": [(month(3), "B11", 1), (month(4), "B11", 2), (month(5), "B11", 3),  # paid June
           (month(7), "B11", 1), (month(8), "B11", 2), (month(9), "B11", 3)],
    "m5": [(month(9), "B11", 1)],                                                # 0 due, unpaid
    "m6": [(month(3), "B12", 1), (month(4), "B12", 2),                           # no May line
           (month(6), "B12", 1), (month(7), "B12", 2), (month(8), "B12", 3), (month(9), "B12", 4)],
    "m9": [(month(4), "B21", 1), (month(5), "B21", 2), (month(6), "B21", 3),    # moved branch
           (month(7), "B31", 4), (month(8), "B31", 5), (month(9), "B31", 6)],
    "m3": [], "m7": [], "m10": [],                                               # always paid
}


@pytest.mark.parametrize("member", list(ARREARS))
def test_member_arrears_counts_consecutive_unpaid_months(con, member):
    """A paid month or a month without a bill line ends the run; a branch move does not."""
    got = rows(con, "select a.dues_month, t.org_id, a.unpaid_streak_months from member_arrears a "
                    "join stg_members m on m.member_key = a.member_key "
                    "join org_tree t on t.seq = a.branch_seq "
                    "where m.id_number = ? order by a.dues_month", [M[member]])
    assert got == ARREARS[member]


@pytest.fixture(scope="module")
def year_end_con():
    person = make_id("20050505", 7)
    return run_pipeline({
        "orgs": [{"org_id": "R", "org_type": "团委", "full_name": "某团委"},
                 {"org_id": "B", "parent_org_id": "R", "org_type": "团支部", "full_name": "某团支部"}],
        "members": [{"name": "跨年", "id_number": person, "branch": "B",
                     "registration_status": "审核通过"}],
        "dues": [{"month": mo, "name": "跨年", "id_number": person, "branch": "B",
                  "amount_due": "0.50", "paid_status": "未交"}
                 for mo in ("2023-10", "2023-11", "2023年12月", "202401", "2024.02", "2024/3")],
    })


def test_member_arrears_runs_across_the_turn_of_the_year(year_end_con):
    """December and January are consecutive: October to March is a run of six."""
    got = rows(year_end_con, "select dues_month, unpaid_streak_months from member_arrears "
                             "order by dues_month")
    assert got == [(month(10, 2023), 1), (month(11, 2023), 2), (month(12, 2023), 3),
                   (month(1), 4), (month(2), 5), (month(3), 6)]


def test_org_rollup_dues_counts_a_run_across_the_year_as_six_months(year_end_con):
    """The sixth unpaid month, in the new year, puts the member in arrears_6plus."""
    got = rows(year_end_con, "select org_id, arrears_4_5_members, arrears_6plus_members "
                             "from org_rollup_dues where dues_month = ? order by seq", [month(3)])
    assert got == [("R", 0, 1), ("B", 0, 1)]


# --- org_rollup_dues -------------------------------------------------------------------------
D = Decimal
DUES_COLUMNS = ("bill_lines, billed_members, paid_members, amount_due_yuan, amount_paid_yuan, "
                "voluntary_yuan, arrears_1_members, arrears_2_3_members, arrears_4_5_members, "
                "arrears_6plus_members")
DUES = {
    # September: m1 (7th unpaid), m2 (3rd), m3 (0 due, paid, 2.00 voluntary), m5 (0 due, unpaid)
    # in B11; m6 (4th unpaid) and m7 (paid) in B12; m9 (6th unpaid) now in B31; m10 paid in XB.
    ("B11", 9): (4, 2, 0, D("0.40"), D("0.00"), D("2.00"), 1, 1, 0, 1),
    ("B12", 9): (2, 2, 1, D("6.00"), D("3.00"), D("0.00"), 0, 0, 1, 0),
    ("G1", 9): (6, 4, 1, D("6.40"), D("3.00"), D("2.00"), 1, 1, 1, 1),
    ("U", 9): (6, 4, 1, D("6.40"), D("3.00"), D("2.00"), 1, 1, 1, 1),
    ("B31", 9): (1, 1, 0, D("5.00"), D("0.00"), D("0.00"), 0, 0, 0, 1),
    ("W", 9): (1, 1, 0, D("5.00"), D("0.00"), D("0.00"), 0, 0, 0, 1),
    ("P", 9): (7, 5, 1, D("11.40"), D("3.00"), D("2.00"), 1, 1, 1, 2),
    ("XB", 9): (1, 1, 1, D("0.20"), D("0.20"), D("1.00"), 0, 0, 0, 0),
    ("X", 9): (1, 1, 1, D("0.20"), D("0.20"), D("1.00"), 0, 0, 0, 0),
    # August: m1 reaches six in B11.
    ("B11", 8): (2, 2, 0, D("0.40"), D("0.00"), D("0.00"), 0, 1, 0, 1),
    ("P", 8): (5, 5, 1, D("11.40"), D("3.00"), D("0.00"), 0, 2, 1, 1),
    # June: m2 paid; m9 still billed in B21.
    ("B11", 6): (2, 2, 1, D("0.40"), D("0.20"), D("0.00"), 0, 0, 1, 0),
    ("B21", 6): (1, 1, 0, D("5.00"), D("0.00"), D("0.00"), 0, 1, 0, 0),
    ("G2", 6): (1, 1, 0, D("5.00"), D("0.00"), D("0.00"), 0, 1, 0, 0),
    ("U", 6): (4, 4, 1, D("8.40"), D("0.20"), D("0.00"), 1, 1, 1, 0),
    ("P", 6): (4, 4, 1, D("8.40"), D("0.20"), D("0.00"), 1, 1, 1, 0),
}


@pytest.mark.parametrize("org_id, m", list(DUES), ids=[f"{o}-2024-{m:02d}" for o, m in DUES])
def test_org_rollup_dues_sums_bill_lines_where_they_were_billed(con, org_id, m):
    """Billed = amount due > 0; paid among billed; yuan sums; arrears at the month's branch."""
    got = rows(con, f"select {DUES_COLUMNS} from org_rollup_dues "
                    "where org_id = ? and dues_month = ?", [org_id, month(m)])
    assert got == [DUES[(org_id, m)]]


@pytest.mark.parametrize("org_id, months", [
    ("B21", [4, 5, 6]),          # m9's lines before the move stay here
    ("B31", [7, 8, 9]),          # and those after it count at the new branch
    ("B12", [3, 4, 6, 7, 8, 9]),
    ("X", [9]),
    ("P", [3, 4, 5, 6, 7, 8, 9]),
])
def test_org_rollup_dues_has_rows_only_for_months_with_bill_lines(con, org_id, months):
    """One row per (organization, month) with bill lines in the subtree, none otherwise."""
    got = rows(con, "select dues_month from org_rollup_dues where org_id = ? order by dues_month",
               [org_id])
    assert got == [(month(m),) for m in months]


def test_dues_months_lists_each_month_with_its_bill_lines(con):
    """Every month with dues data, in order, with its loaded bill lines (quarantine excluded)."""
    got = rows(con, "select dues_month, bill_lines from dues_months")
    assert got == [(month(3), 3), (month(4), 4), (month(5), 3), (month(6), 4), (month(7), 4),
                   (month(8), 5), (month(9), 8)]
