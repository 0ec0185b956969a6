"""Files that cannot be used are skipped with a clear reason, never an exception; the rest load."""

from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path

import duckdb
import pytest

from etl.extract import extract
from etl.readers import reasons
from etl.readers.sniff import ENCRYPTION_INFO
from tests.etl.builders import (
    BRANCH,
    MEMBERS_HEADER,
    csv_bytes,
    member_row,
    raw,
    write_csv,
    write_xlsx,
)

msoffcrypto = pytest.importorskip("msoffcrypto")

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def encrypted_xlsx(path: Path, plain: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(plain, "rb") as src, open(path, "wb") as out:
        OOXMLFile(src).encrypt("secret", out)
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Every kind of bad file beside good ones, extracted in one call."""
    d = tmp_path_factory.mktemp("bad")
    good = write_xlsx(d / "00_good.xlsx", [MEMBERS_HEADER, member_row(1), member_row(2)])
    (d / "01_empty.xlsx").write_bytes(b"")
    (d / "02_empty.csv").write_bytes(b"")
    data = good.read_bytes()
    (d / "03_truncated.xlsx").write_bytes(data[: len(data) // 2])
    (d / "04_really_csv.xlsx").write_bytes(csv_bytes([MEMBERS_HEADER, member_row(4)], "gbk"))
    (d / "05_really_xlsx.csv").write_bytes(data)
    write_csv(d / "06_wrong_headers.csv",
              [("序号", "名字", "身份证", "支部"), ("1", "张三", "1", "一班")])
    encrypted_xlsx(d / "07_password.xlsx", good)
    (d / "08_random.xlsx").write_bytes(random.Random(7).randbytes(4096))
    (d / "09_image.csv").write_bytes(PNG)
    write_csv(d / "10_huge_cell.csv", [MEMBERS_HEADER, ("张三", "1", "一" * 5_000_000, "审核通过"),
                                       member_row(10)])
    write_csv(d / "11_header_only.csv", [("团员名单",), MEMBERS_HEADER, (), ("", "", "")])
    (d / "12_bad_encoding.csv").write_bytes(b"\x80\xff,\xfe\x80\n" * 5)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    (d / "13_archive.xlsx").write_bytes(buf.getvalue())
    write_xlsx(d / "14_no_sheet_known.xlsx", [("说明",)], sheet="说明",
               more_sheets={"数据": [("a", "b"), ("1", "2")]})
    (d / "15_blank.csv").write_text("\n\n \n", encoding="utf-8")
    write_csv(d / "16_good.csv", [MEMBERS_HEADER, member_row(16)])
    # An OLE2 container that holds no workbook (as a Word .doc would).
    other = (d / "07_password.xlsx").read_bytes().replace(
        ENCRYPTION_INFO, "EncryptionInfX".encode("utf-16-le"))
    (d / "17_document.xls").write_bytes(other)
    paths = sorted(d.iterdir())
    con = duckdb.connect()
    results = extract(paths, con)
    by_name = {Path(r.path).name: r for r in results}
    yield by_name, con
    con.close()


def reason(corpus, name):
    r = corpus[0][name]
    return (r.status, r.rows_read, (r.reason_zh, r.reason_en))


@pytest.mark.parametrize(("name", "expected"), [
    ("01_empty.xlsx", reasons.EMPTY_FILE),
    ("02_empty.csv", reasons.EMPTY_FILE),
    ("03_truncated.xlsx", reasons.corrupt("File is not a zip file")),
    ("07_password.xlsx", reasons.PASSWORD),
    ("08_random.xlsx", reasons.binary(None)),
    ("09_image.csv", reasons.binary("png")),
    ("11_header_only.csv", reasons.NO_DATA),
    ("12_bad_encoding.csv", reasons.ENCODING),
    ("13_archive.xlsx", reasons.binary("zip")),
    ("15_blank.csv", reasons.NO_CONTENT),
    ("17_document.xls", reasons.binary("ole2")),
])
def test_a_bad_file_is_skipped_with_its_reason(corpus, name, expected):
    """Each problem is named, in Chinese and English, and nothing is read from the file."""
    assert reason(corpus, name) == ("skipped", 0, expected)


def test_reason_texts_read_well():
    """The reasons say what is wrong in words a user understands."""
    assert reasons.EMPTY_FILE == ("文件为空（0 字节）", "empty file (0 bytes)")
    assert reasons.binary("png") == ("不是电子表格文件（PNG 图片）",
                                     "binary file that is not a spreadsheet (a PNG image)")
    assert reasons.PASSWORD[1] == ("password-protected workbook: remove the password and save "
                                   "it again")
    assert reasons.corrupt("x")[1] == "corrupt or truncated workbook, cannot be opened (x)"


def test_wrong_headers_name_what_was_found_and_what_is_missing(corpus):
    """The closest kind and its missing required columns are named in Chinese headers."""
    status, count, (zh, en) = reason(corpus, "06_wrong_headers.csv")
    assert (status, count) == ("skipped", 0)
    assert zh == "未识别表头：前 30 行中没有任何已知列名（第 1 行为「序号、名字、身份证、支部」）"
    assert en == ("header not recognised: no known column in the first 30 rows "
                  "(row 1 has [序号, 名字, 身份证, 支部])")


def test_a_workbook_with_no_recognised_sheet_gives_each_sheets_reason(corpus):
    """Every sheet's problem is listed; the file is one skipped row."""
    r = corpus[0]["14_no_sheet_known.xlsx"]
    assert (r.status, r.sheet) == ("skipped", None)
    assert r.reason_zh == (
        "工作簿中没有可识别的工作表。"
        "工作表「说明」：未识别表头：前 30 行中没有任何已知列名（第 1 行为「说明」）；"
        "工作表「数据」：未识别表头：前 30 行中没有任何已知列名（第 1 行为「a、b」）")
    assert r.reason_en.startswith("no sheet of the workbook was recognised. sheet '说明': ")


def test_misnamed_files_load_by_their_content(corpus):
    """An .xlsx that is CSV text and a .csv that is a workbook both load."""
    by_name, con = corpus
    assert (by_name["04_really_csv.xlsx"].status, by_name["04_really_csv.xlsx"].encoding) == (
        "read", "gbk")
    assert (by_name["05_really_xlsx.csv"].status, by_name["05_really_xlsx.csv"].sheet) == (
        "read", "Sheet1")
    ids = {name: r.file_id for name, r in by_name.items()}
    got = raw(con, "members", "name")
    assert (ids["04_really_csv.xlsx"], 2, "学生4") in got
    assert [(f, n, v) for f, n, v in got if f == ids["05_really_xlsx.csv"]] == [
        (ids["05_really_xlsx.csv"], 2, "学生1"), (ids["05_really_xlsx.csv"], 3, "学生2")]


def test_a_huge_cell_is_read_for_validation_to_quarantine(corpus):
    """A 5 MB cell does not stop the file; the row is there for validation to reject."""
    by_name, con = corpus
    r = by_name["10_huge_cell.csv"]
    assert (r.status, r.rows_read) == ("read", 2)
    got = con.execute("select row_no, length(branch) from raw_members where file_id = ? "
                      "order by row_no", [r.file_id]).fetchall()
    assert got == [(2, 5_000_000), (3, len(BRANCH))]


def test_good_files_in_the_same_call_still_load(corpus):
    """Bad files take nothing away from the good ones beside them."""
    by_name, con = corpus
    assert [(r.file_id, r.status, r.rows_read) for r in by_name.values()
            if "good" in r.path] == [(1, "read", 2), (17, "read", 1)]
    assert con.execute("select count(*) from files").fetchone() == (18,)
    assert con.execute("select count(*) from files where status = 'skipped'").fetchone() == (13,)


def test_a_file_that_vanishes_or_cannot_be_opened_is_skipped(tmp_path):
    """A path that cannot be read is reported like any other bad file."""
    con = duckdb.connect()
    missing = tmp_path / "gone.csv"
    [r] = extract([missing], con)
    assert (r.status, r.rows_read) == ("skipped", 0)
    assert r.reason_en.startswith("file cannot be read (FileNotFoundError")
    if os.geteuid() != 0:  # root reads everything
        locked = write_csv(tmp_path / "locked.csv", [MEMBERS_HEADER, member_row(1)])
        locked.chmod(0)
        [r] = extract([locked], con)
        assert r.status == "skipped"
