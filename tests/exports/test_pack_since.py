"""The meeting pack's "since the last meeting" part on the hand-written province loaded three
times (tests/followups/history.py): since the previous pack built for the organization (the
audit log has its load), since a date given to `zhtj report --since`, or since the previous
load; in the PDF (a page of figures per kind, then each list's first rows), the slides and the
workbook (a sheet)."""

from __future__ import annotations

import io

import pytest

from accounts.audit import AuditLog
from dashboard import access, context
from dashboard.store import DataStore
from dashboard.view import View
from etl.cli import main
from exports import pack, pdf, slides
from exports.content import collect
from tests.exports.conftest import needs_chromium
from tests.followups import history

PROVINCE = "共青团示例省委员会"


@pytest.fixture(scope="module")
def loads(tmp_path_factory):
    """The databases after one, two and three loads (the same history, a week apart)."""
    folder = tmp_path_factory.mktemp("pack_since")
    history.build(folder)
    return {n: folder / f"load{n}.duckdb" for n in (1, 2, 3)}


def ctx_of(db, org="P", **view):
    store = DataStore(db)
    ctx = context.resolve(store, View(org=org, **view))
    assert ctx.problem is None
    return store, ctx


def figures(part) -> dict:
    return {k["kind"]: (k["open"], k["new"], k["resolved"], k["open_over_14_days"])
            for k in part.kinds}


def test_without_an_earlier_pack_the_part_starts_at_the_previous_load(loads):
    store, ctx = ctx_of(loads[3])
    p = collect(store, ctx, built_by="x", draw=False)
    s = p.since
    assert s.period.from_load == 2 and s.basis == "此前没有为本组织生成过会议材料：期初为上一次导入"
    assert figures(s)["cadre_out_of_scope"] == (2, 1, 1, 1)
    assert s.total == {"open": 18, "new": 1, "resolved": 2, "open_over_14_days": 16,
                       "was_open": 19}
    assert [lst.title for lst in s.lists] == ["已解决的事项", "新增的事项", "超过14天仍未解决的事项"]
    resolved = s.lists[0]
    assert resolved.total == 2 and list(resolved.rows["组织"]) == [
        "计算机学院2024级1班团支部", "计算机学院2024级2班团支部"]
    assert list(resolved.rows["详情"])[0] == "c*（组织委员）"  # masked: a viewer
    over = s.lists[2]
    assert over.total == 16 and len(over.rows) == 15  # the first rows; the page has them all


def test_the_part_starts_where_the_previous_pack_for_the_organization_was(loads, tmp_path):
    """A pack built for P on load 1 (recorded in the audit log with its load), then one on load
    3: since load 1. A pack for another organization, or one on the same load, does not
    count."""
    log = AuditLog(tmp_path / "audit.sqlite")
    with access.acting_as(access.local_account(), log):
        pack.build(*ctx_of(loads[1]), ["xlsx"], built_by="x")
        pack.build(*ctx_of(loads[2], org="U"), ["xlsx"], built_by="x")
        first = pack.build(*ctx_of(loads[3]), ["xlsx"], built_by="x")
        again = pack.build(*ctx_of(loads[3]), ["xlsx"], built_by="x")
    assert [e["detail"]["load_id"] for e in log.about("pack", "P")] == [3, 3, 1]
    for result in (first, again):
        s = result.pack.since
        assert s.period.from_load == 1
        assert s.basis == "期初为上次为本组织生成会议材料时的数据"
        assert figures(s)["cadre_out_of_scope"] == (2, 1, 2, 1)  # c2 and c6 resolved, c9 new
    assert log.about("pack", "P")[0]["detail"]["since_load_id"] == 1


def test_a_date_or_the_progress_page_s_period_decide(loads):
    store, ctx = ctx_of(loads[3])
    import datetime as dt

    p = collect(store, ctx, built_by="x", draw=False, since=dt.date(2024, 10, 14))
    assert p.since.period.from_load == 1
    assert p.since.basis == "期初为 2024年10月14日 当天或之前的最近一次导入"
    store, ctx = ctx_of(loads[3], page="progress", from_load=1)
    assert collect(store, ctx, built_by="x", draw=False).since.basis == "期初为页面所选的对比时段"
    # the progress page's charts in the pack show the same period
    chart = next(c for c in collect(store, ctx, built_by="x", draw=False).charts
                 if c.key == "progress-burndown")
    assert chart.reading == "待办事项由 19 项 降至 18 项"


def test_the_workbook_has_a_since_sheet(loads):
    from openpyxl import load_workbook

    store, ctx = ctx_of(loads[3])
    result = pack.build(store, ctx, ["xlsx"], built_by="x")
    book = load_workbook(io.BytesIO(result.files["xlsx"][1]))
    assert book.sheetnames[0] == "落后团支部" and book.sheetnames[-1] == "自上次会议以来"
    rows = list(book["自上次会议以来"].iter_rows(values_only=True))
    assert rows[0][:2] == ("自上次会议以来",
                           "2024年10月15日（第 2 次导入） → 2024年10月22日（第 3 次导入）")
    assert rows[1][0].startswith("自 2024年10月15日（第 2 次导入） 以来：已解决 2 项，新增 1 项")
    assert rows[4][:5] == ("事项", "仍待办", "新增", "已解决", "超过14天")
    assert rows[5][:5] == ("报到滞后的团支部", 4, 0, 0, 4)
    assert rows[12][:5] == ("合计", 18, 1, 2, 16)
    titles = [r[0] for r in rows if r and r[0] in ("已解决的事项", "新增的事项", "超过14天仍未解决的事项")]
    assert titles == ["已解决的事项", "新增的事项", "超过14天仍未解决的事项"]
    at = [r[0] for r in rows].index("已解决的事项")
    assert rows[at][1] == "共 2 条"
    assert rows[at + 2][:3] == ("计算机学院2024级1班团支部", "某大学计算机学院团总支", "超出录入范围的团干部")
    over = [r for r in rows if r[0] == "超过14天仍未解决的事项"][0]
    assert over[1] == "（前 15 条，共 16 条）"


@needs_chromium
def test_the_pdf_and_slides_have_the_since_pages(loads):
    from pptx import Presentation
    from pypdf import PdfReader

    store, ctx = ctx_of(loads[3])
    result = pack.build(store, ctx, ["pdf", "pptx"], built_by="测试员")
    p = result.pack
    reader = PdfReader(io.BytesIO(result.files["pdf"][1]))
    assert len(reader.pages) == pdf.page_count(p) == 2 + 4 + len(p.charts) + len(p.lists)
    page = reader.pages[2].extract_text()
    for line in ("自上次会议以来", "2024年10月15日（第 2 次导入） → 2024年10月22日（第 3 次导入）",
                 "已解决 2 项，新增 1 项；仍待办 18 项", "超出录入范围的团干部 2 1 1 1",
                 "合计 18 1 2 16", PROVINCE, "2024年10月22日"):
        assert line in page, line
    resolved = reader.pages[3].extract_text()
    assert "已解决的事项" in resolved and "计算机学院2024级1班团支部" in resolved
    assert "c*（组织委员）" in resolved and "共 2 条" in resolved
    over = reader.pages[5].extract_text()
    assert "前 15 条，共 16 条；完整名单见看板“进展”页" in over
    contents = reader.pages[0].extract_text()
    assert "自上次会议以来" in contents
    deck = Presentation(io.BytesIO(result.files["pptx"][1]))
    assert len(deck.slides) == slides.slide_count(p) == len(reader.pages)
    titles = [s.shapes.title.text for s in list(deck.slides)[2:6]]
    assert titles == ["自上次会议以来", "已解决的事项", "新增的事项", "超过14天仍未解决的事项"]


def test_zhtj_report_records_its_pack_and_takes_since(loads, tmp_path, capsys):
    """`zhtj report` writes to the audit log beside the accounts: a pack on load 1, then one
    on load 3 starts at load 1; --since overrides it."""
    from openpyxl import load_workbook

    accounts = tmp_path / "accounts.sqlite"
    out = tmp_path / "pack.xlsx"

    def since_line(*extra) -> str:
        assert main(["report", "--db", str(loads[3]), "--org", "P", "--out", str(out),
                     "--accounts", str(accounts), "--quiet", *extra]) == 0
        return next(load_workbook(out)["自上次会议以来"].iter_rows(values_only=True))[1]

    assert since_line().startswith("2024年10月15日")  # no earlier pack: the previous load
    assert main(["report", "--db", str(loads[1]), "--org", "P", "--out", str(out),
                 "--accounts", str(accounts), "--quiet"]) == 0
    assert since_line().startswith("2024年10月8日")  # the pack on load 1
    assert since_line("--since", "2024-10-15").startswith("2024年10月15日")
    # an alert's attachment on load 2 is no meeting: the next pack still starts at load 1
    assert main(["report", "--db", str(loads[2]), "--org", "P", "--out", str(out),
                 "--accounts", str(accounts), "--quiet", "--not-a-meeting"]) == 0
    assert since_line().startswith("2024年10月8日")
    with pytest.raises(SystemExit):
        main(["report", "--db", str(loads[3]), "--org", "P", "--out", str(out),
              "--since", "15/10/2024"])
    assert "not a date: 15/10/2024" in capsys.readouterr().err
