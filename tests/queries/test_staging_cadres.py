"""checked_cadres and stg_cadres: positions read by organization type, coded flags, duplicates."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.queries.conftest import StagedBase, make_id, outcomes, rows, staged_once

ORGS = [
    {"org_id": "P", "org_type": "领导机关团组织", "full_name": "共青团某省委员会"},
    {"org_id": "U", "parent_org_id": "P", "org_type": "团委", "full_name": "某大学团委"},
    {"org_id": "G", "parent_org_id": "P", "org_type": "团工委", "full_name": "某园区团工委"},
    {"org_id": "Z", "parent_org_id": "U", "org_type": "团总支", "full_name": "计算机学院团总支"},
    {"org_id": "B1", "parent_org_id": "Z", "org_type": "团支部", "full_name": "一班团支部"},
    {"org_id": "S1", "parent_org_id": "U", "org_type": "团支部", "full_name": "同名团支部"},
    {"org_id": "S2", "parent_org_id": "Z", "org_type": "团支部", "full_name": "同名团支部"},
]
ID = make_id("19950101", 1)
CADRE = {"name": "李四", "id_number": ID, "org": "某大学团委", "position": "书记",
         "wecom_status": "是"}



@pytest.fixture(scope="module")
def base():
    base = StagedBase({"orgs": ORGS})
    yield base
    base.close()


@pytest.fixture
def staged(base):
    """staged(cadre rows): the connection with those cadres staged on ORGS."""
    with base.staging() as run:
        yield lambda cadres: run({"cadres": cadres}, "cadres")


# (所在组织, 团内现任职务 as written, position code or None when it must be quarantined)
POSITIONS = [
    ("共青团某省委员会", "书记", "secretary"),
    ("某大学团委", "副书记", "deputy"),
    ("某大学团委", "常委", "standing"),
    ("一班团支部", "常委", "standing"),
    ("共青团某省委员会", "组织委员", "organization"),
    ("共青团某省委员会", "工作人员", "staff"),
    ("共青团某省委员会", "候补委员", "alternate"),
    ("计算机学院团总支", "委员", "member"),
    ("一班团支部", "其他", "other"),
    ("某园区团工委", "志愿委员", "volunteer"),
    ("共青团某省委员会", "1", "secretary"),
    ("共青团某省委员会", "3", "standing"),
    ("共青团某省委员会", "4", "member"),
    ("共青团某省委员会", "5", "staff"),
    ("共青团某省委员会", "6", "alternate"),
    ("P", "3", "standing"),
    ("某大学团委", "3", "organization"),
    ("U", "4", "publicity"),
    ("某园区团工委", "5", "culture"),
    ("计算机学院团总支", "6", "production"),
    ("一班团支部", "1", "secretary"),
    ("一班团支部", "7", "rights"),
    ("一班团支部", "9", "other"),
    ("共青团某省委员会", "7", None),
    ("共青团某省委员会", "9", None),
    ("某大学团委", "0", None),
    ("某大学团委", "10", None),
    ("某大学团委", "组长", None),
]


@pytest.fixture(scope="module")
def positions():
    cadres = [dict(CADRE, id_number=make_id("19950101", i + 1), row_no=i + 2, org=org,
                   position=position) for i, (org, position, _) in enumerate(POSITIONS)]
    return staged_once({"orgs": ORGS, "cadres": cadres}, "cadres")


@pytest.mark.parametrize("row_no, org, position, code",
                         [(i + 2, *case) for i, case in enumerate(POSITIONS)],
                         ids=[f"{o}-{p}" for o, p, _ in POSITIONS])
def test_position_labels_come_from_either_list_and_numbers_from_the_org_types_list(
        positions, row_no, org, position, code):
    """A position label may come from either list; a number is read in its org type's list."""
    got = rows(positions, "select position, disposition, problem.column_name, problem.value, "
                          "problem.reason_zh, problem.reason_en from checked_cadres "
                          "where row_no = ?", [row_no])
    if code is None:
        assert got == [(None, "invalid", "团内现任职务", position, f"未知的团内现任职务：{position}",
                        "unknown value in 团内现任职务")]
    else:
        assert got == [(code, "loaded", None, None, None, None)]


# (column, value as written, column of stg_cadres, expected value)
VALUES = [
    ("wecom_status", "是", "wecom_status", 1),
    ("wecom_status", "否", "wecom_status", 4),
    ("wecom_status", "已禁用", "wecom_status", 2),
    ("wecom_status", "已入驻", "wecom_status", 1),
    ("wecom_status", "未入驻", "wecom_status", 4),
    ("wecom_status", "1", "is_onboarded", True),
    ("wecom_status", "2", "is_onboarded", False),
    ("wecom_status", "4", "is_onboarded", False),
    ("is_operator", "是", "is_operator", True),
    ("is_operator", "否", "is_operator", False),
    ("is_operator", None, "is_operator", False),
    ("cadre_kind", "专职", "cadre_kind", 1),
    ("cadre_kind", "3", "cadre_kind", 3),
    ("in_post_since", "2023年6月", "in_post_since", dt.date(2023, 6, 1)),
    ("in_post_since", "2023.06", "in_post_since", dt.date(2023, 6, 1)),
    ("org", "U", "org_id", "U"),
    ("org", "某大学团委", "org_type", 2),
    ("org", "一班团支部", "org_id", "B1"),
    ("mobile", "13900000000", "mobile", "13900000000"),
]


@pytest.fixture(scope="module")
def typed_cadres():
    cadres = [{**CADRE, "id_number": make_id("19950101", i + 1), "row_no": i + 2, col: raw}
              for i, (col, raw, _, _) in enumerate(VALUES)]
    return staged_once({"orgs": ORGS, "cadres": cadres}, "cadres")


@pytest.mark.parametrize("number, column, raw, stg_column, expected",
                         [(make_id("19950101", i + 1), *case) for i, case in enumerate(VALUES)],
                         ids=[f"{c}={r!r}" for c, r, _, _ in VALUES])
def test_cadre_values_are_typed(typed_cadres, number, column, raw, stg_column, expected):
    """是否入驻企业号, 是否本组织运营者, 团干部性质, 任现职年月 and 所在组织 (any type) are typed."""
    assert rows(typed_cadres, f"select {stg_column} from stg_cadres where id_number = ?",
                [number]) == [(expected,)]


BAD = [
    pytest.param({"wecom_status": "未知"},
                 ("是否入驻企业号", "未知", "未知的是否入驻企业号：未知", "unknown value in 是否入驻企业号"),
                 id="unknown-wecom-label"),
    pytest.param({"wecom_status": "3"},
                 ("是否入驻企业号", "3", "未知的是否入驻企业号：3", "unknown value in 是否入驻企业号"),
                 id="wecom-code-not-used"),
    pytest.param({"wecom_status": None},
                 ("是否入驻企业号", None, "缺少是否入驻企业号", "missing 是否入驻企业号"),
                 id="missing-wecom"),
    pytest.param({"position": None},
                 ("团内现任职务", None, "缺少团内现任职务", "missing position (团内现任职务)"),
                 id="missing-position"),
    pytest.param({"is_operator": "可能"},
                 ("是否本组织运营者", "可能", "未知的是否本组织运营者：可能", "unknown value in 是否本组织运营者"),
                 id="bad-operator-flag"),
    pytest.param({"cadre_kind": "全职"},
                 ("团干部性质", "全职", "未知的团干部性质：全职", "unknown value in 团干部性质"),
                 id="unknown-cadre-kind"),
    pytest.param({"in_post_since": "2023-13"},
                 ("任现职年月", "2023-13", "任现职年月不是有效月份", "任现职年月 is not a valid month"),
                 id="bad-month"),
    pytest.param({"org": "某中学团委"},
                 ("所在组织", "某中学团委", "组织不存在", "organization not found"),
                 id="unknown-org"),
    pytest.param({"org": "同名团支部"},
                 ("所在组织", "同名团支部", "组织名称不唯一（2个组织同名）",
                  "organization name is ambiguous (2 organizations share it)"),
                 id="ambiguous-org"),
    pytest.param({"org": None},
                 ("所在组织", None, "缺少所在组织", "missing 所在组织"),
                 id="missing-org"),
    pytest.param({"id_number": ID[:17] + ("0" if ID[17] != "0" else "1")},
                 ("身份证号码", ID[:17] + ("0" if ID[17] != "0" else "1"), "身份证号码校验码错误",
                  "ID number check character is wrong"),
                 id="bad-check-character"),
    pytest.param({"id_number": make_id("19950101", 1, "999999")},
                 ("身份证号码", make_id("19950101", 1, "999999"), "身份证号码地区码无效",
                  "unknown county code in ID number"),
                 id="unknown-county-code"),
    pytest.param({"name": "干" * 501},
                 ("姓名", "干" * 200, "值过长（超过500字）", "value too long (over 500 characters)"),
                 id="value-over-500-characters"),
]


@pytest.fixture(scope="module")
def bad_cadres():
    cadres = [{**CADRE, "id_number": make_id("19950101", 100 + i), "row_no": i + 2,
               **p.values[0]} for i, p in enumerate(BAD)]
    return staged_once({"orgs": ORGS, "cadres": cadres}, "cadres")


@pytest.mark.parametrize("row_no, problem",
                         [pytest.param(i + 2, p.values[1], id=p.id) for i, p in enumerate(BAD)])
def test_a_cadre_row_with_a_bad_value_is_quarantined(bad_cadres, row_no, problem):
    """Each bad value quarantines the row with its column, value and reason."""
    assert [o for o in outcomes(bad_cadres, "checked_cadres") if o[0] == row_no] == [
        (row_no, "invalid", *problem)]


def test_no_cadre_with_a_bad_value_is_loaded(bad_cadres):
    """Not one of the bad rows reaches stg_cadres."""
    assert rows(bad_cadres, "select count(*) from stg_cadres") == [(0,)]


def test_the_org_id_column_wins_over_the_org_name(staged):
    """组织ID, when given, names the organization even if 所在组织 names another."""
    con = staged([dict(CADRE, org="一班团支部", org_id="Z")])
    assert rows(con, "select org_id, org_type from stg_cadres") == [("Z", 4)]


DUPLICATE_ZH = "同一人在同一组织同一职务有多条记录，保留cadres_3.xlsx第2行"
DUPLICATE_EN = "same person, organization and position in several rows; kept cadres_3.xlsx row 2"


@pytest.mark.parametrize("second, expected, loaded", [
    pytest.param({}, ("merged", None, None, None, None), 1, id="identical-merged"),
    pytest.param({"position": "1", "org": "U", "wecom_status": "1"},
                 ("merged", None, None, None, None), 1,
                 id="same-typed-values-merged"),
    pytest.param({"wecom_status": "否"},
                 ("duplicate", "团内现任职务", "书记", DUPLICATE_ZH, DUPLICATE_EN), 1,
                 id="differing-quarantined"),
    pytest.param({"wecom_status": "否", "position": "1"},
                 ("duplicate", "团内现任职务", "1", DUPLICATE_ZH, DUPLICATE_EN), 1,
                 id="differing-position-written-as-code-quarantined"),
    pytest.param({"position": "副书记"}, ("loaded", None, None, None, None), 2,
                 id="other-position-loaded"),
    pytest.param({"org": "计算机学院团总支"}, ("loaded", None, None, None, None), 2,
                 id="other-org-loaded"),
    pytest.param({"id_number": make_id("19950101", 2)}, ("loaded", None, None, None, None),
                 2, id="other-person-loaded"),
])
def test_one_cadre_record_per_person_org_and_position(staged, second, expected, loaded):
    """Key ID + org + position, first kept; identical rows merge, differing ones are quarantined."""
    cadres = [dict(CADRE, file_id=3, row_no=2), {**CADRE, "file_id": 9, "row_no": 2, **second}]
    con = staged(cadres)
    got = rows(con, "select file_id, row_no, disposition, problem.column_name, problem.value, "
                    "problem.reason_zh, problem.reason_en from checked_cadres "
                    "order by file_id, row_no")
    assert got == [(3, 2, "loaded", None, None, None, None), (9, 2, *expected)]
    assert rows(con, "select count(*) from stg_cadres") == [(loaded,)]


def test_operator_no_and_operator_left_out_are_the_same_typed_value(staged):
    """是否本组织运营者 否 and the column left out both type as not operator, so the rows merge."""
    con = staged([dict(CADRE, file_id=3, is_operator="否"), dict(CADRE, file_id=8)])
    assert rows(con, "select file_id, disposition from checked_cadres order by file_id") == [
        (3, "loaded"), (8, "merged")]
