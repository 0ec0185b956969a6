"""The data-quality page's SQL: quality_summary, quality_children, quality_members (the member
checks) and quarantine_by_reason, quarantine_by_file, quarantine_rows, load_history and
quarantine_reconcile (the latest load's quarantine and the load history)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

import queries
from etl.history import carry_history, record_load
from etl.load import build, prepare
from etl.metrics import connect
from tests.queries import province
from tests.queries import quality_data as q
from tests.queries.conftest import create_raw

SKIPPED = "/data/加密.xlsx"
EARLIER = q.AS_OF - dt.timedelta(days=7)


def build_with_skipped_file(path, previous) -> None:
    """As province.build_db, with one file the extractor could not read."""
    con = duckdb.connect(str(path))
    try:
        prepare(con)
        create_raw(con, q.DATA)
        con.execute("insert into files values (99, ?, null, null, null, null, null, 0, 0, "
                    "'skipped', '文件已加密', 'file is password-protected')", [SKIPPED])
        build(con, as_of=q.AS_OF)
        carry_history(con, previous)
        record_load(con, as_of=q.AS_OF, source="/data", seconds=1.5)
    finally:
        con.close()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """The second load of a database: the first had no quarantine worth naming."""
    first = tmp_path_factory.mktemp("quality") / "first.duckdb"
    province.build_db(first, {"orgs": q.ORGS}, as_of=EARLIER)
    path = tmp_path_factory.mktemp("quality") / "zhtj.duckdb"
    build_with_skipped_file(path, first)
    return path


@pytest.fixture(scope="module")
def native(db):
    """A native DuckDB connection with the file attached read-only, as the dashboard opens it."""
    con = duckdb.connect(":memory:")
    con.execute("attach ? as zhtj (read_only)", [str(db)])
    con.execute("use zhtj")
    yield con
    con.close()


@pytest.fixture(scope="module")
def conn(db):
    """A read-only SQLAlchemy connection, as `zhtj metrics` opens one."""
    with connect(db) as c:
        yield c


def records(df: pd.DataFrame) -> list[tuple]:
    return [tuple(None if pd.isna(v) else v for v in r) for r in df.itertuples(index=False)]


def seq_range(org_id: str) -> dict:
    seq, seq_last = q.TREE[org_id]
    return {"seq": seq, "seq_last": seq_last}


CHECK_COLUMNS = ["members_checked", "over_28", "under_14_at_joining", "id_birth_mismatch",
                 "member_number_missing", "member_number_year", "active_in_two_branches",
                 "dues_standard_mismatch",
                 "flags_total", "members_flagged"]


# --- quality_summary -------------------------------------------------------------------------
@pytest.mark.parametrize("org_id", ["P", "U", "GA", "B1", "W"])
def test_quality_summary_is_the_subtree_rollup_with_the_load(native, org_id):
    """One row: the subtree's counts, flagged_rate, the as-of time, the load's quarantine."""
    df = queries.run("quality_summary", native, seq=q.TREE[org_id][0])
    assert list(df.columns) == CHECK_COLUMNS + ["flagged_rate", "as_of", "quarantined_rows"]
    (row,) = records(df)
    expected = q.ROLLUP[org_id]
    assert row[:10] == expected
    assert row[10] == pytest.approx(expected[9] / expected[0])
    assert row[11:] == (pd.Timestamp(q.AS_OF), 8)


def test_quality_summary_of_no_organization_is_empty(native):
    """A seq outside the tree gives no row."""
    assert queries.run("quality_summary", native, seq=99).empty


# --- quality_children ------------------------------------------------------------------------
@pytest.mark.parametrize("org_id, children", [
    ("P", ["U", "W"]),      # 5 flags, 3
    ("U", ["GA", "GB"]),    # 3, 2
    ("GA", ["A2", "A1"]),   # 2, 1: worst first, not tree order
    ("W1", []),             # a branch has no children
])
def test_quality_children_lists_every_child_worst_first(native, org_id, children):
    """Each child organization with its subtree's counts, most flags first."""
    df = queries.run("quality_children", native, org_id=org_id, **seq_range(org_id))
    assert list(df.columns) == ["seq", "org_id", "org_name", "is_branch"] + CHECK_COLUMNS + [
        "flagged_rate"]
    assert list(df.org_id) == children
    for child, got in zip(children, records(df)):
        assert got[4:14] == q.ROLLUP[child]


def test_quality_children_names_a_child_by_its_short_name(native):
    """org_name is the 团组织简称 where there is one (A院), else the full name."""
    df = queries.run("quality_children", native, org_id="U", **seq_range("U"))
    assert records(df[["org_id", "org_name", "is_branch", "flagged_rate"]]) == [
        ("GA", "A院", False, pytest.approx(0.3)), ("GB", "B学院团总支", False, pytest.approx(1 / 3))]


def test_quality_children_ties_go_in_tree_order(native):
    """Equal flags_total: by seq."""
    df = queries.run("quality_children", native, org_id="GB", **seq_range("GB"))
    assert list(df.org_id) == ["B1"]


# --- quality_members -------------------------------------------------------------------------
def members(con, org_id="P", **params) -> pd.DataFrame:
    args = {"check_code": None, "sort": None, "descending": None, "name_filter": None,
            "limit": None, "offset": 0, **seq_range(org_id), **params}
    return queries.run("quality_members", con, **args)


def test_quality_members_lists_every_failed_check_in_tree_order(native):
    """By default every (member, check) of the subtree, in tree order, named and placed."""
    df = members(native)
    assert list(df.columns) == ["member_key", "name", "id_number", "mobile", "branch_org_id",
                                "branch_name", "parent_name", "check_code", "detail",
                                "total_rows"]
    assert records(df[["name", "branch_org_id", "check_code", "detail"]]) == q.CHECKS
    assert set(df.total_rows) == {8}
    first = records(df.head(1)[["id_number", "mobile", "branch_name", "parent_name"]])
    assert first == [(q.ID["turns28today"], q.MEMBERS[0]["mobile"], "A学院1班团支部", "A学院团总支")]


@pytest.mark.parametrize("org_id, check_code, names", [
    ("P", "over_28", ["turns28today", "two", "leap28"]),
    ("W", "over_28", ["two", "leap28"]),
    ("U", "member_number_missing", ["n2017"]),
    ("GA", None, ["turns28today", "nyear", "join13"]),
    ("B1", "active_in_two_branches", ["dup"]),
    ("W", "id_birth_mismatch", []),
])
def test_quality_members_filters_by_subtree_and_check(native, org_id, check_code, names):
    """Only the subtree's members, and of one check when :check_code is given."""
    df = members(native, org_id, check_code=check_code)
    assert list(df.name) == names
    assert set(df.total_rows) <= {len(names)}


@pytest.mark.parametrize("sort, descending, expected", [
    ("name", False, ["dup", "join13", "leap28", "n2017", "nyear", "turns28today", "two", "two"]),
    ("name", True, ["two", "two", "turns28today", "nyear", "n2017", "leap28", "join13", "dup"]),
    ("branch", True, ["two", "two", "leap28", "n2017", "dup", "nyear", "join13",
                      "turns28today"]),
    ("check", False, ["turns28today", "two", "leap28", "join13", "n2017", "two", "nyear", "dup"]),
    ("parent", False, ["turns28today", "nyear", "join13", "n2017", "dup", "two", "two",
                       "leap28"]),
    ("nonsense", False, [c[0] for c in q.CHECKS]),
])
def test_quality_members_sorts_by_a_fixed_list(native, sort, descending, expected):
    """Named sorts, reversed by :descending; unknown names fall back to tree order."""
    assert list(members(native, sort=sort, descending=descending).name) == expected


def test_quality_members_ties_keep_the_order_of_the_checks(native):
    """The member failing two checks lists over_28 before member_number_missing."""
    df = members(native, "W1", sort="name")
    assert records(df[["name", "check_code"]]) == [
        ("leap28", "over_28"), ("two", "over_28"), ("two", "member_number_missing")]


@pytest.mark.parametrize("name_filter, names", [
    ("B学院", ["n2017", "dup"]),                          # branch and parent names
    ("工业园区", ["two", "two", "leap28"]),               # the parent's name
    ("two", ["two", "two"]),                              # the member's name
    ("", [c[0] for c in q.CHECKS]),                       # empty: no filter
])
def test_quality_members_filters_by_name(native, name_filter, names):
    """:name_filter is contained in the member's name, the branch's or the parent's."""
    assert list(members(native, name_filter=name_filter).name) == names


def test_quality_members_pages_and_counts_all_rows(native):
    """:limit rows after :offset; total_rows counts every row that passed the filters."""
    df = members(native, limit=3, offset=2)
    assert list(df.name) == [c[0] for c in q.CHECKS[2:5]]
    assert set(df.total_rows) == {8}


def test_quality_members_binds_through_sqlalchemy_too(conn):
    """`zhtj metrics`-style SQLAlchemy connections give the same page."""
    df = members(conn, check_code="over_28", limit=2)
    assert records(df[["name", "detail", "total_rows"]]) == [
        ("turns28today", "1996-10-08 (28)", 3), ("two", "1995-01-01 (29)", 3)]


# --- quarantine_by_reason --------------------------------------------------------------------
REASONS = [
    ("members", "同一人有多条团员记录（保留审核时间最新的）",
     "same person in several member rows (the latest reviewed is kept)", 4, "身份证号码", True),
    ("members", "未知的政治面貌", "unknown value in 政治面貌", 2, "政治面貌", False),
    ("cadres", "组织不存在", "organization not found", 1, "所在组织", False),
    ("members", "身份证号码校验码错误", "ID number check character is wrong", 1, "身份证号码", False),
]


def test_quarantine_by_reason_groups_rows_of_one_cause(native):
    """Duplicates naming different kept rows, and different unknown labels, count together."""
    df = queries.run("quarantine_by_reason", native)
    assert list(df.columns) == ["kind", "reason_zh", "reason_en", "quarantined_rows",
                                "column_names", "is_duplicate"]
    assert records(df) == REASONS


# --- quarantine_by_file ----------------------------------------------------------------------
def test_quarantine_by_file_shows_skipped_files_first_then_the_worst(native):
    """Per file: rows read, loaded, quarantined, merged; a skipped file with its reason."""
    df = queries.run("quarantine_by_file", native)
    assert list(df.columns) == ["file_id", "path", "sheet", "kind", "status", "rows_read",
                                "rows_loaded", "rows_quarantined", "rows_merged", "reason_zh",
                                "reason_en"]
    assert records(df.drop(columns=["sheet"])) == [
        (99, SKIPPED, None, "skipped", 0, 0, 0, 0, "文件已加密", "file is password-protected"),
        (12, "/data/members_12.xlsx", "members", "read", 8, 0, 7, 1, None, None),
        (3, "/data/cadres_3.xlsx", "cadres", "read", 2, 1, 1, 0, None, None),
        (2, "/data/members_2.xlsx", "members", "read", 23, 23, 0, 0, None, None),
        (1, "/data/orgs_1.xlsx", "orgs", "read", 9, 9, 0, 0, None, None),
    ]


# --- quarantine_rows -------------------------------------------------------------------------
def quarantined(con, **params) -> pd.DataFrame:
    args = {"reason": None, "kind": None, "file_path": None, "name_filter": None, "sort": None,
            "descending": None, "limit": None, "offset": 0, **params}
    return queries.run("quarantine_rows", con, **args)


def test_quarantine_rows_lists_every_row_with_its_reason(native):
    """Every quarantined row of the load, by file and row, with column, value and reason."""
    df = quarantined(native)
    assert list(df.columns) == ["path", "row_no", "kind", "column_name", "value", "reason_zh",
                                "reason_en", "reason_group_zh", "is_duplicate", "file_id",
                                "total_rows"]
    got = records(df[["path", "row_no", "column_name", "value", "reason_zh"]])
    assert got == [
        ("/data/cadres_3.xlsx", 3, "所在组织", "NOPE", "组织不存在"),
        ("/data/members_12.xlsx", 2, "身份证号码", q.ID["dup"],
         "同一人有多条团员记录（保留审核时间最新的），保留members_2.xlsx第30行"),
        ("/data/members_12.xlsx", 3, "身份证号码", q.ID["dupsame"],
         "同一人有多条团员记录（保留审核时间最新的），保留members_2.xlsx第31行"),
        ("/data/members_12.xlsx", 4, "身份证号码", q.ID["duplapsed"],
         "同一人有多条团员记录（保留审核时间最新的），保留members_2.xlsx第32行"),
        ("/data/members_12.xlsx", 5, "身份证号码", q.ID["dupkeptlapsed"],
         "同一人有多条团员记录（保留审核时间最新的），保留members_2.xlsx第33行"),
        ("/data/members_12.xlsx", 7, "身份证号码", q.MEMBERS[-3]["id_number"], "身份证号码校验码错误"),
        ("/data/members_12.xlsx", 8, "政治面貌", "群众", "未知的政治面貌：群众"),
        ("/data/members_12.xlsx", 9, "政治面貌", "学生", "未知的政治面貌：学生"),
    ]
    assert set(df.total_rows) == {8}


@pytest.mark.parametrize("params, rows_", [
    ({"reason": "未知的政治面貌"}, [8, 9]),
    ({"reason": "同一人有多条团员记录（保留审核时间最新的）"}, [2, 3, 4, 5]),
    ({"reason": "组织不存在", "kind": "members"}, []),
    ({"kind": "cadres"}, [3]),
    ({"file_path": "/data/cadres_3.xlsx"}, [3]),
    ({"file_path": "/data/members_12.xlsx", "name_filter": "群众"}, [8]),
    ({"name_filter": "members_2.xlsx第31行"}, [3]),   # text of the reason
    ({"name_filter": "政治面貌"}, [8, 9]),              # the column
    ({"reason": ""}, [3, 2, 3, 4, 5, 7, 8, 9]),        # empty: no filter
])
def test_quarantine_rows_filters(native, params, rows_):
    """:reason (a grouped reason of quarantine_by_reason), :kind, :file_path, :name_filter."""
    df = quarantined(native, **params)
    assert list(df.row_no) == rows_
    assert set(df.total_rows) <= {len(rows_)}


def test_every_grouped_reason_finds_its_rows(native):
    """Each quarantine_by_reason row, passed back as :reason and :kind, lists its count."""
    for kind, zh, _en, n, _cols, _dup in REASONS:
        df = quarantined(native, reason=zh, kind=kind)
        assert len(df) == n and set(df.reason_group_zh) == {zh}


@pytest.mark.parametrize("sort, descending, rows_", [
    ("column", False, [3, 8, 9, 2, 3, 4, 5, 7]),     # 所在组织 < 政治面貌 < 身份证号码 (code points)
    ("kind", True, [2, 3, 4, 5, 7, 8, 9, 3]),
    ("file", True, [9, 8, 7, 5, 4, 3, 2, 3]),
    ("reason", False, [2, 3, 4, 5, 8, 9, 3, 7]),     # 同一人… < 未知的… < 组织… < 身份证…
])
def test_quarantine_rows_sorts_by_a_fixed_list(native, sort, descending, rows_):
    """Named sorts, reversed by :descending; ties by path and row."""
    got = quarantined(native, sort=sort, descending=descending)
    assert list(got.row_no) == rows_


def test_quarantine_rows_pages(conn):
    """:limit rows after :offset, through SQLAlchemy too; total_rows before paging."""
    df = quarantined(conn, limit=2, offset=6)
    assert records(df[["row_no", "value", "total_rows"]]) == [(8, "群众", 8), (9, "学生", 8)]


# --- load_history and quarantine_reconcile ---------------------------------------------------
def test_load_history_lists_loads_newest_first(native):
    """Both loads, the latest first, with their files and rows."""
    df = queries.run("load_history", native)
    assert list(df.columns) == ["load_id", "as_of", "loaded_at", "source", "files",
                                "files_skipped", "rows_read", "rows_loaded", "rows_quarantined",
                                "rows_merged", "seconds"]
    got = records(df.drop(columns=["loaded_at"]))
    assert got == [
        (2, pd.Timestamp(q.AS_OF), "/data", 5, 1, 42, 33, 8, 1, 1.5),
        (1, pd.Timestamp(EARLIER), "test", 1, 0, 9, 9, 0, 0, 0.0),
    ]


def test_the_quarantine_reconciles_with_the_load_log(native):
    """Rows in quarantine = sum of load_log.rows_quarantined = current_load.rows_quarantined,
    which is also the sum over quarantine_by_reason and over quarantine_by_file."""
    assert records(queries.run("quarantine_reconcile", native)) == [(8, 8, 8, 0, True)]
    by_reason = queries.run("quarantine_by_reason", native).quarantined_rows.sum()
    by_file = queries.run("quarantine_by_file", native).rows_quarantined.sum()
    assert by_reason == by_file == 8


def test_a_quarantine_that_disagrees_is_reported(tmp_path):
    """A row missing from quarantine, or a file whose rows do not add up, shows as not
    reconciled."""
    path = tmp_path / "zhtj.duckdb"
    province.build_db(path, q.DATA, as_of=q.AS_OF)
    con = duckdb.connect(str(path))
    try:
        con.execute("delete from quarantine where row_no = 9")
        assert records(queries.run("quarantine_reconcile", con)) == [(7, 8, 8, 0, False)]
        con.execute("update load_log set rows_merged = 0 where file_id = 12")
        assert records(queries.run("quarantine_reconcile", con)) == [(7, 8, 8, 1, False)]
    finally:
        con.close()
