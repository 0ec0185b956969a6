"""The readers' pieces: cell values, content and encoding sniffing, header recognition."""

from __future__ import annotations

import codecs
import datetime as dt

import pytest

from etl import labels
from etl.readers import header as header_mod
from etl.readers.bulkscan import LineScanner
from etl.readers.header import explain, recognise
from etl.readers.sniff import detect_encoding, sniff
from etl.readers.values import cell_to_str, clean


@pytest.mark.parametrize(("value", "expected"), [
    (123.0, "123"),
    (0.2, "0.2"),
    (1 / 3, "0.3333333333333333"),
    (-5.0, "-5"),
    (42, "42"),
    (True, "是"),
    (False, "否"),
    (dt.date(2024, 9, 1), "2024-09-01"),
    (dt.datetime(2024, 9, 1, 13, 45, 7), "2024-09-01 13:45:07"),
    (dt.time(8, 30), "08:30:00"),
    ("  张三\u3000", "张三"),
    ("\u00a0a b\u00a0", "a b"),
    ("\ufeff审核通过", "审核通过"),
    ("\u3000", None),
    ("", None),
    (None, None),
])
def test_cells_become_trimmed_text_without_interpretation(value, expected):
    """Numbers lose a trailing .0, dates are ISO text, booleans 是/否, blanks NULL."""
    assert cell_to_str(value) == expected


def test_clean_keeps_inner_spaces():
    """Only the ends are trimmed: a value is not otherwise changed."""
    assert clean(" 某大学 计算机学院 ") == "某大学 计算机学院"


@pytest.mark.parametrize(("head", "form"), [
    (b"", "empty"),
    (b"PK\x03\x04rest", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "ole2"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
    (b"%PDF-1.7", "pdf"),
    ("姓名,身份证号码\n".encode("gbk"), "text"),
    (b"\xef\xbb\xbfa,b", "text"),
    (b"a,b\x00\x01\x02", "binary"),
])
def test_content_is_sniffed_from_the_first_bytes(head, form):
    """The file's bytes, not its name, say what it is."""
    assert sniff(head) == form


TEXT = "姓名,所在团支部\n张三,某大学计算机学院团支部\n"


@pytest.mark.parametrize(("data", "expected"), [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("gbk"), "gbk"),
    ((TEXT + "㐀€").encode("gb18030"), "gb18030"),  # characters GBK does not have
    (b"\xff\xff\xff\x80\x80", None),
])
def test_encoding_is_detected(data, expected):
    """UTF-8 (with or without BOM), GBK, GB18030, or none of them."""
    assert detect_encoding(data, complete=True) == expected


def test_a_sample_cut_inside_a_character_is_still_utf8():
    """A multibyte character cut by the sample's end does not make UTF-8 look like GBK."""
    data = ("姓名" * 100).encode("utf-8")
    assert detect_encoding(data[:100], complete=False) == "utf-8"
    assert detect_encoding(data[:100], complete=True) != "utf-8"


def required_header(kind: str) -> list[str]:
    """The first header name of the first column of each required group."""
    return [labels.HEADERS[kind][group[0]][0] for group in labels.REQUIRED[kind]]


@pytest.mark.parametrize("kind", list(labels.HEADERS))
def test_each_kind_is_recognised_from_its_required_headers(kind):
    """The required columns alone make the kind; so do all its columns."""
    assert recognise([required_header(kind)]).kind == kind
    every = [names[0] for names in labels.HEADERS[kind].values()]
    assert recognise([every]).kind == kind


@pytest.mark.parametrize(("cells", "column"), [
    (["身份证号", "姓名", "所在团支部", "报到资料状态"], "id_number"),
    (["*姓名", "＊身份证号码", "所在团支部", "报到资料状态"], "name"),
    (["姓 名", "身份证号码", "所在团支部：", "报到资料状态"], "branch"),
])
def test_header_aliases_stars_and_spaces_are_accepted(cells, column):
    """Aliases, required-field stars and stray spaces still name the column."""
    h = recognise([cells])
    assert h.kind == "members"
    assert column in h.columns.values()


def test_half_and_full_width_parentheses_are_the_same_header():
    """当月应交金额(元) and 当月应交金额（元） are one column."""
    for amount in ("当月应交金额(元)", "当月应交金额（元）"):
        h = recognise([["团员姓名", "所在团支部", amount, "当月交纳状态"]])
        assert (h.kind, h.columns[2]) == ("dues", "amount_due")


def test_the_header_may_sit_below_title_rows_and_in_any_order():
    """The first row with every required column is the header, columns in any order."""
    rows = [["2024年09月团费交纳明细"], [], ["当月交纳状态", "备注", "所在团支部", "团员姓名",
                                           "当月应交金额（元）"]]
    h = recognise(rows)
    assert (h.position, h.kind) == (2, "dues")
    assert h.columns == {0: "paid_status", 2: "branch", 3: "name", 4: "amount_due"}
    assert h.extras == {1: "备注"}


def test_a_repeated_column_keeps_the_first_and_sends_the_second_to_extra():
    """Two 姓名 columns: the first is the column, the second an extra."""
    h = recognise([["姓名", "身份证号码", "所在团支部", "报到资料状态", "姓名", "备注", "备注"]])
    assert h.columns == {0: "name", 1: "id_number", 2: "branch", 3: "registration_status"}
    assert h.extras == {4: "姓名", 5: "备注", 6: "备注#2"}


def test_the_kind_with_most_known_columns_wins():
    """A row that has what two kinds require goes to the one it matches more of."""
    row = ["任务名称", "截止日期", "组织ID", "上级组织ID", "组织类型", "团组织全称"]
    assert recognise([row]).kind == "orgs"


def test_rows_beyond_the_first_30_are_not_searched():
    """Only the first 30 rows may hold the header."""
    rows = [["说明"]] * 30 + [required_header("members")]
    assert recognise(rows) is None
    assert recognise(rows[1:]).position == 29


def test_an_unrecognised_header_names_the_closest_kind_and_what_it_lacks():
    """The reason shows the headers found and the missing required columns in Chinese."""
    rows = [["团员花名册"], ["姓名", "身份证号码", "所在团支部", "联系电话"]]
    zh, en = explain(rows, [1, 2])
    assert zh == ("未识别表头：第 2 行的列为「姓名、身份证号码、所在团支部、联系电话」；"
                  "最接近「团员」，缺少必填列：报到资料状态")
    assert en == ("header not recognised: row 2 has columns "
                  "[姓名, 身份证号码, 所在团支部, 联系电话]; "
                  "closest kind is members, missing required columns: 报到资料状态")


def test_missing_alternatives_are_named_together():
    """A group of alternatives (所在组织 or 组织ID) is named as such."""
    zh, en = explain([["姓名", "身份证号码", "团内现任职务", "是否入驻企业号"]], [1])
    assert zh.endswith("最接近「团干部」，缺少必填列：所在组织或组织ID")
    assert en.endswith("closest kind is cadres, missing required columns: 所在组织 or 组织ID")


def test_a_header_with_no_known_column_is_shown_as_found():
    """Nothing known at all: the fullest row is shown."""
    assert explain([["a", "b"], ["x", "y", "z"]], [1, 2]) == (
        "未识别表头：前 30 行中没有任何已知列名（第 2 行为「x、y、z」）",
        "header not recognised: no known column in the first 30 rows (row 2 has [x, y, z])",
    )


def test_scan_limit_is_thirty_rows():
    assert header_mod.SCAN_ROWS == 30


def scan(data: bytes, skip: int, chunk: int = 7) -> LineScanner:
    s = LineScanner(skip)
    for i in range(0, len(data), chunk):
        s.feed(data[i:i + chunk])
    s.finish()
    return s


def test_line_scanner_follows_blank_lines_and_quoted_line_breaks():
    """Record ordinals and line numbers part ways at blank lines and at quoted newlines."""
    data = b't\nh1,h2\na,1\n\nb,"x\ny"\nc,2\r\n\r\nd,3'
    s = scan(data, skip=2)
    # records: a (line 3), b (line 5, to 6), c (line 7), d (line 9): line = 3 + ordinal + offset
    assert s.records == 4
    assert s.offsets == [(1, 1), (2, 2), (3, 3)]
    assert s.quoted_newlines


def test_line_scanner_fast_path_counts_plain_lines():
    """Plain lines: one record each, no offsets."""
    data = b"h\n" + b"".join(b"%d,x\n" % i for i in range(1000))
    s = scan(data, skip=1, chunk=4096)
    assert (s.records, s.offsets, s.quoted_newlines) == (1000, [], False)
