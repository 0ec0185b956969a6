"""Pinyin and pinyin initials of organization names; the org_search table built from org_tree."""

from __future__ import annotations

import duckdb
import pytest
from pypinyin import Style, lazy_pinyin

from etl.org_search import build_org_search, full_pinyin, initials, romanize


@pytest.mark.parametrize("name, expected_initials, expected_pinyin", [
    ("计算机学院", "jsjxy", "jisuanjixueyuan"),
    ("计算机学院2024级1班团支部", "jsjxy2024j1btzb", "jisuanjixueyuan2024ji1bantuanzhibu"),
    ("共青团示例省委员会", "gqtslswyh", "gongqingtuanshilishengweiyuanhui"),
    ("某公司IT部团支部", "mgsitbtzb", "mougongsiitbutuanzhibu"),
    ("ABC科技有限公司", "abckjyxgs", "abckejiyouxiangongsi"),
    ("某公司（深圳）团支部", "mgs（sz）tzb", "mougongsi（shenzhen）tuanzhibu"),
    ("绿色协会", "lsxh", "lvsexiehui"),
    ("2023", "2023", "2023"),
    ("", "", ""),
    (None, "", ""),
])
def test_romanize_gives_lowercase_initials_and_pinyin(name, expected_initials, expected_pinyin):
    """Chinese becomes pinyin (no tones, no spaces); digits, Latin letters and punctuation stay,
    lowercased."""
    assert romanize(name) == (expected_initials, expected_pinyin)
    assert initials(name) == expected_initials
    assert full_pinyin(name) == expected_pinyin


def test_names_are_read_by_place_not_across_it():
    """东莞市长安镇 is read chang an (the town), not 市长 shi zhang (mayor)."""
    assert full_pinyin("东莞市长安镇委员会") == "dongguanshichanganzhenweiyuanhui"
    assert initials("东莞市长安镇委员会") == "dgscazwyh"


@pytest.mark.parametrize("name", [
    "中山大学新闻传播学院", "华南理工大学计算机学院2022级3班团支部", "共青团深圳市南山区委员会",
    "广州银行股份有限公司团委", "重庆大学团委", "厦门大学会计学院团总支", "音乐学院",
])
def test_initials_are_what_pypinyin_first_letter_style_gives(name):
    """Taking each plain syllable's first letter agrees with Style.FIRST_LETTER."""
    expected = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()
    assert initials(name) == expected


def test_build_org_search_adds_initials_and_pinyin_to_every_organization():
    """One row per org_tree row, in seq order, names and depth carried over."""
    con = duckdb.connect()
    con.execute("create table org_tree (seq bigint, seq_last bigint, org_id varchar, "
                "full_name varchar, short_name varchar, depth integer)")
    con.execute("insert into org_tree values "
                "(2, 2, 'B', '计算机学院2024级1班团支部', '2024级1班团支部', 1), "
                "(1, 3, 'A', '某大学计算机学院团总支', null, 0), "
                "(3, 3, 'C', 'IT部团支部', 'IT部', 1)")
    assert build_org_search(con) == 3
    assert con.execute("select seq, org_id, full_name, short_name, depth, initials, pinyin "
                       "from org_search").fetchall() == [
        (1, "A", "某大学计算机学院团总支", None, 0, "mdxjsjxytzz", "moudaxuejisuanjixueyuantuanzongzhi"),
        (2, "B", "计算机学院2024级1班团支部", "2024级1班团支部", 1, "jsjxy2024j1btzb",
         "jisuanjixueyuan2024ji1bantuanzhibu"),
        (3, "C", "IT部团支部", "IT部", 1, "itbtzb", "itbutuanzhibu"),
    ]
    assert [c[0] for c in con.execute("describe org_search").fetchall()] == [
        "seq", "org_id", "full_name", "short_name", "depth", "initials", "pinyin", "haystack"]
    assert con.execute("select haystack from org_search where seq = 3").fetchone() == (
        "IT部团支部|IT部|itbtzb|itbutuanzhibu",)


def test_build_org_search_on_an_empty_tree_gives_an_empty_table():
    """No organization loaded: the table exists and is empty."""
    con = duckdb.connect()
    con.execute("create table org_tree (seq bigint, org_id varchar, full_name varchar, "
                "short_name varchar, depth integer)")
    assert build_org_search(con) == 0
    assert con.execute("select count(*) from org_search").fetchone() == (0,)


def test_a_load_builds_org_search_and_times_it():
    """build() makes org_search after the marts, and load_steps records its time."""
    from tests.queries.conftest import run_pipeline
    from tests.queries.province import ORGS

    con = run_pipeline({"orgs": ORGS})
    assert con.execute("select count(*) from org_search").fetchone() == (len(ORGS),)
    steps = [s for (s,) in con.execute("select step from load_steps").fetchall()]
    assert steps[-1] == "org_search"
