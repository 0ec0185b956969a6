"""row_dispositions, quarantine and load_log: every row read is loaded, quarantined or merged."""

from __future__ import annotations

import duckdb
import pytest

from etl.load import LoadError, build, build_table, prepare
from tests.queries.conftest import create_raw, make_id, rows, run_pipeline, staged_once

ORGS = [
    {"org_id": "P", "org_type": "领导机关团组织", "full_name": "共青团某省委员会"},
    {"org_id": "B1", "parent_org_id": "P", "org_type": "团支部", "full_name": "一班团支部"},
    {"org_id": "X", "parent_org_id": "gone", "org_type": "团支部", "full_name": "孤立团支部"},
]
M1, M2, M3 = make_id("20050101", 1), make_id("20050101", 2), make_id("20050101", 3)
BAD_M2 = M2[:17] + ("0" if M2[17] != "0" else "1")


def member(number, file_id, row_no, **more):
    return {"name": "张三", "id_number": number, "branch": "一班团支部",
            "registration_status": "审核通过", "file_id": file_id, "row_no": row_no, **more}


# A load of every kind: per file, rows loaded, quarantined (invalid and duplicate) and merged.
DATA = {
    "orgs": ORGS,
    "members": [
        member(M1, 2, 2),
        member(BAD_M2, 2, 3),
        member(M3, 2, 4, reviewed_at="2024-09-05"),
        member(M1, 12, 2),
        member(M3, 12, 3, reviewed_at="2024-09-01", mobile="13800000000"),
    ],
    "cadres": [
        {"name": "李四", "id_number": M1, "org": "P", "position": "书记", "wecom_status": "是"},
        {"name": "李四", "id_number": M1, "org": "P", "position": "副书记", "wecom_status": "未知"},
    ],
    "transfers": [
        {"name": "张三", "id_number": M1, "created_at": "2024-09-01", "from_org": "B1",
         "to_org": "外省团支部", "status": "1", "destination_kind": "转出省外"},
    ],
    "dues": [
        {"month": "2024-09", "name": "张三", "branch": "B1", "amount_due": "0.2",
         "paid_status": "已交", "id_number": M1},
        {"month": "2024-09", "name": "张三", "branch": "B1", "amount_due": "-0.2",
         "paid_status": "已交", "id_number": M3},
    ],
    "campaigns": [{"campaign": "报到", "deadline": "2024-10-31", "org_id": "P"}],
    "roster": [
        {"campaign": "报到", "name": "张三", "id_number": M1, "branch": "B1"},
        {"campaign": "没有的任务", "name": "张三", "id_number": M3, "branch": "B1"},
    ],
}

QUARANTINE = [
    ("orgs", 1, "/data/orgs_1.xlsx", 4, False, "上级组织ID", "gone",
     "上级组织不存在", "parent organization not found"),
    ("members", 2, "/data/members_2.xlsx", 3, False, "身份证号码", BAD_M2,
     "身份证号码校验码错误", "ID number check character is wrong"),
    ("cadres", 3, "/data/cadres_3.xlsx", 3, False, "是否入驻企业号", "未知",
     "未知的是否入驻企业号：未知", "unknown value in 是否入驻企业号"),
    ("dues", 5, "/data/dues_5.xlsx", 3, False, "当月应交金额（元）", "-0.2",
     "当月应交金额为负数", "negative amount due"),
    ("roster", 7, "/data/roster_7.xlsx", 3, False, "任务名称", "没有的任务",
     "报到任务不存在", "campaign not found"),
    ("members", 12, "/data/members_12.xlsx", 3, True, "身份证号码", M3,
     "同一人有多条团员记录（保留审核时间最新的），保留members_2.xlsx第4行",
     "same person in several member rows (the latest reviewed is kept); kept members_2.xlsx row 4"),
]

# (file_id, path, kind, status, rows_read, rows_loaded, rows_quarantined, rows_merged)
LOAD_LOG = [
    (1, "/data/orgs_1.xlsx", "orgs", "read", 3, 2, 1, 0),
    (2, "/data/members_2.xlsx", "members", "read", 3, 2, 1, 0),
    (3, "/data/cadres_3.xlsx", "cadres", "read", 2, 1, 1, 0),
    (4, "/data/transfers_4.xlsx", "transfers", "read", 1, 1, 0, 0),
    (5, "/data/dues_5.xlsx", "dues", "read", 2, 1, 1, 0),
    (6, "/data/campaigns_6.xlsx", "campaigns", "read", 1, 1, 0, 0),
    (7, "/data/roster_7.xlsx", "roster", "read", 2, 1, 1, 0),
    (12, "/data/members_12.xlsx", "members", "read", 2, 0, 1, 1),
]


@pytest.fixture(scope="module")
def loaded():
    """DATA through the real pipeline (etl.load.build): the tables a load keeps."""
    con = run_pipeline(DATA)
    yield con
    con.close()


def test_quarantine_has_one_row_per_quarantined_row_with_file_column_value_and_reason(loaded):
    """Each invalid or duplicate row appears once with file, row, column, value and reasons."""
    got = rows(loaded, "select kind, file_id, path, row_no, is_duplicate, column_name, value, "
                       "reason_zh, reason_en from quarantine order by file_id, row_no")
    assert got == QUARANTINE


def test_load_log_counts_what_became_of_each_files_rows(loaded):
    """Per file: rows read, loaded, quarantined and merged; the last three add up to the first."""
    assert rows(loaded, "select file_id, path, kind, status, rows_read, rows_loaded, "
                        "rows_quarantined, rows_merged from load_log order by file_id") == LOAD_LOG
    assert rows(loaded, "select count(*) from load_log where rows_read <> "
                        "rows_loaded + rows_quarantined + rows_merged") == [(0,)]


def test_build_returns_the_load_totals():
    """build() reports (read, loaded, quarantined, merged) over all files, and they reconcile."""
    con = duckdb.connect()
    prepare(con)
    create_raw(con, DATA)
    assert build(con) == (16, 9, 6, 1)


def test_a_load_whose_counts_do_not_reconcile_fails():
    """If a file's rows_read differs from what its rows became, the load stops with LoadError."""
    con = duckdb.connect()
    prepare(con)
    create_raw(con, DATA)
    con.execute("update files set rows_read = rows_read + 1 where file_id = 3")
    with pytest.raises(LoadError, match="row counts do not reconcile"):
        build(con)


def test_row_dispositions_has_one_row_per_raw_row_of_every_kind(stage):
    """Every raw row of every kind has exactly one disposition; the counts match load_log."""
    con = stage(DATA, "all")
    assert rows(con, "select kind, file_id, disposition, count(*) from row_dispositions "
                     "group by all order by file_id, disposition") == [
        ("orgs", 1, "invalid", 1), ("orgs", 1, "loaded", 2),
        ("members", 2, "invalid", 1), ("members", 2, "loaded", 2),
        ("cadres", 3, "invalid", 1), ("cadres", 3, "loaded", 1),
        ("transfers", 4, "loaded", 1),
        ("dues", 5, "invalid", 1), ("dues", 5, "loaded", 1),
        ("campaigns", 6, "loaded", 1),
        ("roster", 7, "invalid", 1), ("roster", 7, "loaded", 1),
        ("members", 12, "duplicate", 1), ("members", 12, "merged", 1),
    ]
    assert rows(con, "select count(*), count(distinct (kind, file_id, row_no)) "
                     "from row_dispositions") == [(16, 16)]


KINDS = ("orgs", "members", "cadres", "transfers", "dues", "campaigns", "roster")


@pytest.fixture(scope="module")
def merged_pairs():
    """Of every kind, a row and an identical copy of it in a file of its own (40 + kind's
    place in KINDS), staged at once."""
    firsts = {"orgs": ORGS[0], "members": member(M1, 2, 2),
              **{kind: DATA[kind][0] for kind in KINDS[2:]}}
    data = {kind: [row, dict(row, file_id=40 + KINDS.index(kind))] for kind, row in firsts.items()}
    data["orgs"].append(ORGS[1])
    return staged_once(data, "all")


@pytest.mark.parametrize("kind", KINDS)
def test_a_merged_row_carries_no_problem(merged_pairs, kind):
    """row_dispositions: only duplicate and invalid rows have a problem; a merged one has none."""
    assert rows(merged_pairs, "select disposition, problem from row_dispositions "
                              "where kind = ? and file_id = ?",
                [kind, 40 + KINDS.index(kind)]) == [("merged", None)]


def test_a_skipped_file_is_in_the_load_log_with_its_reason_and_no_rows(stage):
    """A file that could not be read is listed with status skipped, its reason, and zero rows."""
    con = stage({"orgs": ORGS}, "all")
    con.execute("insert into files values (20, '/data/坏文件.xlsx', null, null, null, null, null, "
                "0, 100, 'skipped', '文件已加密', 'file is password-protected')")
    build_table(con, "load_log")
    assert rows(con, "select file_id, path, status, rows_read, rows_loaded, rows_quarantined, "
                     "rows_merged, reason_zh, reason_en from load_log order by file_id") == [
        (1, "/data/orgs_1.xlsx", "read", 3, 2, 1, 0, None, None),
        (20, "/data/坏文件.xlsx", "skipped", 0, 0, 0, 0, "文件已加密", "file is password-protected"),
    ]


def test_a_quarantined_value_is_cut_to_200_characters(stage):
    """The quarantine shows at most 200 characters of the offending value."""
    con = stage({"orgs": [dict(ORGS[0], org_type="团" * 300)]}, "all")
    assert rows(con, "select column_name, value from quarantine") == [("组织类型", "团" * 200)]


LONG = "长" * 501
TOO_LONG = ("值过长（超过500字）", "value too long (over 500 characters)")


TOO_LONG_CASES = [
    pytest.param("orgs", dict(ORGS[1], org_id="L1", full_name=LONG), id="orgs-full-name"),
    pytest.param("orgs", dict(ORGS[1], org_id="L2", org_type=LONG), id="orgs-type"),
    pytest.param("members", member(M2, 0, 2, name=LONG), id="members-name"),
    pytest.param("members", member(M2, 0, 2, occupation=LONG), id="members-occupation"),
    pytest.param("members", member(M2, 0, 2, reviewed_at=LONG), id="members-review-time"),
    pytest.param("cadres", dict(DATA["cadres"][0], position=LONG), id="cadres-position"),
    pytest.param("transfers", dict(DATA["transfers"][0], cause=LONG), id="transfers-cause"),
    pytest.param("dues", dict(DATA["dues"][0], paid_status=LONG), id="dues-paid-status"),
    pytest.param("campaigns", dict(DATA["campaigns"][0], deadline=LONG), id="campaigns-deadline"),
]


@pytest.fixture(scope="module")
def long_values():
    """Every case of TOO_LONG_CASES in a file of its own (30, 31, ...), staged at once."""
    data = {"orgs": list(ORGS), "members": [member(M1, 2, 2)], "campaigns": DATA["campaigns"][:1]}
    for i, case in enumerate(TOO_LONG_CASES):
        kind, row = case.values
        data.setdefault(kind, []).append(dict(row, file_id=30 + i, row_no=2))
    return staged_once(data, "all")


@pytest.mark.parametrize("file_id, kind", [
    pytest.param(30 + i, case.values[0], id=case.id)
    for i, case in enumerate(TOO_LONG_CASES)])
def test_any_value_over_500_characters_quarantines_its_row_as_too_long(long_values, file_id, kind):
    """RULES.md: a value longer than 500 characters quarantines its row as 值过长 / too long."""
    assert rows(long_values, "select kind, reason_zh, reason_en from quarantine where file_id = ?",
                [file_id]) == [(kind, *TOO_LONG)]
