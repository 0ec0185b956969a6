"""The help data is complete: every entry in both languages, every follow-up kind with what an
operator does, every title it claims a real text of the app."""

from __future__ import annotations

import re

import pytest

import followups
import helptext
from dashboard.i18n import translations
from helptext.entries import HelpDataError, _entry

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_entry_says_what_it_means_in_chinese_and_english_with_an_example():
    entries = helptext.entries()
    assert len(entries) >= 40
    for e in entries:
        for lang in ("zh", "en"):
            text = e.text(lang)
            assert text.title and text.definition and text.example, (e.key, lang)
        # the Chinese text is Chinese, the English text is not the Chinese one copied over
        assert HAN.search(e.zh.definition), e.key
        assert e.en.definition != e.zh.definition and e.en.title != e.zh.title, e.key
        assert re.search(r"\d", e.zh.example) and re.search(r"\d", e.en.example), (
            f"{e.key}: the example has no numbers")


def test_each_follow_up_kind_has_an_entry_that_says_what_the_operator_does():
    kinds = {e.followup: e for e in helptext.entries() if e.followup}
    assert set(kinds) == set(followups.KINDS)
    for kind, e in kinds.items():
        assert e.zh.action and e.en.action, kind
        assert f"followup_kind_{kind}" in e.titles, kind


def test_the_platform_rules_behind_the_figures_have_entries():
    """The 48-hour review and six months of arrears, each linked from the figures they explain."""
    hours = helptext.entry("platform_48_hours")
    arrears = helptext.entry("platform_arrears_six_months")
    assert "48" in hours.zh.definition and "48 hours" in hours.en.definition
    assert "6" in arrears.zh.definition and "six" in arrears.en.definition.lower()
    assert "platform_48_hours" in helptext.entry("review_overdue").related
    assert "platform_arrears_six_months" in helptext.entry("arrears_6plus").related


def test_every_title_an_entry_claims_is_a_text_of_the_app_and_links_resolve():
    table = translations()
    for e in helptext.entries():
        for key in e.titles:
            assert key in table, f"{e.key}: no translation key {key}"
            assert helptext.for_title_key(key) is e
        for other in e.related:
            assert helptext.entry(other) is not None


@pytest.mark.parametrize("table, problem", [
    ({"zh": {"title": "甲", "definition": "乙", "example": "1"}}, "no [k.en] table"),
    ({"zh": {"title": "甲", "definition": "乙", "example": "1"},
      "en": {"title": "A", "definition": "", "example": "1"}}, "missing ['definition']"),
    ({"zh": {"title": "甲", "definition": "乙", "example": "1"},
      "en": {"title": "A", "definition": "B", "example": "1"}, "dynamic": "weather"},
     "dynamic must be one of"),
])
def test_an_entry_missing_a_language_or_a_field_is_refused(table, problem):
    with pytest.raises(HelpDataError, match=re.escape(problem)):
        _entry("t", 0, "k", table)
