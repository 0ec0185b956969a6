"""Searching the help: Chinese words, English words, pinyin in full or by initials."""

from __future__ import annotations

import pytest

import helptext


def keys(query: str) -> list[str]:
    return [e.key for e in helptext.search(query)]


@pytest.mark.parametrize("query", ["欠费", "qianfei", "qf", "QianFei", "qian fei", "arrears"])
def test_arrears_are_found_first_by_chinese_pinyin_initials_and_english(query):
    found = keys(query)
    assert found[0] == "arrears_6plus"
    assert "platform_arrears_six_months" in found
    assert "transfers_pending_out" not in found


@pytest.mark.parametrize("query", ["转接", "zhuanjie", "transfer"])
def test_transfers_are_found_by_chinese_pinyin_and_english(query):
    found = keys(query)
    assert {"transfers_pending_out", "transfers_pending_in", "stuck_transfer"} <= set(found)
    assert "arrears_6plus" not in found


def test_a_word_in_the_text_finds_its_entry_after_the_titles():
    """智能手机 appears in the rules' text only; 录入范围 in titles and keywords first."""
    assert "cadre_rules" in keys("智能手机")
    assert keys("录入范围")[0] in {"cadres_in_scope", "cadre_out_of_scope", "cadre_rules"}


def test_an_empty_query_lists_every_entry_and_nonsense_finds_none():
    assert keys("") == [e.key for e in helptext.entries()]
    assert keys("   ") == [e.key for e in helptext.entries()]
    assert keys("zzzzxq") == []
