"""Masks for names, mobile numbers and ID numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from accounts.masking import mask_frame, mask_id, mask_mobile, mask_name


@pytest.mark.parametrize("value, expected", [
    ("张三明", "张*明"), ("张三", "张*"), ("张", "张"), ("欧阳小明", "欧**明"),
    (" 李四 ", "李*"), ("", ""), (None, ""), (float("nan"), ""),
])
def test_mask_name_keeps_the_first_and_last_characters(value, expected):
    """Two characters keep the first only; one stays as it is; missing is empty."""
    assert mask_name(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("13812341234", "138****1234"), ("1381234123", "138***4123"), ("12345678", "123*5678"),
    ("1234567", "*******"), ("123", "***"), ("", ""), (None, ""), (13812341234, "138****1234"),
])
def test_mask_mobile_keeps_the_first_3_and_last_4(value, expected):
    """From 8 characters up; shorter numbers are masked whole."""
    assert mask_mobile(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("44010119900101123X", "4401**********123X"), ("440101900101123", "4401*******1123"),
    ("123456789", "1234*6789"), ("12345678", "********"), ("", ""), (None, ""),
])
def test_mask_id_keeps_the_first_4_and_last_4(value, expected):
    """Eight characters or fewer are masked whole."""
    assert mask_id(value) == expected


def test_mask_frame_masks_the_personal_columns_of_a_copy():
    """name, mobile and id_number are masked; other columns and the original frame are not."""
    frame = pd.DataFrame({"name": ["张三明", None], "mobile": ["13812341234", "1"],
                          "id_number": ["44010119900101123X", None], "org": ["B11", "B12"]})
    got = mask_frame(frame)
    assert got.to_dict("list") == {"name": ["张*明", ""], "mobile": ["138****1234", "*"],
                                   "id_number": ["4401**********123X", ""], "org": ["B11", "B12"]}
    assert frame.loc[0, "name"] == "张三明"
