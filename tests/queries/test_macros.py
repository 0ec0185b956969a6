"""The value parsers of queries/macros.sql: dates, months, money, text, codes and ID numbers."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent, ValidationError

from etl.idcheck import build_ric_places
from tests.queries.conftest import make_id


@pytest.fixture
def scalar(_prepared_con):
    """scalar(sql, *params): the one value a macro expression returns."""
    return lambda sql, *params: _prepared_con.execute(f"select {sql}", list(params)).fetchone()[0]


@pytest.mark.parametrize("text, expected", [
    ("2024-09-01", dt.datetime(2024, 9, 1)),
    ("2024/9/1", dt.datetime(2024, 9, 1)),
    ("2024/09/01", dt.datetime(2024, 9, 1)),
    ("2024-09-01 13:45:00", dt.datetime(2024, 9, 1, 13, 45)),
    ("2024/9/1 13:45", dt.datetime(2024, 9, 1, 13, 45)),
    ("2024年9月1日", dt.datetime(2024, 9, 1)),
    ("45536", dt.datetime(2024, 9, 1)),
    ("45536.5", dt.datetime(2024, 9, 1, 12, 0)),
    ("45536.75", dt.datetime(2024, 9, 1, 18, 0)),
])
def test_parse_ts_reads_every_date_form_of_the_rules(scalar, text, expected):
    """parse_ts reads each date form of RULES.md, Excel serials as days since 1899-12-30."""
    assert scalar("parse_ts(?)", text) == expected


@pytest.mark.parametrize("text", [
    "2024-13-01", "2024-02-30", "2023/2/29", "2024年13月1日", "abc", "2024-09-01 25:00:00",
    "1899-12-31", "2101-01-01", "0", "99999", "20240901",
])
def test_parse_ts_rejects_what_is_not_a_date(scalar, text):
    """parse_ts gives null for impossible dates, text, out-of-range years and serials."""
    assert scalar("parse_ts(?)", text) is None


def test_parse_ts_of_null_is_null(scalar):
    """A missing cell parses to null, not to an error."""
    assert scalar("parse_ts(null)") is None


@pytest.mark.parametrize("text", [
    "2024-09", "2024.09", "2024/9", "2024/09", "2024-9", "2024年9月", "2024年09月", "202409",
    "2024-09-15", "2024/9/15", "2024-09-15 13:45:00", "2024/9/15 13:45", "2024年9月15日",
    "45550.5",
])
def test_parse_month_reads_every_month_form_as_its_first_day(scalar, text):
    """parse_month reads each month form of RULES.md, and a full date as its month."""
    assert scalar("parse_month(?)", text) == dt.date(2024, 9, 1)


def test_parse_month_reads_a_whole_excel_serial_as_its_month(scalar):
    """A month cell holding a whole Excel serial date (45536 = 2024-09-01) is month 2024-09."""
    assert scalar("parse_month(?)", "45536") == dt.date(2024, 9, 1)


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "2024年13月", "text", "九月", "24-09"])
def test_parse_month_rejects_what_is_not_a_month(scalar, text):
    """parse_month gives null for month 13, month 0, text and two-digit years."""
    assert scalar("parse_month(?)", text) is None


@pytest.mark.parametrize("title, expected", [
    ("2024年09月团费交纳明细", dt.date(2024, 9, 1)),
    ("2024年9月团费交纳明细", dt.date(2024, 9, 1)),
    ("某大学团委 2024 年 10 月团费明细", dt.date(2024, 10, 1)),
    ("团费交纳明细", None),
    ("2024年13月团费交纳明细", None),
    ("2024-09团费交纳明细", None),
    (None, None),
])
def test_title_month_is_the_year_and_month_named_in_a_title_row(scalar, title, expected):
    """title_month finds 'YYYY年M月' in a title row; anything else gives null."""
    assert scalar("title_month(?)", title) == expected


@pytest.mark.parametrize("text, expected", [
    ("0.2", Decimal("0.20")),
    ("12.50", Decimal("12.50")),
    ("1,234.5", Decimal("1234.50")),
    ("3元", Decimal("3.00")),
    ("¥3", Decimal("3.00")),
    ("0", Decimal("0.00")),
    ("-1", Decimal("-1.00")),
    ("abc", None),
    ("", None),
    (None, None),
])
def test_parse_yuan_reads_decimal_yuan(scalar, text, expected):
    """parse_yuan reads yuan with two decimals, ignoring thousands commas, 元 and ¥."""
    assert scalar("parse_yuan(?)", text) == expected


@pytest.mark.parametrize("text, expected", [
    ("张三", "张三"),
    ("  张三 ", "张三"),
    ("\u3000张三\u3000", "张三"),
    ("\u3000\u3000", None),
    ("\xa0张三\t\r\n", "张三"),
    ("张\u3000三", "张\u3000三"),
    ("", None),
    (None, None),
])
def test_clean_text_trims_ascii_and_full_width_spaces(scalar, text, expected):
    """clean_text trims spaces (full-width and no-break too) at both ends; empty is null."""
    assert scalar("clean_text(?)", text) == expected


@pytest.mark.parametrize("key, value, expected", [
    ("org_type", "团支部", "5"),
    ("org_type", "5", "5"),
    ("org_type", "01TZB", "5"),
    ("org_type", "02TZZ", "4"),
    ("org_type", "06BYBTZB", "5"),
    ("org_type", "领导机关团组织", "1"),
    ("org_type", "6", None),
    ("org_type", "05", None),
    ("org_type", "团小组", None),
    ("registration_status", "审核通过", "3"),
    ("registration_status", "3", "3"),
    ("registration_status", "0", "0"),
    ("registration_status", "6", None),
    ("wecom_status", "已禁用", "2"),
    ("wecom_status", "4", "4"),
    ("wecom_status", "3", None),
    ("yes_no", "否", "0"),
    ("yes_no", "2", "0"),
    ("transfer_status", "接转成功", "5"),
    ("transfer_status", "9", "9"),
    ("paid_status", "已交", "1"),
    ("position_other", "组织委员", "organization"),
    ("position_leading", "3", "standing"),
    ("position_other", "3", "organization"),
])
def test_code_of_maps_labels_and_numeric_codes(scalar, key, value, expected):
    """code_of gives the code of a label or of a valid numeric code, else null."""
    assert scalar("code_of(?, ?)", key, value) == expected


@pytest.mark.parametrize("text, expected", [
    ("44010620050101001x", "44010620050101001X"),
    (" 440106 20050101 0015 ", "440106200501010015"),
    ("", None),
    (None, None),
])
def test_norm_id_upper_cases_and_removes_spaces(scalar, text, expected):
    """norm_id upper-cases the check character and removes every space."""
    assert scalar("norm_id(?)", text) == expected


@pytest.mark.parametrize("text", ["440106200501010015\u3000", "440106\u300020050101\u30000015",
                                  "\xa0440106200501010015"])
def test_norm_id_removes_full_width_and_no_break_spaces(scalar, text):
    """RULES.md: spaces are removed from ID numbers, full-width (U+3000) and no-break ones too."""
    assert scalar("norm_id(?)", text) == "440106200501010015"


@pytest.mark.parametrize("number, expected", [
    (make_id("20050101", 1), None),
    (make_id("20040229", 2), None),
    (make_id("20050101", 1)[:17] + "0", "checksum"),
    (make_id("20050101", 1)[:17] + "X", "checksum"),
    ("4401062005023000" + "1" + ric.calc_check_digit("44010620050230001" + "0"), "birth_date"),
    ("44010620031301001" + ric.calc_check_digit("44010620031301001" + "0"), "birth_date"),
    ("44010620050100001" + ric.calc_check_digit("44010620050100001" + "0"), "birth_date"),
    ("44010620030229001" + ric.calc_check_digit("44010620030229001" + "0"), "birth_date"),
    (make_id("20050101", 1)[:17], "length"),
    (make_id("20050101", 1) + "1", "length"),
    ("4401062005A101001" + "5", "format"),
    (make_id("20050101", 1)[:17] + "Y", "format"),
])
def test_ric_shape_problem_names_the_failing_part(scalar, number, expected):
    """ric_shape_problem: length, then format, then check character, then birth date."""
    assert scalar("ric_shape_problem(?)", number) == expected


def test_ric_shape_problem_rejects_birth_year_zero(scalar):
    """A birth date in year 0000 is not a real birth date, as stdnum.cn.ric says."""
    body = "44010600000101001"
    assert scalar("ric_shape_problem(?)", body + ric.calc_check_digit(body + "0")) == "birth_date"


@pytest.mark.parametrize("number, birth, gender", [
    (make_id("20050101", 1), dt.date(2005, 1, 1), "male"),
    (make_id("19991231", 2), dt.date(1999, 12, 31), "female"),
    (make_id("20040229", 19), dt.date(2004, 2, 29), "male"),
])
def test_birth_date_and_gender_come_from_the_id_number(scalar, number, birth, gender):
    """Digits 7-14 are the birth date; an odd 17th digit is male, even female."""
    assert scalar("ric_birth_date(?)", number) == birth
    assert scalar("ric_gender(?)", number) == gender


@pytest.mark.parametrize("path, row_no, zh, en", [
    ("/data/exports/团员_1.xlsx", 12, "保留团员_1.xlsx第12行", "kept 团员_1.xlsx row 12"),
    ("C:\\exports\\b.csv", 3, "保留b.csv第3行", "kept b.csv row 3"),
])
def test_kept_row_names_the_file_without_its_folder(scalar, path, row_no, zh, en):
    """Duplicate messages name the kept row's file (no folder) and row number."""
    assert scalar("kept_row_zh(?, ?)", path, row_no) == zh
    assert scalar("kept_row_en(?, ?)", path, row_no) == en


@pytest.mark.parametrize("lengths, expected", [
    ((500, 3), None),
    ((3, 501), ("职业", 200)),
    ((600, 501), ("姓名", 200)),
])
def test_long_value_problem_names_the_first_over_long_cell(scalar, lengths, expected):
    """A value of 501 characters is too long, 500 is not; the first such cell is named."""
    a, b = ("团" * n for n in lengths)
    got = scalar("case when greatest(length(?), length(?)) > 500 then long_value_problem("
                 "[{'c': '姓名', 'v': ?}, {'c': '职业', 'v': ?}]) end", a, b, a, b)
    assert (None if got is None else (got["column_name"], len(got["value"]))) == expected


# --- agreement with python-stdnum on generated numbers -------------------------------------

PREFIXES = ("440106", "110101", "360426", "310104", "510107", "330106", "420102", "230102",
            "650102", "440100", "110000", "999999", "000000")


def _with_check(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def _generated_numbers(n: int = 3000, seed: int = 20240901) -> list[str]:
    """Valid numbers and mutations of them: wrong check character, impossible birth date,
    wrong length, letters, lower-case x, years outside stdnum's county ranges."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        prefix = rng.choice(PREFIXES)
        birth = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 85))
        body = f"{prefix}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        number = _with_check(body)
        kind = rng.randrange(9)
        if kind == 1:
            number = number[:17] + rng.choice([c for c in "0123456789X" if c != number[17]])
        elif kind == 2:
            bad = rng.choice(["1301", "0001", "0230", "0431", "0100", "0932", "0229"])
            year = rng.choice(["2003", "2005", "1999", "2000", "1900"])
            number = _with_check(f"{prefix}{year}{bad}{rng.randrange(1000):03d}")
        elif kind == 3:
            number = number[:rng.choice([15, 16, 17])] if rng.random() < 0.5 else number + "1"
        elif kind == 4:
            pos = rng.randrange(17)
            number = number[:pos] + rng.choice("ABCXYZ") + number[pos + 1:]
        elif kind == 5:
            number = number.lower()
        elif kind == 6:
            number = number[:17] + rng.choice("ABYZ")
        elif kind == 7:
            number = _with_check(f"{prefix}0000{birth:%m%d}{rng.randrange(1000):03d}")
        out.append(number)
    # Numbers ending in X, in lower case too.
    for seq in range(200):
        number = make_id("19950615", seq)
        if number.endswith("X"):
            out += [number, number.lower()]
    return out


def _stdnum_shape(number: str) -> bool:
    """Whether stdnum finds length, digits, check character and birth date right."""
    try:
        ric.validate(number)
    except InvalidComponent:
        try:
            ric.get_birth_date(number)
        except InvalidComponent:
            return False
        return True  # only the birth place is unknown
    except ValidationError:
        return False
    return True


def _sql_checks(stage, numbers: list[str]) -> list[tuple[str, str | None, bool]]:
    """(number, ric_shape_problem, whole id_problem is null) as the staging queries see them."""
    con = stage({}, "orgs")
    con.execute("insert into raw_members (file_id, row_no, id_number) "
                "select 2, generate_subscripts(?, 1), unnest(?)", [numbers, numbers])
    build_ric_places(con)
    return con.execute("""
        select r.id_number, ric_shape_problem(norm_id(r.id_number)),
               id_problem(norm_id(r.id_number), null, ric_shape_problem(norm_id(r.id_number)),
                          p.is_known) is null
        from raw_members r
        left join ric_places p on p.prefix6 = norm_id(r.id_number)[1:6]
            and p.birth_year = try_cast(norm_id(r.id_number)[7:10] as integer)
        order by r.row_no
    """).fetchall()


def test_id_check_agrees_with_stdnum_on_generated_numbers(stage):
    """The whole ID check accepts exactly what stdnum.cn.ric.is_valid accepts (3000 numbers)."""
    numbers = _generated_numbers()
    checks = _sql_checks(stage, numbers)
    disagree = [(n, shape) for n, shape, ok in checks if ok != ric.is_valid(n)]
    assert disagree == []
    assert 300 < sum(ok for _, _, ok in checks) < len(checks) - 300


def test_ric_shape_problem_agrees_with_stdnum_on_generated_numbers(stage):
    """ric_shape_problem is null exactly when stdnum finds nothing wrong but the county."""
    numbers = _generated_numbers(seed=7)
    checks = _sql_checks(stage, numbers)
    disagree = [(n, shape) for n, shape, _ in checks if (shape is None) != _stdnum_shape(n)]
    assert disagree == []


def test_full_width_digits_are_read_as_stdnum_reads_them(scalar):
    """An ID number typed in full-width digits is the same number, as stdnum.cn.ric says."""
    number = make_id("20050101", 1)
    full_width = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert ric.is_valid(full_width)
    assert scalar("ric_shape_problem(norm_id(?))", full_width) is None
