"""The data-quality marts: member_duplicates (staging), member_checks and org_rollup_quality, and
the macros age_on, reason_group_zh and reason_group_en."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from etl.load import build, build_table, prepare
from tests.queries import quality_data as q
from tests.queries.conftest import create_raw, rows

D = dt.date


def built(data: dict, as_of: dt.datetime) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    prepare(con)
    create_raw(con, data)
    build(con, as_of=as_of)
    return con


@pytest.fixture(scope="module")
def con():
    c = built(q.DATA, q.AS_OF)
    yield c
    c.close()


def test_the_tree_is_numbered_as_drawn(con):
    """The fixture's tree has the seq ranges its docstring draws."""
    got = rows(con, "select org_id, seq, seq_last from org_tree order by seq")
    assert got == [(o, *q.TREE[o]) for o in sorted(q.TREE, key=lambda o: q.TREE[o][0])]


# --- macros ----------------------------------------------------------------------------------
@pytest.mark.parametrize("birth, day, age", [
    (D(1996, 10, 8), D(2024, 10, 8), 28),    # the birthday itself counts
    (D(1996, 10, 9), D(2024, 10, 8), 27),    # a day before it
    (D(2010, 3, 1), D(2024, 3, 1), 14),
    (D(2010, 3, 2), D(2024, 3, 1), 13),
    (D(2000, 2, 29), D(2023, 2, 28), 22),    # 29 February: not yet on 28 February
    (D(2000, 2, 29), D(2023, 3, 1), 23),     # ... but on 1 March of a common year
    (D(2000, 2, 29), D(2024, 2, 29), 24),
    (D(2000, 12, 31), D(2001, 1, 1), 0),
    (None, D(2024, 1, 1), None),
])
def test_age_on_counts_whole_years_from_month_and_day(con, birth, day, age):
    """周岁: years since birth, one less until the birthday's month and day are reached."""
    assert rows(con, "select age_on(?::date, ?::date)", [birth, day]) == [(age,)]


@pytest.mark.parametrize("zh, en, group_zh, group_en", [
    ("同一人有多条团员记录（保留审核时间最新的），保留members_2.xlsx第30行",
     "same person in several member rows (the latest reviewed is kept); kept members_2.xlsx row 30",
     "同一人有多条团员记录（保留审核时间最新的）",
     "same person in several member rows (the latest reviewed is kept)"),
    ("重复的组织ID，保留orgs.csv第3行", "duplicate organization id; kept orgs.csv row 3",
     "重复的组织ID", "duplicate organization id"),
    ("未知的政治面貌：群众", "unknown value in 政治面貌", "未知的政治面貌", "unknown value in 政治面貌"),
    ("组织名称不唯一（3个组织同名）", "organization name is ambiguous (3 organizations share it)",
     "组织名称不唯一", "organization name is ambiguous"),
    ("匹配到2名团员，无法确定", "matches 2 members", "匹配到多名团员，无法确定",
     "matches several members"),
    ("身份证号码校验码错误", "ID number check character is wrong",
     "身份证号码校验码错误", "ID number check character is wrong"),
])
def test_reason_groups_drop_what_varies_from_row_to_row(con, zh, en, group_zh, group_en):
    """The kept row, the unknown value and the number of matches are left out of the group."""
    assert rows(con, "select reason_group_zh(?), reason_group_en(?)", [zh, en]) == [
        (group_zh, group_en)]


# --- member_duplicates -----------------------------------------------------------------------
def test_member_duplicates_keeps_the_branch_and_status_of_each_quarantined_duplicate(con):
    """Every member row quarantined as a duplicate, with the branch and 团籍状态 it names; the
    merged identical row of "plain" is not one."""
    got = rows(con, "select file_id, row_no, id_number, name, branch_org_id, branch_seq, "
                    "membership_status, is_active from member_duplicates")
    assert got == [
        (12, 2, q.ID["dup"], "dup", "A2", 5, 0, True),
        (12, 3, q.ID["dupsame"], "dupsame", "A1", 4, 0, True),
        (12, 4, q.ID["duplapsed"], "duplapsed", "A1", 4, 4, False),
        (12, 5, q.ID["dupkeptlapsed"], "dupkeptlapsed", "B1", 7, 0, True),
    ]


# --- member_checks ---------------------------------------------------------------------------
def test_member_checks_lists_each_failed_check_in_tree_order(con):
    """Exactly the intended (member, check) rows, by branch, member_key and check order."""
    got = rows(con, "select name, branch_org_id, check_code, detail from member_checks")
    assert got == q.CHECKS


def test_member_checks_columns(con):
    """The columns the reports read, with the member's contact and place in the tree."""
    cols = [d[0] for d in con.execute("select * from member_checks").description]
    assert cols == ["member_key", "id_number", "name", "mobile", "branch_org_id", "branch_seq",
                    "branch_name", "parent_name", "check_code", "check_no", "detail"]
    got = rows(con, "select c.member_key = m.member_key, c.id_number, c.mobile, c.branch_seq, "
                    "c.branch_name, c.parent_name, c.check_no "
                    "from member_checks c join stg_members m using (id_number) "
                    "where c.name = 'turns28today'")
    assert got == [(True, q.ID["turns28today"], q.MEMBERS[0]["mobile"], 4, "A学院1班团支部",
                    "A学院团总支", 1)]
    assert rows(con, "select distinct check_code, check_no from member_checks order by 2") == [
        ("over_28", 1), ("under_14_at_joining", 2), ("member_number_missing", 4),
        ("member_number_year", 5), ("active_in_two_branches", 6)]


@pytest.mark.parametrize("key", [
    "turns28tomorrow",  # 27 until tomorrow
    "cadre30",          # a cadre may stay past 28
    "lapsed30",         # not active
    "join14",           # 14 exactly on the last day of the joining month
    "joinmonth",        # turns 14 within the joining month: may have joined after it
    "n2016",            # joined 2016-12: no number required
    "nswap17",          # 2017 joiner with a 2018 number
    "nswap18",          # 2018 joiner with a 2017 number
    "nok",
    "nnojoin",          # no joining month: no number check
    "n2016wrong",       # joined before 2017: the number is not checked
    "dupsame",          # duplicate row in the same branch
    "duplapsed",        # the other branch's row is not active
    "dupkeptlapsed",    # the kept row is not active
    "plain",
    "overseas",         # 境外身份证: no birth date, numbers fine
])
def test_members_on_the_safe_side_of_a_boundary_are_not_flagged(con, key):
    """Each of these members sits just inside a rule and fails no check."""
    assert rows(con, "select check_code from member_checks where name = ?", [key]) == []


def test_turning_28_depends_on_the_as_of_time():
    """A day earlier, the member born 1996-10-08 is still 27 (the as-of time is load_clock's)."""
    c = built(q.DATA, q.AS_OF - dt.timedelta(days=1))
    got = rows(c, "select name from member_checks where check_code = 'over_28' order by name")
    assert got == [("leap28",), ("two",)]


def test_an_unloaded_cadre_record_does_not_excuse_a_member():
    """Only a loaded cadre record (stg_cadres) with the same ID number lets a member stay."""
    cadres = [dict(q.CADRES[0], org_id="NOPE")]  # quarantined: no such organization
    c = built(dict(q.DATA, cadres=cadres), q.AS_OF)
    assert rows(c, "select detail from member_checks where name = 'cadre30'") == [
        ("1994-01-01 (30)",)]


@pytest.fixture
def rebuilt():
    """A fresh build where the test may change stg_members before member_checks is rebuilt."""
    c = built(q.DATA, q.AS_OF)

    def rebuild(update_sql: str, params: list):
        c.execute(update_sql, params)
        build_table(c, "member_checks")
        return c
    yield rebuild
    c.close()


def test_a_birth_date_other_than_the_id_numbers_is_flagged(rebuilt):
    """birth_date differing from digits 7-14 of a 居民身份证 number: id_birth_mismatch, and ages
    follow birth_date (a day later, 2024-10-09: not yet 28)."""
    c = rebuilt("update stg_members set birth_date = ? where name = 'turns28today'",
                [D(1996, 10, 9)])
    assert rows(c, "select check_code, detail from member_checks where name = 'turns28today'") \
        == [("id_birth_mismatch", "1996-10-09 ≠ 1996-10-08")]


def test_an_overseas_id_number_is_never_compared_with_a_birth_date(rebuilt):
    """境外身份证 numbers carry no birth date; a birth_date given there is simply used for ages."""
    c = rebuilt("update stg_members set birth_date = ? where name = 'overseas'", [D(1990, 1, 1)])
    assert rows(c, "select check_code, detail from member_checks where name = 'overseas'") == [
        ("over_28", "1990-01-01 (34)")]


def test_a_missing_birth_date_falls_back_to_the_id_number(rebuilt):
    """Without birth_date, a 居民身份证 number's birth date (digits 7-14) gives the age."""
    c = rebuilt("update stg_members set birth_date = null where name = 'turns28today'", [])
    assert rows(c, "select check_code, detail from member_checks where name = 'turns28today'") \
        == [("over_28", "1996-10-08 (28)")]


def test_a_second_active_branch_is_named_once_per_branch(rebuilt):
    """Two duplicate rows naming two other branches give one row naming both, by name."""
    c = rebuilt("insert into member_duplicates select 13, 2, id_number, name, 'A1', 4, 0, true "
                "from member_duplicates where name = 'dup'", [])
    assert rows(c, "select branch_org_id, detail from member_checks "
                   "where check_code = 'active_in_two_branches'") == [
        ("B1", "A学院1班团支部；A学院2班团支部")]


# --- org_rollup_quality ----------------------------------------------------------------------
@pytest.mark.parametrize("org_id", list(q.ROLLUP))
def test_org_rollup_quality_counts_the_whole_subtree(con, org_id):
    """Active members and each check's count over the subtree; flags_total sums the checks,
    members_flagged counts members (the member failing two checks once)."""
    got = rows(con, "select members_checked, over_28, under_14_at_joining, id_birth_mismatch, "
                    "member_number_missing, member_number_year, active_in_two_branches, "
                    "dues_standard_mismatch, "
                    "flags_total, members_flagged from org_rollup_quality where org_id = ?",
               [org_id])
    assert got == [q.ROLLUP[org_id]]


def test_org_rollup_quality_agrees_with_the_lists_and_the_member_rollup(con):
    """Every organization's counts equal member_checks rows in its seq range, and
    members_checked equals org_rollup.members_active; one row per organization, in seq order."""
    got = rows(con, """
        select q.seq, q.flags_total, q.members_checked,
               (select count(*) from member_checks c
                where c.branch_seq between t.seq and t.seq_last),
               r.members_active
        from org_rollup_quality q
        join org_tree t using (org_id)
        join org_rollup r using (org_id)""")
    assert [g[0] for g in got] == list(range(1, 10))
    assert all(g[1] == g[3] and g[2] == g[4] for g in got), got
