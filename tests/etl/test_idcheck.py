"""County codes: etl.idcheck decides what python-stdnum decides for a whole ID number."""

from __future__ import annotations

import random

import pytest
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from etl.idcheck import _county_years, place_is_known


def _stdnum_knows(prefix6: str, year: int) -> bool:
    body = f"{prefix6}{year:04d}0101001"
    try:
        ric.get_birth_place(body + ric.calc_check_digit(body + "0"))
        return True
    except (ValidationError, KeyError, ValueError):
        return False


def _codes_with_years() -> list[str]:
    """Codes whose counties stdnum gives with years (renamed, merged or abolished), among
    20,000 drawn from the whole range."""
    drawn = random.Random(3).sample(range(110000, 660000), 20_000)
    return [f"{p:06d}" for p in drawn if any(s != (None, None) for s in _county_years(f"{p:06d}"))]


def test_years_are_read_from_the_county_table():
    ranged = _codes_with_years()
    assert len(ranged) > 100  # the table holds many renamed and abolished counties
    rng = random.Random(7)
    sample = rng.sample(ranged, 150)
    for code in sample:
        spans = _county_years(code)
        years = {1949, 1960, 1980, 1990, 2000, 2010, 2024}
        years |= {y + d for s in spans for y in s if y for d in (-1, 0, 1)}
        for year in sorted(years):
            assert place_is_known(code, year) == _stdnum_knows(code, year), (code, year)


@pytest.mark.parametrize("code", ["110101", "440106", "000000", "999999", "110100", "440000",
                                  "123450"])
@pytest.mark.parametrize("year", [0, 1, 1900, 1985, 2005, 2024, 9999])
def test_plain_codes_and_odd_years(code, year):
    assert place_is_known(code, year) == _stdnum_knows(code, year)
