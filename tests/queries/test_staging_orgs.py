"""ranked_orgs, checked_orgs, stg_orgs and org_refs: typing, tree placement, duplicates and name lookup."""

from __future__ import annotations

import pytest

from tests.queries.conftest import outcomes, rows, staged_once

ROOT = {"org_id": "P", "org_type": "领导机关团组织", "full_name": "共青团某省委员会"}

NOT_FOUND = ("上级组织不存在", "parent organization not found")
UNPLACED = ("上级组织未能导入或组织关系成环", "parent organization was quarantined or forms a cycle")
LOADED = (None, None, None, None)


def org(org_id, parent, org_type="团支部", full_name=None, **more):
    return {"org_id": org_id, "parent_org_id": parent, "org_type": org_type,
            "full_name": full_name or f"{org_id}团组织", **more}


def placed(stage, orgs):
    con = stage({"orgs": orgs}, "orgs")
    return outcomes(con, "checked_orgs")


@pytest.mark.parametrize("orgs, expected", [
    pytest.param(
        [ROOT],
        [(2, "loaded", *LOADED)],
        id="root"),
    pytest.param(
        [ROOT, org("B", "X")],
        [(2, "loaded", *LOADED), (3, "invalid", "上级组织ID", "X", *NOT_FOUND)],
        id="parent-missing"),
    pytest.param(
        [ROOT, org("A", "B"), org("B", "A"), org("S", "S")],
        [(2, "loaded", *LOADED), (3, "invalid", "上级组织ID", "B", *UNPLACED),
         (4, "invalid", "上级组织ID", "A", *UNPLACED), (5, "invalid", "上级组织ID", "S", *UNPLACED)],
        id="cycle-and-self-parent"),
    pytest.param(
        [ROOT, org("M", "X", "团委"), org("C", "M"), org("G", "C")],
        [(2, "loaded", *LOADED), (3, "invalid", "上级组织ID", "X", *NOT_FOUND),
         (4, "invalid", "上级组织ID", "M", *UNPLACED), (5, "invalid", "上级组织ID", "C", *UNPLACED)],
        id="subtree-of-an-org-whose-parent-is-missing"),
    pytest.param(
        [ROOT, org("U", "P", "团委"), org("B", "U"), org("U2", "P", "团委", "U2团组织"),
         org("B2", "U2")],
        [(2, "loaded", *LOADED), (3, "loaded", *LOADED), (4, "loaded", *LOADED),
         (5, "loaded", *LOADED), (6, "loaded", *LOADED)],
        id="two-levels-two-branches"),
])
def test_an_org_is_loaded_only_when_its_parent_chain_reaches_a_root(stage, orgs, expected):
    """Missing parents and cycles quarantine the org and, in turn, everything under it."""
    assert placed(stage, orgs) == expected


def test_the_subtree_of_an_org_quarantined_for_a_bad_value_is_quarantined(stage):
    """Children of an org quarantined for a bad value, and their children, are quarantined too."""
    got = placed(stage, [ROOT, org("U", "P", "团小组"), org("B", "U"), org("C", "B")])
    assert got == [
        (2, "loaded", *LOADED),
        (3, "invalid", "组织类型", "团小组", "未知的组织类型", "unknown organization type"),
        (4, "invalid", "上级组织ID", "U", *UNPLACED),
        (5, "invalid", "上级组织ID", "B", *UNPLACED),
    ]


def test_a_deep_tree_is_placed_whatever_its_depth(stage):
    """RULES.md quarantines only missing parents and cycles, not deep chains (here 80 levels)."""
    chain = [ROOT] + [org(f"L{i}", "P" if i == 1 else f"L{i - 1}", "团委") for i in range(1, 81)]
    got = placed(stage, chain)
    assert [r for r in got if r[1] != "loaded"] == []


DUPLICATE_OF_P = ("组织ID", "P", "重复的组织ID，保留orgs_1.xlsx第2行",
                  "duplicate organization id; kept orgs_1.xlsx row 2")


@pytest.mark.parametrize("second, where, expected", [
    pytest.param(dict(ROOT), (8, 2), (8, 2, "merged"), id="identical-in-another-file-merged"),
    pytest.param(dict(ROOT, full_name=" 共青团某省委员会\u3000"), (8, 2), (8, 2, "merged"),
                 id="identical-after-trimming-merged"),
    pytest.param(dict(ROOT, org_type="1"), (8, 2), (8, 2, "merged"),
                 id="label-and-code-of-the-same-type-merged"),
    pytest.param(dict(ROOT, full_name="共青团某省委"), (8, 2), (8, 2, "duplicate"),
                 id="differing-in-another-file-quarantined"),
    pytest.param(dict(ROOT, short_name="省委"), (1, 5), (1, 5, "duplicate"),
                 id="differing-in-the-same-file-quarantined"),
])
def test_a_repeated_org_id_keeps_the_first_row(stage, second, where, expected):
    """The first row of an 组织ID is kept; identical rows merge, differing ones are quarantined."""
    con = stage({"orgs": [dict(ROOT, file_id=1, row_no=2),
                          dict(second, file_id=where[0], row_no=where[1])]}, "orgs")
    assert rows(con, "select file_id, row_no, disposition from checked_orgs "
                     "order by file_id, row_no") == [(1, 2, "loaded"), expected]
    assert rows(con, "select org_id, full_name, short_name from stg_orgs") == [
        ("P", "共青团某省委员会", "共青团某省委员会")]


def test_a_differing_duplicate_org_names_the_kept_row(stage):
    """The quarantined duplicate's reason names the kept row's file and row number."""
    con = stage({"orgs": [dict(ROOT, file_id=1, row_no=2),
                          dict(ROOT, full_name="共青团某省委", file_id=8, row_no=2)]}, "orgs")
    assert outcomes(con, "checked_orgs") == [
        (2, "loaded", *LOADED), (2, "duplicate", *DUPLICATE_OF_P)]


def test_a_merged_org_row_carries_no_problem(stage):
    """A row identical to the kept one is merged, counted but with no quarantine reason."""
    con = stage({"orgs": [dict(ROOT, file_id=1), dict(ROOT, file_id=8)]}, "orgs")
    assert outcomes(con, "checked_orgs") == [(2, "loaded", *LOADED), (3, "merged", *LOADED)]


def test_the_first_row_in_file_order_is_kept_not_the_first_inserted(stage):
    """File order is (file, row number): a row of file 1 wins over an earlier-listed file 2 row."""
    con = stage({"orgs": [dict(ROOT, full_name="乙", file_id=2),
                          dict(ROOT, full_name="甲", file_id=1)]}, "orgs")
    assert rows(con, "select org_id, full_name from stg_orgs") == [("P", "甲")]
    assert rows(con, "select file_id, disposition, problem.reason_en from checked_orgs "
                     "order by file_id") == [
        (1, "loaded", None), (2, "duplicate", "duplicate organization id; kept orgs_1.xlsx row 3")]



def test_a_row_with_a_problem_does_not_take_the_kept_place(stage):
    """ranked_orgs ranks only rows without problem: an earlier row of the same 组织ID with an
    unknown type is quarantined for it, and the next clean row is kept and loaded."""
    con = stage({"orgs": [dict(ROOT, org_type="团小组", file_id=1, row_no=2),
                          dict(ROOT, file_id=1, row_no=3),
                          dict(ROOT, full_name="乙", file_id=2, row_no=2)]}, "orgs")
    assert rows(con, "select file_id, row_no, row_problem is null, rank_in_key, kept_file_id, "
                     "kept_row_no, kept_values.f from ranked_orgs order by file_id, row_no") == [
        (1, 2, False, None, None, None, None),
        (1, 3, True, 1, 1, 3, "共青团某省委员会"),
        (2, 2, True, 2, 1, 3, "共青团某省委员会")]
    assert rows(con, "select file_id, row_no, disposition from checked_orgs "
                     "order by file_id, row_no") == [
        (1, 2, "invalid"), (1, 3, "loaded"), (2, 2, "duplicate")]

# (column, value as written, column of stg_orgs, expected typed value)
TYPED = [
    *[("org_type", written, "org_type", code) for written, code in [
        ("领导机关团组织", 1), ("领导机关", 1), ("团委", 2), ("团工委", 3), ("团总支", 4), ("团支部", 5),
        ("1", 1), ("2", 2), ("3", 3), ("4", 4), ("5", 5),
        ("03TW", 2), ("04TGW", 3), ("02TZZ", 4), ("01TZB", 5), ("06BYBTZB", 5),
        ("毕业班团支部", 5), ("临时团支部", 5)]],
    *[("is_graduating", written, "is_graduating", flag) for written, flag in [
        ("是", True), ("否", False), ("1", True), ("2", False), (None, False)]],
]


@pytest.fixture(scope="module")
def typed_orgs():
    """One root org per case of TYPED (ids T2, T3, ...), staged once."""
    orgs = [{**ROOT, "org_id": f"T{i + 2}", "full_name": f"T{i + 2}", col: written}
            for i, (col, written, _, _) in enumerate(TYPED)]
    return staged_once({"orgs": orgs}, "orgs")


@pytest.mark.parametrize("org_id, column, written, stg_column, expected",
                         [(f"T{i + 2}", *case) for i, case in enumerate(TYPED)],
                         ids=[f"{c}={w!r}" for c, w, _, _ in TYPED])
def test_org_type_and_graduating_flag_are_read_from_labels_and_codes(
        typed_orgs, org_id, column, written, stg_column, expected):
    """组织类型 as a label, a code 1-5 or a national code (01TZB ...); 是否毕业班 as 是/否 or 1/2."""
    assert rows(typed_orgs, f"select {stg_column} from stg_orgs where org_id = ?", [org_id]) == [
        (expected,)]


BAD = [
    pytest.param({"org_type": "团小组"},
                 ("组织类型", "团小组", "未知的组织类型", "unknown organization type"),
                 id="unknown-type-label"),
    pytest.param({"org_type": "6"},
                 ("组织类型", "6", "未知的组织类型", "unknown organization type"),
                 id="type-code-out-of-range"),
    pytest.param({"org_type": None},
                 ("组织类型", None, "缺少组织类型", "missing organization type (组织类型)"),
                 id="missing-type"),
    pytest.param({"full_name": "\u3000"},
                 ("团组织全称", None, "缺少团组织全称", "missing full name (团组织全称)"),
                 id="blank-full-name"),
    pytest.param({"org_id": ""},
                 ("组织ID", None, "缺少组织ID", "missing organization id (组织ID)"),
                 id="missing-id"),
    pytest.param({"is_graduating": "也许"},
                 ("是否毕业班", "也许", "是否毕业班应为“是”或“否”", "是否毕业班 must be 是 or 否"),
                 id="bad-graduating-flag"),
    pytest.param({"full_name": "团" * 501},
                 ("团组织全称", "团" * 200, "值过长（超过500字）", "value too long (over 500 characters)"),
                 id="value-over-500-characters"),
]


@pytest.fixture(scope="module")
def bad_orgs():
    """One root org per case of BAD (its own id unless the case blanks it), staged once."""
    orgs = [{**ROOT, "org_id": f"X{i + 2}", "row_no": i + 2, **p.values[0]}
            for i, p in enumerate(BAD)]
    return staged_once({"orgs": orgs}, "orgs")


@pytest.mark.parametrize("row_no, expected",
                         [pytest.param(i + 2, p.values[1], id=p.id) for i, p in enumerate(BAD)])
def test_an_org_row_with_a_bad_value_is_quarantined(bad_orgs, row_no, expected):
    """Unknown or missing type, missing id or name, bad 是否毕业班, over-long value: quarantined."""
    assert [o for o in outcomes(bad_orgs, "checked_orgs") if o[0] == row_no] == [
        (row_no, "invalid", *expected)]


def test_stg_orgs_has_typed_columns_and_defaults_the_short_name(stage):
    """stg_orgs keeps the loaded orgs, trimmed; short name defaults to the full name."""
    con = stage({"orgs": [
        dict(ROOT, org_id=" P ", industry="党政机关"),
        org("B", "P", "5", "一班团支部", short_name="一班", is_graduating="是"),
        org("X", "missing"),
    ]}, "orgs")
    assert rows(con, "select org_id, parent_org_id, org_type, full_name, short_name, industry, "
                     "is_graduating from stg_orgs order by org_id") == [
        ("B", "P", 5, "一班团支部", "一班", None, True),
        ("P", None, 1, "共青团某省委员会", "共青团某省委员会", "党政机关", False),
    ]


def test_org_refs_resolve_ids_and_unique_names_but_not_shared_names(stage):
    """An org is named by its 组织ID or unique full name; a shared full name resolves to none."""
    con = stage({"orgs": [
        ROOT,
        org("U", "P", "团委", "某大学团委"),
        org("A1", "U", "团支部", "同名团支部"),
        org("A2", "P", "团支部", "同名团支部"),
        org("Q", "missing", "团支部", "孤立团支部"),
    ]}, "orgs")
    assert rows(con, "select ref, org_id, org_type, matches from org_refs order by ref") == [
        ("A1", "A1", 5, 1),
        ("A2", "A2", 5, 1),
        ("P", "P", 1, 1),
        ("U", "U", 2, 1),
        ("共青团某省委员会", "P", 1, 1),
        ("同名团支部", None, None, 2),
        ("某大学团委", "U", 2, 1),
    ]


def test_a_full_name_equal_to_an_org_id_refers_to_that_id(stage):
    """An exact 组织ID match comes before a full-name match (RULES.md)."""
    con = stage({"orgs": [ROOT, org("U", "P", "团委", "P")]}, "orgs")
    assert rows(con, "select ref, org_id, matches from org_refs where ref = 'P'") == [("P", "P", 1)]


@pytest.mark.parametrize("written", [
    pytest.param({"is_graduating": "否"}, id="graduating-no"),
    pytest.param({"short_name": "共青团某省委员会"}, id="short-name-same-as-full-name"),
])
def test_an_optional_column_left_out_equals_its_default_as_a_typed_value(stage, written):
    """A row writing an optional column's default equals one leaving it out, so the rows merge."""
    con = stage({"orgs": [dict(ROOT, file_id=1, **written), dict(ROOT, file_id=8)]}, "orgs")
    assert rows(con, "select file_id, disposition from checked_orgs order by file_id") == [
        (1, "loaded"), (8, "merged")]


def test_a_valid_row_is_kept_over_an_earlier_invalid_row_of_the_same_id(stage):
    """Only valid rows compete for an 组织ID: an earlier row with a bad type does not win."""
    con = stage({"orgs": [dict(ROOT, org_type="团小组", full_name="甲"), dict(ROOT, full_name="乙")]},
                "orgs")
    assert rows(con, "select row_no, disposition from checked_orgs order by row_no") == [
        (2, "invalid"), (3, "loaded")]
    assert rows(con, "select org_id, full_name from stg_orgs") == [("P", "乙")]
