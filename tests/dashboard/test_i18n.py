"""Translations (assets/i18n.json) and the Chinese and English number and date formats."""

from __future__ import annotations

import datetime as dt
import re
import string

import pandas as pd
import pytest

from dashboard import i18n
from dashboard.i18n import (LANGS, fmt_date, fmt_datetime, fmt_days, fmt_delta, fmt_delta_pct,
                            fmt_int, fmt_pct, normalize_lang, t)

TABLE = i18n.translations()


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("value, expected", [
    ("zh", "zh"), ("en", "en"), ("EN", "en"), (" en ", "en"),
    (None, "zh"), ("", "zh"), ("fr", "zh"), ("zh-CN", "zh"), (1, "zh"),
])
def test_normalize_lang_keeps_zh_or_en_and_defaults_to_chinese(value, expected):
    """Only zh and en are languages; anything else falls back to Chinese."""
    assert normalize_lang(value) == expected


def test_every_key_is_snake_case_and_has_both_languages():
    """Each key names a non-empty Chinese and English text, and nothing else."""
    assert TABLE
    for key, texts in TABLE.items():
        assert re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", key), key
        assert set(texts) == set(LANGS), key
        assert all(isinstance(texts[lang], str) and texts[lang].strip() for lang in LANGS), key


def test_both_languages_of_a_key_take_the_same_placeholders():
    """A {placeholder} in the Chinese text is in the English text too, and the other way round."""
    for key, texts in TABLE.items():
        assert placeholders(texts["zh"]) == placeholders(texts["en"]), key


@pytest.mark.parametrize("key", [
    "app_title", "page_overview", "page_registration", "page_transfers", "search_placeholder",
    "whole_province", "metric_members_active", "metric_completion_approved",
    "metric_completion_submitted", "metric_reviews_pending", "metric_cadres_in_scope",
    "metric_cadres_out_of_scope", "metric_onboarding_rate", "metric_dues_compliance",
    "transfer_pending_out", "transfer_pending_in", "transfer_completed", "transfer_returned",
    "transfer_withdrawn", "since_previous", "deadline", "days_left", "at_risk",
    "projected_completion", "age_le2", "age_3to7", "age_gt7", "step_1", "step_2", "step_3",
    "step_4", "download_csv", "download_xlsx", "data_as_of", "load_n", "lang_zh", "lang_en",
    "org_not_found", "no_data",
])
def test_the_keys_the_pages_need_are_there(key):
    """The seeded keys of the header, navigator, KPIs, transfers and downloads exist."""
    assert key in TABLE


@pytest.mark.parametrize("key, lang, fmt, expected", [
    ("app_title", "zh", {}, "智慧团建数据看板"),
    ("app_title", "en", {}, "League Data Dashboard"),
    ("app_title", "fr", {}, "智慧团建数据看板"),
    ("page_transfers", "zh", {}, "组织关系转接"),
    ("metric_completion_approved", "zh", {}, "报到完成率（已审核）"),
    ("metric_completion_submitted", "en", {}, "Completion (incl. pending)"),
    ("step_2", "zh", {}, "转出团支部上级审核"),
    ("age_3to7", "zh", {}, "3–7天"),
    ("load_n", "zh", {"n": 3}, "第 3 次导入"),
    ("load_n", "en", {"n": 3}, "load 3"),
])
def test_t_looks_up_the_language_and_fills_placeholders(key, lang, fmt, expected):
    """t() picks the language (unknown means Chinese) and fills {placeholders}."""
    assert t(key, lang, **fmt) == expected


@pytest.mark.parametrize("lang", LANGS)
def test_t_fills_every_placeholder_of_a_key(lang):
    """Each {placeholder} of data_as_of is replaced by the value given for it."""
    got = t("data_as_of", lang, as_of="AS-OF", load="LOAD-ID")
    assert "AS-OF" in got and "LOAD-ID" in got and "{" not in got


def test_t_raises_on_an_unknown_key_or_an_unfilled_placeholder():
    """A missing key or a placeholder without a value is a KeyError, not a raw key on screen."""
    with pytest.raises(KeyError):
        t("no_such_key", "zh")
    with pytest.raises(KeyError):
        t("load_n", "zh")


@pytest.mark.parametrize("n, expected", [
    (0, "0"), (12345, "12,345"), (1234567, "1,234,567"), (-42, "-42"), (12.6, "13"),
    (None, "—"), (float("nan"), "—"), (pd.NA, "—"),
])
def test_fmt_int_groups_thousands_with_commas(n, expected):
    """The same in both languages; missing values are a dash."""
    assert fmt_int(n, "zh") == expected
    assert fmt_int(n, "en") == expected


@pytest.mark.parametrize("x, digits, expected", [
    (0.853, 1, "85.3%"), (1, 1, "100.0%"), (0, 1, "0.0%"), (0.12345, 2, "12.35%"),
    (0.5, 0, "50%"), (None, 1, "—"), (float("nan"), 1, "—"),
])
def test_fmt_pct_shows_a_rate_as_a_percentage(x, digits, expected):
    """0.853 -> 85.3%; digits sets the decimals."""
    assert fmt_pct(x, "zh", digits=digits) == expected
    assert fmt_pct(x, "en", digits=digits) == expected


@pytest.mark.parametrize("n, expected", [
    (12, "+12"), (-3, "\u22123"), (0, "±0"), (1500, "+1,500"), (None, "—"),
])
def test_fmt_delta_signs_a_change(n, expected):
    """Plus, a real minus sign, or ±0."""
    assert fmt_delta(n, "zh") == expected
    assert fmt_delta(n, "en") == expected


@pytest.mark.parametrize("x, lang, expected", [
    (0.012, "zh", "+1.2 个百分点"), (0.012, "en", "+1.2 pts"),
    (-0.05, "zh", "\u22125.0 个百分点"), (-0.05, "en", "\u22125.0 pts"),
    (0.0, "en", "±0.0 pts"), (-0.0001, "en", "±0.0 pts"), (None, "en", "—"),
])
def test_fmt_delta_pct_gives_percentage_points(x, lang, expected):
    """A change in a rate is in percentage points, not percent."""
    assert fmt_delta_pct(x, lang) == expected


@pytest.mark.parametrize("n, lang, expected", [
    (23, "zh", "23 天"), (23, "en", "23 days"), (1, "en", "1 day"), (1, "zh", "1 天"),
    (0, "en", "0 days"), (-1, "en", "-1 day"), (None, "zh", "—"),
])
def test_fmt_days_counts_days(n, lang, expected):
    """Singular 'day' for one, in English."""
    assert fmt_days(n, lang) == expected


@pytest.mark.parametrize("d, zh, en", [
    (dt.date(2024, 9, 30), "2024年9月30日", "30 Sep 2024"),
    (dt.datetime(2024, 1, 5, 23, 59), "2024年1月5日", "5 Jan 2024"),
    ("2024-09-30", "2024年9月30日", "30 Sep 2024"),
    ("2024-12-01T08:00:00", "2024年12月1日", "1 Dec 2024"),
    (pd.Timestamp("2024-05-07"), "2024年5月7日", "7 May 2024"),
    (None, "—", "—"), ("", "—", "—"), (pd.NaT, "—", "—"),
])
def test_fmt_date_in_chinese_and_english(d, zh, en):
    """Dates, datetimes, ISO strings and Timestamps; missing values are a dash."""
    assert fmt_date(d, "zh") == zh
    assert fmt_date(d, "en") == en


@pytest.mark.parametrize("v, zh, en", [
    (dt.datetime(2024, 10, 8, 12, 0), "2024年10月8日 12:00", "8 Oct 2024 12:00"),
    ("2024-10-08 09:05:33", "2024年10月8日 09:05", "8 Oct 2024 09:05"),
    (pd.Timestamp("2024-10-08 12:00"), "2024年10月8日 12:00", "8 Oct 2024 12:00"),
    (None, "—", "—"),
])
def test_fmt_datetime_adds_hours_and_minutes(v, zh, en):
    """The date as fmt_date writes it, then HH:MM."""
    assert fmt_datetime(v, "zh") == zh
    assert fmt_datetime(v, "en") == en


def test_fmt_month_in_each_language():
    import datetime as dt

    from dashboard.i18n import fmt_month

    assert fmt_month(dt.date(2024, 9, 1), "zh") == "2024年9月"
    assert fmt_month(dt.date(2024, 9, 1), "en") == "Sep 2024"
    assert fmt_month(None, "zh") == "—"


def test_room_files_are_merged_and_a_key_defined_twice_is_refused(tmp_path, monkeypatch):
    """i18n-<room>.json files beside i18n.json add their keys; the same key in two files fails
    loudly instead of one text silently winning."""
    (tmp_path / "i18n.json").write_text('{"a_key": {"zh": "甲", "en": "A"}}', encoding="utf-8")
    (tmp_path / "i18n-room.json").write_text('{"b_key": {"zh": "乙", "en": "B"}}',
                                             encoding="utf-8")
    (tmp_path / "other.json").write_text('{"c_key": {"zh": "丙", "en": "C"}}', encoding="utf-8")
    monkeypatch.setattr(i18n, "ASSETS", tmp_path)
    monkeypatch.setattr(i18n, "TABLE_PATH", tmp_path / "i18n.json")
    i18n.translations.cache_clear()
    try:
        assert set(i18n.translations()) == {"a_key", "b_key"}
        (tmp_path / "i18n-again.json").write_text('{"a_key": {"zh": "丁", "en": "D"}}',
                                                  encoding="utf-8")
        i18n.translations.cache_clear()
        with pytest.raises(ValueError, match="i18n-again.json.*a_key"):
            i18n.translations()
    finally:
        i18n.translations.cache_clear()
