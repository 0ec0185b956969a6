"""extract(): files in, the `files` table and raw_<kind> tables out, exactly as written."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from etl import labels
from etl.extract import FileResult, extract, source_files
from etl.readers import bulkload
from tests.etl.builders import (
    BRANCH,
    MEMBERS_HEADER,
    files,
    member_row,
    raw,
    write_csv,
    write_xlsx,
)


@pytest.fixture
def con():
    c = duckdb.connect()
    yield c
    c.close()


def test_every_raw_table_exists_even_when_empty(con, tmp_path):
    """One raw_<kind> per kind, with the kind's columns in order, file_id, row_no and extra."""
    extract([], con)
    for kind, cols in labels.HEADERS.items():
        got = [r[0] for r in con.execute(f"describe raw_{kind}").fetchall()]
        assert got == ["file_id", "row_no", *cols, "extra"]
    assert con.execute("select count(*) from files").fetchone() == (0,)


EXAMPLES = {
    "orgs": [("组织ID", "上级组织ID", "组织类型", "团组织全称"),
             ("r-U==", "r-P==", "团委", "某大学团委")],
    "members": [MEMBERS_HEADER, member_row(1)],
    "cadres": [("姓名", "身份证号码", "所在组织", "团内现任职务", "是否入驻企业号"),
               ("李书记", "440106200501010011", "某大学团委", "书记", "是")],
    "transfers": [("姓名", "身份证号码", "申请时间", "转出团组织", "转入团组织", "处理状态"),
                  ("王五", "440106200501010022", "2024-09-01", "甲支部", "乙支部", "接转成功")],
    "dues": [("月份", "团员姓名", "所在团支部", "当月应交金额（元）", "当月交纳状态"),
             ("2024-09", "张三", BRANCH, "0.2", "已交")],
    "campaigns": [("任务名称", "截止日期", "组织ID"), ("2024级新生报到", "2024-09-30", "r-U==")],
    "roster": [("任务名称", "姓名", "身份证号码", "所在团支部"),
               ("2024级新生报到", "张三", "440106200501010033", BRANCH)],
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", list(EXAMPLES))
def test_each_kind_is_recognised_and_read(con, tmp_path, kind, fmt):
    """Each kind lands in its raw table, absent columns NULL, whatever the file is called."""
    header, row = EXAMPLES[kind]
    path = tmp_path / f"export.{fmt}"
    (write_csv if fmt == "csv" else write_xlsx)(path, [header, row])
    [result] = extract([path], con)
    assert (result.kind, result.status, result.rows_read, result.header_row) == (kind, "read", 1, 1)
    cols = list(labels.HEADERS[kind])
    index = labels.header_index(kind)
    expected = {index[labels.normalize_header(h)]: v for h, v in zip(header, row, strict=True)}
    assert raw(con, kind, *cols) == [(1, 2, *[expected.get(c) for c in cols])]


def test_files_row_records_how_the_file_was_read(con, tmp_path):
    """path, sheet, kind, encoding, header row, title, rows and bytes are recorded."""
    path = write_csv(tmp_path / "a.csv", [("团员名单",), MEMBERS_HEADER, member_row(1),
                                          member_row(2)], encoding="gbk")
    [result] = extract([path], con)
    assert result == FileResult(1, str(path), None, "members", "gbk", 2, "团员名单", 2,
                                path.stat().st_size, "read", None, None)
    assert files(con, "*") == [(1, str(path), None, "members", "gbk", 2, "团员名单", 2,
                                path.stat().st_size, "read", None, None)]


def test_title_rows_above_the_header_give_the_title_and_row_numbers_count_them(con, tmp_path):
    """A dues file whose month is only in its title: title kept, rows numbered as Excel shows."""
    path = write_xlsx(tmp_path / "dues.xlsx", [
        ("2024年09月团费交纳明细",),
        ("填报单位：某大学团委", None, "导出时间：2024-10-08"),
        (),
        ("团员姓名", "所在团支部", "当月应交金额（元）", "当月交纳状态"),
        ("张三", BRANCH, 0.2, "已交"),
        ("李四", BRANCH, 3, "未交"),
    ], merges=["A1:D1"])
    [result] = extract([path], con)
    assert (result.header_row, result.title) == (
        4, "2024年09月团费交纳明细 填报单位：某大学团委 导出时间：2024-10-08")
    assert raw(con, "dues", "month", "name", "amount_due", "paid_status") == [
        (1, 5, None, "张三", "0.2", "已交"), (1, 6, None, "李四", "3", "未交")]


def test_shuffled_columns_and_unknown_extras(con, tmp_path):
    """Column order does not matter; unknown columns are kept as JSON in `extra`."""
    path = write_csv(tmp_path / "m.csv", [
        ("备注", "报到资料状态", "所在团支部", "序号", "身份证号码", "姓名", ""),
        ("转入", "审核通过", BRANCH, "1", "440106200601010011", "张三", "x"),
        ("", "报到待审核", BRANCH, "2", "440106200601010022", "李四", ""),
    ])
    extract([path], con)
    rows = raw(con, "members", "name", "id_number", "branch", "registration_status", "extra")
    assert rows == [
        (1, 2, "张三", "440106200601010011", BRANCH, "审核通过",
         '{"备注":"转入","序号":"1","列7":"x"}'),
        (1, 3, "李四", "440106200601010022", BRANCH, "报到待审核", '{"序号":"2"}'),
    ]
    assert json.loads(rows[0][-1]) == {"备注": "转入", "序号": "1", "列7": "x"}


def test_header_aliases_and_both_kinds_of_parentheses(con, tmp_path):
    """身份证号, *当月交纳状态 and 当月应交金额(元) are their columns."""
    path = write_csv(tmp_path / "d.csv", [
        ("*团员姓名", "所在团支部", "当月应交金额(元)", "＊当月交纳状态", "身份证号",
         "自愿交费金额(元)"),
        ("张三", BRANCH, "0.2", "已交", "440106200601010011", "10"),
    ])
    extract([path], con)
    assert raw(con, "dues", "name", "amount_due", "paid_status", "id_number",
               "voluntary_amount", "extra") == [
        (1, 2, "张三", "0.2", "已交", "440106200601010011", "10", None)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_are_detected_and_recorded(con, tmp_path, encoding):
    """UTF-8, UTF-8 with BOM, GBK and GB18030 read to the same text."""
    name = "张㐀三" if encoding in ("gb18030", "utf-8", "utf-8-sig") else "张三"
    path = write_csv(tmp_path / "m.csv", [MEMBERS_HEADER, (name, *member_row(1)[1:])],
                     encoding=encoding)
    [result] = extract([path], con)
    assert result.encoding == encoding
    assert raw(con, "members", "name", "branch") == [(1, 2, name, BRANCH)]


def test_an_excel_saved_gbk_csv(con, tmp_path):
    """What Excel writes on Chinese Windows: GBK, CRLF, padded title row, quoted commas."""
    text = ("2024级新生团员名单,,,,\r\n"
            "姓名,身份证号码,所在团支部,报到资料状态,资料审核时间\r\n"
            "张三,440106200601010011,\"某大学,计算机学院团支部\",审核通过,2024/9/2 10:00\r\n"
            ",,,,\r\n"
            "李四,4.40106E+17,某大学计算机学院团支部,报到待审核,45537\r\n")
    path = tmp_path / "名单.csv"
    path.write_bytes(text.encode("gbk"))
    [result] = extract([path], con)
    assert (result.encoding, result.header_row, result.title) == ("gbk", 2, "2024级新生团员名单")
    assert raw(con, "members", "name", "id_number", "branch", "reviewed_at") == [
        (1, 3, "张三", "440106200601010011", "某大学,计算机学院团支部", "2024/9/2 10:00"),
        (1, 5, "李四", "4.40106E+17", "某大学计算机学院团支部", "45537"),
    ]


def test_tab_and_semicolon_delimiters_are_sniffed(con, tmp_path):
    """A tab- or semicolon-separated file reads like a comma-separated one."""
    a = write_csv(tmp_path / "a.csv", [MEMBERS_HEADER, member_row(1)], delimiter="\t")
    b = write_csv(tmp_path / "b.txt", [MEMBERS_HEADER, member_row(2)], delimiter=";")
    extract([a, b], con)
    assert raw(con, "members", "name") == [(1, 2, "学生1"), (2, 2, "学生2")]


def test_merged_title_and_merged_data_cells(con, tmp_path):
    """A branch merged down several rows applies to each; the merged title is just a title."""
    path = write_xlsx(tmp_path / "m.xlsx", [
        ("2024级团员名单",),
        ("姓名", "身份证号码", "所在团支部", "报到资料状态"),
        ("甲", "1", "一班团支部", "审核通过"),
        ("乙", "2", None, "审核通过"),
        ("丙", "3", None, "报到待审核"),
        (),
        ("丁", "4", "二班团支部", "审核通过"),
        (),
        ("戊", "5", None, "审核通过"),
    ], merges=["A1:D1", "C3:C5", "C7:C8"])
    [result] = extract([path], con)
    assert (result.title, result.rows_read) == ("2024级团员名单", 5)
    # Row 8 lies under the merged C7:C8 but is otherwise blank: it stays a blank row.
    assert raw(con, "members", "name", "branch", "registration_status") == [
        (1, 3, "甲", "一班团支部", "审核通过"),
        (1, 4, "乙", "一班团支部", "审核通过"),
        (1, 5, "丙", "一班团支部", "报到待审核"),
        (1, 7, "丁", "二班团支部", "审核通过"),
        (1, 9, "戊", None, "审核通过"),
    ]


def test_dates_as_excel_dates_and_as_text(con, tmp_path):
    """Real dates become ISO text; dates typed as text are kept as typed."""
    path = write_xlsx(tmp_path / "t.xlsx", [
        ("姓名", "身份证号码", "申请时间", "转出团组织", "转入团组织", "处理状态", "完成时间"),
        ("甲", "1", dt.datetime(2024, 9, 1, 13, 45), "A", "B", "接转成功", dt.date(2024, 9, 3)),
        ("乙", "2", "2024/9/1", "A", "B", 5, "2024年9月3日"),
        ("丙", "3", dt.datetime(2024, 9, 2), "A", "B", True, 45538.5),
    ])
    extract([path], con)
    assert raw(con, "transfers", "created_at", "status", "completed_at") == [
        (1, 2, "2024-09-01 13:45:00", "接转成功", "2024-09-03"),
        (1, 3, "2024/9/1", "5", "2024年9月3日"),
        (1, 4, "2024-09-02", "是", "45538.5"),
    ]


def test_sheet_offset_and_blank_rows_keep_excel_row_numbers(con, tmp_path):
    """Data starting at C3, with blank rows: row_no is the row Excel shows."""
    path = write_xlsx(tmp_path / "o.xlsx", [
        ("任务名称", "截止日期", "组织ID"),
        (),
        ("秋季报到", "2024-09-30", "r-U=="),
        (None, None, None),
        ("  ", "\u3000", None),
        ("春季报到", "2025-03-31", "r-U=="),
    ], start="C3")
    [result] = extract([path], con)
    assert (result.header_row, result.rows_read) == (3, 2)
    assert raw(con, "campaigns", "campaign", "extra") == [(1, 5, "秋季报到", None),
                                                          (1, 8, "春季报到", None)]


def test_csv_row_numbers_are_line_numbers(con, tmp_path):
    """Title rows, blank lines and a quoted line break: row_no is the line a record starts on."""
    path = tmp_path / "r.csv"
    path.write_text("团员名单\n\n" + "姓名,身份证号码,所在团支部,报到资料状态\n"
                    "甲,1,一班,审核通过\n\n,,,\n乙,2,\"一班\n（合并）\",审核通过\n丙,3,一班,审核通过\n",
                    encoding="utf-8")
    [result] = extract([path], con)
    assert (result.header_row, result.rows_read) == (3, 3)
    assert raw(con, "members", "name", "branch") == [
        (1, 4, "甲", "一班"), (1, 7, "乙", "一班\n（合并）"), (1, 9, "丙", "一班")]


def test_a_workbook_gives_a_files_row_per_recognised_sheet(con, tmp_path):
    """Sheets of other kinds in one workbook each load; an instructions sheet is passed over."""
    path = write_xlsx(tmp_path / "w.xlsx", [("填表说明",), ("请勿修改表头",)], sheet="说明",
                      more_sheets={"团员": [MEMBERS_HEADER, member_row(1)],
                                   "组织": EXAMPLES["orgs"]})
    results = extract([path], con)
    assert [(r.file_id, r.sheet, r.kind, r.rows_read) for r in results] == [
        (1, "团员", "members", 1), (2, "组织", "orgs", 1)]
    assert raw(con, "orgs", "org_id") == [(2, 2, "r-U==")]


def test_many_small_files_in_one_call(con, tmp_path):
    """Files read in worker processes keep sorted-path file_ids and their own rows."""
    for i in range(40):
        rows = [MEMBERS_HEADER] + [member_row(i * 100 + r) for r in range(i % 3 + 1)]
        if i % 2:
            write_xlsx(tmp_path / "src" / f"b{i:02d}.xlsx", rows)
        else:
            write_csv(tmp_path / "src" / f"b{i:02d}.csv", rows)
    paths = source_files(tmp_path / "src")
    seen = []
    results = extract(list(reversed(paths)), con, workers=2, on_file=seen.append)
    assert [r.file_id for r in results] == list(range(1, 41))
    assert [Path(r.path).name for r in results] == [p.name for p in paths]
    assert sorted(r.file_id for r in seen) == list(range(1, 41))
    expected = [(i + 1, r + 2, f"学生{i * 100 + r}") for i in range(40) for r in range(i % 3 + 1)]
    assert raw(con, "members", "name") == expected
    assert [r.rows_read for r in results] == [i % 3 + 1 for i in range(40)]


def test_source_files_are_sorted_recursive_and_skip_hidden_and_lock_files(tmp_path):
    """A folder is searched recursively; hidden files and ~$ lock files are left out."""
    for name in ("b.csv", "a/c.xlsx", "a/~$c.xlsx", ".hidden.csv", ".git/x.csv", "a/Thumbs.db"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert source_files(tmp_path) == [tmp_path / "a" / "c.xlsx", tmp_path / "b.csv"]
    assert source_files(tmp_path / "b.csv") == [tmp_path / "b.csv"]




@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_large_csv_goes_through_duckdb_with_exact_row_numbers(con, tmp_path, monkeypatch,
                                                                  encoding):
    """200k rows by DuckDB's reader (no Python fallback): values and line numbers exact."""
    path = tmp_path / "big.csv"
    text = ["2024年团员名单,,,", "", ",".join(MEMBERS_HEADER)]
    expected, line = [], 3
    for i in range(200_000):
        if i % 50_000 == 17:
            text.append("")
            line += 1
        line += 1
        if i % 40_000 == 5:
            text.append(f'学生{i},{i}, "一班\n团支部",审核通过,')
            expected.append((1, line, f"学生{i}", str(i), "一班\n团支部", None))
            line += 1  # the record's second line
        else:
            text.append(f"学生{i},{i}, {BRANCH} ,审核通过,\u3000")
            expected.append((1, line, f"学生{i}", str(i), BRANCH, None))
    path.write_bytes(("\n".join(text) + "\n").encode(encoding))

    def no_fallback(*args):
        raise AssertionError("read in Python")

    monkeypatch.setattr(bulkload, "insert_python", no_fallback)
    [result] = extract([path], con, bulk_bytes=1 << 20)
    assert (result.status, result.rows_read, result.header_row, result.title) == (
        "read", 200_000, 3, "2024年团员名单")
    assert result.encoding == ("utf-8" if encoding == "utf-8" else "gbk")
    assert raw(con, "members", "name", "id_number", "branch", "reviewed_at") == expected


def test_a_large_csv_duckdb_cannot_follow_is_read_in_python(con, tmp_path):
    """Rows far wider than the header: the exact Python reader takes over, extras kept."""
    rows = [MEMBERS_HEADER] + [member_row(i) for i in range(3000)]
    rows[100] = (*rows[100], *[f"x{j}" for j in range(12)])
    path = write_csv(tmp_path / "wide.csv", rows)
    [result] = extract([path], con, bulk_bytes=1000)
    assert (result.status, result.rows_read) == ("read", 3000)
    got = raw(con, "members", "name", "extra")
    assert got[99] == (1, 101, "学生99", json.dumps(
        {f"列{6 + j}": f"x{j}" for j in range(12)}, ensure_ascii=False, separators=(",", ":")))
    assert got[0] == (1, 2, "学生0", None)
    assert len(got) == 3000


def test_a_large_csv_whose_name_looks_like_a_glob_pattern(con, tmp_path, monkeypatch):
    """Brackets in a file name do not send DuckDB looking for other files."""
    rows = [MEMBERS_HEADER] + [member_row(i) for i in range(50)]
    path = write_csv(tmp_path / "团员[1]*.csv", rows)
    monkeypatch.setattr(bulkload, "insert_python", None)
    [result] = extract([path], con, bulk_bytes=100)
    assert (result.status, result.rows_read, result.path) == ("read", 50, str(path))
    assert raw(con, "members", "name")[-1] == (1, 51, "学生49")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_large_and_small_paths_agree(con, tmp_path):
    """The same file read in Python and by DuckDB gives the same raw rows."""
    rows = [("名单",), (), ("备注", *MEMBERS_HEADER, "")]
    rows += [(f"备{i}" if i % 3 else "", *member_row(i), "尾" if i == 7 else "")
             for i in range(500)]
    path = write_csv(tmp_path / "same.csv", rows, encoding="gbk", newline="\r\n")
    cols = list(labels.HEADERS["members"]) + ["extra"]
    extract([path], con)
    small = raw(con, "members", *cols)
    extract([path], con, bulk_bytes=100)
    assert raw(con, "members", *cols) == small
    assert len(small) == 500 and small[7][-1] == '{"备注":"备7","列7":"尾"}'


def test_large_files_read_and_loaded_before_their_turn_keep_path_order(con, tmp_path,
                                                                       monkeypatch):
    """Large files go to the workers first and small bulk CSVs load on a side thread under a
    stand-in id: file_ids, rows, counts and reports are those of a plain serial read."""
    from etl import extract as extract_module

    src = tmp_path / "src"
    for i in range(30):
        rows = [MEMBERS_HEADER] + [member_row(i * 1000 + r) for r in range(i % 4 + 1)]
        if i % 5 == 0:  # a large CSV: DuckDB's reader (bulk_bytes below), maybe before its turn
            rows = [MEMBERS_HEADER] + [member_row(i * 1000 + r) for r in range(60 + i)]
            write_csv(src / f"b{i:02d}.csv", rows)
        elif i % 5 == 1:  # a workbook of two sheets: two file_ids, known only once read
            write_xlsx(src / f"b{i:02d}.xlsx", rows, more_sheets={"组织": EXAMPLES["orgs"]})
        elif i == 7:  # a large CSV without data rows: skipped, its stand-in rows gone
            write_csv(src / f"b{i:02d}.csv", [MEMBERS_HEADER] + [("",) * 6] * 400)
        else:
            write_csv(src / f"b{i:02d}.csv", rows)
    paths = source_files(src)
    cols = ("name", "id_number", "extra")

    serial = extract(paths, con, workers=1, bulk_bytes=2000)
    expected = (serial, raw(con, "members", *cols), raw(con, "orgs", "org_id"))
    monkeypatch.setattr(extract_module, "LARGE_FIRST_BYTES", 1500)
    early, start = extract_module._Reads.early, extract_module._Beside.start
    started: list[int] = []

    def eager(self):  # every large file is read before the load comes to it
        for i in self._early:
            self._entries[i].result()
        return early(self)

    def counted(self, index, part):
        started.append(index)
        start(self, index, part)

    monkeypatch.setattr(extract_module._Reads, "early", eager)
    monkeypatch.setattr(extract_module._Beside, "start", counted)
    seen: list = []
    ahead = extract(paths, con, workers=2, bulk_bytes=2000, on_file=seen.append)
    assert (ahead, raw(con, "members", *cols), raw(con, "orgs", "org_id")) == expected
    # every file reported once, with its first files row
    firsts = sorted({r.path: r.file_id for r in reversed(ahead)}.values())
    assert sorted(r.file_id for r in seen) == firsts and len(firsts) == 30
    assert any(r.status == "skipped" and Path(r.path).name == "b07.csv" for r in ahead)
    assert con.execute("select count(*) from raw_members where file_id < 0").fetchone() == (0,)
    assert len(started) >= 5  # the large CSVs after the first (b07 among them)
