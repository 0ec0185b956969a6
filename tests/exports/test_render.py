"""Static rendering: print layout, chart files (PNG at 2x, SVG, PDF) with Chinese text drawn
in Noto Sans CJK SC, the chart menu's server-side download, and PDF text as written."""

from __future__ import annotations

import base64
import io

import pytest
from dash import no_update

from dashboard import charts
from exports import render
from tests.exports.conftest import needs_chromium


def _figure(title: str) -> dict:
    return {"data": [{"type": "bar", "x": ["计算机学院", "数学学院"], "y": [3, 5]}],
            "layout": {"title": {"text": title}, "height": 300}}


def test_for_print_sets_size_font_title_and_subtitle():
    """The printed figure has a fixed width, the CJK font first, the figure's title and the
    organization and date under it; the dashboard's figure is not changed."""
    fig = _figure("报到完成率")
    out = render.for_print(fig, subtitle="某大学团委 · 数据截至 2024年10月8日")
    layout = out["layout"]
    assert layout["width"] == render.PRINT_WIDTH and layout["height"] >= 300
    assert layout["font"]["family"].startswith("Noto Sans CJK SC")
    assert layout["title"]["text"] == "报到完成率"
    assert layout["title"]["subtitle"]["text"].startswith("某大学团委")
    assert fig["layout"]["title"] == {"text": "报到完成率"}
    assert render.for_print(fig, title="")["layout"]["title"] == {"text": ""}


def test_missing_chromium_is_one_bilingual_line(monkeypatch):
    """Without chromium, problem() is one line in Chinese and English; rendering raises."""
    monkeypatch.setenv("ZHTJ_CHROMIUM", "/nonexistent/chromium")
    line = render.problem()
    assert line == render.MISSING_LINE and "\n" not in line
    assert "chromium" in line and "未找到" in line
    with pytest.raises(render.ExportUnavailable):
        render.print_pdf("<p>x</p>")


@needs_chromium
def test_png_is_twice_the_size_and_not_blank():
    from PIL import Image

    png = render.renderer().render(render.for_print(_figure("测试")), "png")
    image = Image.open(io.BytesIO(png))
    assert image.size == (2 * render.PRINT_WIDTH, 2 * 420)
    lo, hi = image.convert("L").getextrema()
    assert lo < 128 < hi


@needs_chromium
def test_a_chart_kaleido_did_not_write_is_drawn_again(monkeypatch):
    """Under load kaleido's pipe can garble a reply and leave a file unwritten: the pack still
    gets every chart."""
    import kaleido

    real = kaleido.write_fig_from_object_sync
    monkeypatch.setattr(kaleido, "write_fig_from_object_sync", lambda specs: real(specs[:1]))
    pngs = render.renderer().render_many([render.for_print(_figure("一")),
                                          render.for_print(_figure("二"))], "png")
    assert len(pngs) == 2 and all(p.startswith(b"\x89PNG") for p in pngs)


@needs_chromium
def test_svg_and_pdf_formats():
    fig = render.for_print(_figure("测试"))
    svg = render.renderer().render(fig, "svg").decode("utf-8")
    assert svg.lstrip().startswith("<svg") and "Noto Sans CJK SC" in svg
    assert render.renderer().render(fig, "pdf").startswith(b"%PDF")


@needs_chromium
def test_chinese_text_is_drawn_not_boxes():
    """Two different Chinese titles draw different pixels (a missing font draws the same
    empty boxes for both)."""
    r = render.renderer()
    a = r.render(render.for_print({"data": [], "layout": {"title": {"text": "计算机学院"}}}),
                 "png", scale=1)
    b = r.render(render.for_print({"data": [], "layout": {"title": {"text": "数学学院团委"}}}),
                 "png", scale=1)
    assert a != b


@needs_chromium
def test_printed_pdf_text_is_extracted_as_written():
    """Chromium names glyphs shared with Kangxi radicals by the radical (⽉, ⻘); the printed
    PDF names them by the ideograph, so a reader copies 2024年10月8日 and 共青团."""
    from pypdf import PdfReader

    text = "共青团某大学委员会 数据截至 2024年10月8日 第 1 页 无 至 长 连续4–5个月"
    pdf = render.print_pdf(f"<html><body style=\"font-family:'Noto Sans CJK SC'\"><p>{text}</p>"
                           "</body></html>")
    extracted = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for word in text.split():
        assert word in extracted, (word, extracted)


def test_radical_map_fixes_bfchar_and_bfrange():
    cmap = (b"2 beginbfchar\n<27> <2F49>\n<28> <6709>\nendbfchar\n"
            b"1 beginbfrange\n<10> <12> <2F46>\nendbfrange\n")
    fixed = render._fix_cmap(cmap)
    assert b"<27> <6708>" in fixed and b"<28> <6709>" in fixed
    assert b"<10> <10> <65E0>" in fixed or b"<10> <10> <65E1>" in fixed
    assert b"3 beginbfrange" in fixed


@needs_chromium
@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_chart_menu_download_is_rebuilt_on_the_server(store, fmt):
    """The menu's download names the organization, the figure and the as-of date, and is the
    chart of the URL's view in the format asked for."""
    data, note = charts.export(store, "registration-children-chart", fmt, "/registration",
                               "?org=U")
    assert note == ""
    assert data["filename"] == f"共青团某大学委员会_下级组织报到完成情况（最差在前）_20241008.{fmt}"
    content = base64.b64decode(data["content"])
    assert content[:4] in (b"\x89PNG", b"<svg", b"%PDF") or content.lstrip().startswith(b"<svg")


def test_chart_menu_without_chromium_says_so(store, monkeypatch):
    monkeypatch.setenv("ZHTJ_CHROMIUM", "/nonexistent/chromium")
    data, note = charts.export(store, "transfers-status", "png", "/transfers", "?org=U")
    assert data is no_update and note == render.MISSING_LINE


def test_chart_menu_ignores_unknown_charts_and_formats(store):
    assert charts.export(store, "no-such-chart", "png", "/", "?org=U") == (no_update, no_update)
    assert charts.export(store, "transfers-status", "gif", "/", "?org=U") == (no_update,
                                                                              no_update)
