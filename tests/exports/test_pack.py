"""The meeting pack of the university's subtree: the PDF's pages, text and images, the slides
and their titles, and the workbook's sheets and rows against `zhtj metrics` and the report
queries; names and mobiles masked unless the view may reveal them."""

from __future__ import annotations

import io

import pytest

import queries
from dashboard.store import DataStore
from etl.metrics import compute, connect
from exports import pack, pdf, render, slides
from exports.content import collect
from tests.exports.conftest import needs_chromium, view_ctx

ORG_NAME = "共青团某大学委员会"
AS_OF_ZH = "2024年10月8日"


@pytest.fixture(scope="module")
def built(province_db):
    store = DataStore(province_db)
    if render.problem():
        pytest.skip("chromium missing (as root, `make test` installs it)")
    return pack.build(store, view_ctx(store), built_by="测试员")


def first_chart(p) -> int:
    """The index of the first chart's page (and slide): after the cover, the key figures and
    the "since the last meeting" part (its figures, then its lists)."""
    return 2 + (1 + len(p.since.lists) if p.since is not None else 0)


@pytest.fixture(scope="module")
def metrics(province_db):
    with connect(province_db) as conn:
        return compute(conn, "U")


# -- PDF ------------------------------------------------------------------------------------

@needs_chromium
def test_pdf_has_cover_summary_a_page_per_chart_and_per_list(built):
    from pypdf import PdfReader

    name, data = built.files["pdf"]
    assert name == f"{ORG_NAME}_会议材料_20241008.pdf"
    reader = PdfReader(io.BytesIO(data))
    p = built.pack
    assert len(reader.pages) == pdf.page_count(p) == (first_chart(p) + len(p.charts)
                                                      + len(p.lists))
    assert len(p.charts) >= 6 and len(p.lists) >= 3


@needs_chromium
def test_every_pdf_page_names_the_organization_and_the_as_of_date(built):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(built.files["pdf"][1]))
    texts = [page.extract_text() for page in reader.pages]
    for n, text in enumerate(texts, start=1):
        assert ORG_NAME in text and AS_OF_ZH in text, (n, text[:200])
        assert f"第 {n} / {len(texts)} 页" in text
    cover = texts[0]
    assert "会议材料" in cover and "测试员" in cover and "目录" in cover
    summary = texts[1]
    assert "主要指标" in summary and "较上次导入" in summary and "在册团员" in summary


@needs_chromium
def test_pdf_chart_pages_have_title_reading_and_a_non_blank_image(built):
    from PIL import Image
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(built.files["pdf"][1]))
    p = built.pack
    for i, chart in enumerate(p.charts):
        page = reader.pages[first_chart(p) + i]
        text = page.extract_text()
        assert chart.title in text and chart.reading in text, chart.key
        images = page.images
        assert len(images) == 1, chart.key
        image = Image.open(io.BytesIO(images[0].data)).convert("L")
        lo, hi = image.getextrema()
        assert hi - lo > 100, f"{chart.key}: blank image"
        assert image.size[0] >= 2 * 1000  # drawn at 2x


@needs_chromium
def test_pdf_reading_says_how_many_children_miss_the_deadline(built):
    reading = next(c.reading for c in built.pack.charts if c.key == "registration-children-chart")
    assert reading == "1 个下级组织中有 1 个预计无法在 2024年12月31日 前完成"


@needs_chromium
def test_pdf_list_pages_show_the_first_rows_masked(built):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(built.files["pdf"][1]))
    p = built.pack
    for j, lst in enumerate(p.lists):
        text = reader.pages[first_chart(p) + len(p.charts) + j].extract_text()
        assert lst.title in text
        assert "姓名、手机号已脱敏" in text
        assert f"共 {lst.total} 条" in text or lst.total == 0


# -- slides ---------------------------------------------------------------------------------

@needs_chromium
def test_slides_one_chart_each_with_editable_titles(built):
    from pptx import Presentation

    name, data = built.files["pptx"]
    assert name.endswith(".pptx")
    prs = Presentation(io.BytesIO(data))
    p = built.pack
    assert len(prs.slides) == slides.slide_count(p)
    titles = [s.shapes.title.text if s.shapes.title is not None else None for s in prs.slides]
    assert titles[0] == f"{ORG_NAME}\n会议材料"
    assert titles[1] == "主要指标"
    first = first_chart(p)
    assert titles[2] == "自上次会议以来"
    assert titles[first:first + len(p.charts)] == [c.title for c in p.charts]
    assert titles[first + len(p.charts):] == [lst.title for lst in p.lists]
    for slide, chart in zip(list(prs.slides)[first:], p.charts):
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 1, chart.key
        text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert chart.reading in text and ORG_NAME in text and AS_OF_ZH in text


# -- workbook -------------------------------------------------------------------------------

def test_workbook_sheets_and_rows_match_the_metrics(store, metrics):
    """One sheet per follow-up list, every row of it: out-of-scope cadres as `zhtj metrics`
    counts them, the at-risk branches and the stuck transfers as their queries do."""
    from openpyxl import load_workbook

    ctx = view_ctx(store)
    result = pack.build(store, ctx, ["xlsx"], built_by="测试员")
    assert list(result.files) == ["xlsx"]
    book = load_workbook(io.BytesIO(result.files["xlsx"][1]))
    lists = {lst.key: lst for lst in result.pack.lists}
    assert book.sheetnames[:3] == ["落后团支部", "滞留转接（等待超过7天）", "超出录入范围的团干部"]
    rows = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    cadres = rows["超出录入范围的团干部"]
    assert len(cadres) - 1 == metrics["cadres"]["out_of_scope"] == 2
    assert cadres[0][:4] == ("组织", "上级组织", "需要处理", "姓名")
    with store.cursor() as cur:
        branches = queries.rows("registration_branches", cur, **ctx.scope,
                                org_id="U", campaign_id=ctx.campaign["campaign_id"],
                                sort="risk", descending=False, name_filter=None,
                                at_risk_only=True, limit=None, offset=0)
        stuck = queries.rows("transfer_stuck", cur, **ctx.scope, min_days=7, limit=None,
                             offset=0, sort="days", descending=True, name_filter=None)
    assert len(rows["落后团支部"]) - 1 == len(branches) == lists["lagging_branches"].total
    assert len(rows["滞留转接（等待超过7天）"]) - 1 == len(stuck) == 4
    assert [r[0] for r in rows["落后团支部"][1:]] == [b["branch_name"] for b in branches]


def test_lists_mask_names_and_mobiles_unless_revealed_and_id_numbers_always(store):
    masked = collect(store, view_ctx(store), built_by="x", draw=False)
    shown = collect(store, view_ctx(store, reveal=True), built_by="x", draw=False)
    a = {lst.key: lst.rows for lst in masked.lists}["stuck_transfers"]
    b = {lst.key: lst.rows for lst in shown.lists}["stuck_transfers"]
    assert all("*" in v for v in a["姓名"]) and not any("*" in v for v in b["姓名"])
    assert all("*" in v for v in a["身份证号码"]) and all("*" in v for v in b["身份证号码"])
    assert masked.masked and not shown.masked


def test_english_pack(store):
    p = collect(store, view_ctx(store, lang="en"), built_by="tester", draw=False)
    assert p.t("pack_title") == "Meeting pack"
    assert [lst.title for lst in p.lists][:3] == [
        "Lagging branches", "Stuck transfers (waiting over 7 days)", "Out-of-scope cadres"]
    assert p.kpis[0]["label"] == "Active members"


def test_without_chromium_the_workbook_is_still_built(store, monkeypatch):
    monkeypatch.setenv("ZHTJ_CHROMIUM", "/nonexistent/chromium")
    result = pack.build(store, view_ctx(store), built_by="x")
    assert list(result.files) == ["xlsx"]
    assert result.missing == render.MISSING_LINE


def test_arrears_sheet_matches_the_metrics_when_the_dues_page_declares_it(store, metrics):
    """Members 6+ months in arrears (the dues page's list, key "arrears_6plus"): as many rows
    as `zhtj metrics` counts."""
    p = collect(store, view_ctx(store), built_by="x", draw=False)
    found = [lst for lst in p.lists if lst.key == "arrears_6plus"]
    if not found:
        pytest.skip("the dues page does not declare its arrears list yet")
    assert found[0].total == len(found[0].rows) == metrics["dues"]["arrears_6plus_members"]


def test_a_pack_build_is_audited_as_the_account_that_asked(store):
    """pack.build records one `pack` entry for the organization, by the acting account."""
    from accounts.store import Account
    from dashboard import access

    class Sink:
        entries: list = []

        def record(self, action, **fields):
            self.entries.append((action, fields))

    sink = Sink()
    account = Account(name="secretary", org_id="U", role="viewer")
    with access.acting_as(account, sink):
        pack.build(store, view_ctx(store), ["xlsx"], built_by="secretary")
    packs = [f for a, f in sink.entries if a == "pack"]
    assert len(packs) == 1
    assert packs[0]["actor"] == "secretary" and packs[0]["org_id"] == "U"
    assert packs[0]["formats"] == ["xlsx"]
