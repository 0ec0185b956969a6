"""The meeting pack as a 16:9 slide deck (python-pptx): a title slide, the key figures, one chart
per slide with an editable title and its reading, and the first rows of each follow-up list;
the organization and the as-of date in every slide's footer."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from exports.content import Pack

LIST_ROWS = 10
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
RED = RGBColor(0xB9, 0x1C, 0x1C)
GREY = RGBColor(0x6B, 0x72, 0x80)
GREEN = RGBColor(0x15, 0x80, 0x3D)
TITLE_ONLY = 5  # the default template's "Title Only" layout
TITLE = 0  # "Title Slide"


def _text(slide, left, top, width, height, text: str, *, size: int = 12, bold: bool = False,
          color: RGBColor | None = None):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return box


def _footer(slide, pack: Pack, n: int) -> None:
    _text(slide, Inches(0.5), Inches(7.0), Inches(10), Inches(0.4),
          " · ".join(filter(None, [pack.demo_note, pack.org_name,
                                   pack.t("pack_as_of", date=pack.as_of_text)])),
          size=10, color=GREY)
    _text(slide, Inches(11.3), Inches(7.0), Inches(1.6), Inches(0.4), str(n), size=10,
          color=GREY)


def _title(slide, text: str) -> None:
    """The layout's title placeholder (editable as the slide's title), set to one line."""
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = (Inches(0.5), Inches(0.3), Inches(12.3),
                                                        Inches(0.9))
    shape.text = text
    para = shape.text_frame.paragraphs[0]
    for run in para.runs:
        run.font.size = Pt(26)
        run.font.bold = True


def _table(slide, columns: list[str], rows: list[list[str]], widths: list[int], *, top,
           height, size: int = 10):
    shape = slide.shapes.add_table(len(rows) + 1, len(columns), Inches(0.5), top,
                                   Inches(12.3), height)
    table = shape.table
    total = sum(widths) or 1
    for j, w in enumerate(widths):
        table.columns[j].width = Emu(int(Inches(12.3) * w / total))
    for j, c in enumerate(columns):
        _cell(table.cell(0, j), c, size, bold=True)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            _cell(table.cell(i, j), v, size)
    return table


def _cell(cell, text: str, size: int, *, bold: bool = False) -> None:
    cell.text = text
    for para in cell.text_frame.paragraphs:
        for run in para.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
    cell.margin_left = cell.margin_right = Inches(0.05)
    cell.margin_top = cell.margin_bottom = Inches(0.02)


def _str(v) -> str:
    if v is None:
        return ""
    try:
        if v != v:
            return ""
    except TypeError:
        return ""
    return str(v)


def write(pack: Pack) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = (f"{pack.demo_note} {pack.org_name} {pack.t('pack_title')} "
                                 f"{pack.as_of_text}".strip())
    prs.core_properties.author = pack.built_by
    n = 1

    cover = prs.slides.add_slide(prs.slide_layouts[TITLE])
    title, sub = cover.shapes.title, cover.placeholders[1]
    # The template is 4:3: every placeholder is placed anew on the 16:9 slide (all four sides:
    # setting one alone leaves the others at 0).
    title.left, title.top, title.width, title.height = (Inches(0.8), Inches(1.9), Inches(11.7),
                                                        Inches(2.2))
    sub.left, sub.top, sub.width, sub.height = Inches(0.8), Inches(4.4), Inches(11.7), Inches(1.4)
    title.text = f"{pack.org_name}\n{pack.t('pack_title')}"
    for i, para in enumerate(title.text_frame.paragraphs):
        for run in para.runs:
            run.font.size = Pt(36 if i == 0 else 30)
            run.font.bold = True
            run.font.color.rgb = RED if i else RGBColor(0x1F, 0x29, 0x37)
    sub.text = "\n".join(filter(None, [
        pack.demo_note, pack.t("pack_as_of", date=pack.as_of_text),
        pack.t("pack_built_by", who=pack.built_by, when=pack.built_at_text)]))
    for i, para in enumerate(sub.text_frame.paragraphs):
        for run in para.runs:
            run.font.size = Pt(18)
            run.font.color.rgb = GREY
            if pack.is_demo and i == 0:  # 演示数据: first, bold and amber
                run.font.bold, run.font.color.rgb = True, RGBColor(0xB4, 0x53, 0x09)

    n += 1
    summary = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _title(summary, pack.t("pack_summary"))
    table = _table(summary, [pack.t(k) for k in ("pack_col_figure", "pack_col_value",
                                                 "pack_col_change", "pack_col_note")],
                   [[k["label"], k["value"], k["change"], k["note"]] for k in pack.kpis],
                   [26, 16, 18, 40], top=Inches(1.4), height=Inches(0.5) * (len(pack.kpis) + 1),
                   size=14)
    for i, k in enumerate(pack.kpis, start=1):
        color = {"good": GREEN, "bad": RED}.get(k["direction"], GREY)
        for run in table.cell(i, 2).text_frame.paragraphs[0].runs:
            run.font.color.rgb = color
    _footer(summary, pack, n)

    if pack.since is not None:
        n = _since(prs, pack, n)

    for c in pack.charts:
        n += 1
        slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
        _title(slide, c.title)
        _text(slide, Inches(0.5), Inches(1.1), Inches(12.3), Inches(0.4),
              pack.page_title(c.page), size=12, color=GREY)
        top, bottom = Inches(1.5), Inches(6.3 if c.reading else 6.85)
        if c.png:
            layout = c.figure.get("layout", {})
            ratio = (layout.get("height") or 500) / (layout.get("width") or 1000)
            width = Inches(12.3)
            height = int(width * ratio)
            if height > bottom - top:
                height = bottom - top
                width = int(height / ratio)
            left = int((WIDTH - width) / 2)
            slide.shapes.add_picture(io.BytesIO(c.png), left, top, width=width, height=height)
        if c.reading:
            _text(slide, Inches(0.5), Inches(6.35), Inches(12.3), Inches(0.6), c.reading,
                  size=16, bold=True, color=RED)
        _footer(slide, pack, n)

    for lst in pack.lists:
        n += 1
        _list_slide(prs, pack, lst, n)

    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _list_slide(prs, pack: Pack, lst, n: int, more: str = "pack_rows_shown") -> None:
    """A list's first rows, with how many there are in all."""
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _title(slide, lst.title)
    shown = lst.rows.head(LIST_ROWS)
    note = (pack.t("pack_no_rows") if lst.total == 0 else
            pack.t(more, shown=len(shown), total=f"{lst.total:,}")
            if lst.total > len(shown) else pack.t("pack_rows_all", total=f"{lst.total:,}"))
    _text(slide, Inches(0.5), Inches(1.1), Inches(12.3), Inches(0.4), note, size=12,
          color=GREY)
    if len(shown):
        _table(slide, lst.columns, [[_str(v) for v in r] for r in
                                    shown.itertuples(index=False)],
               lst.widths, top=Inches(1.55), height=Inches(0.36) * (len(shown) + 1), size=8)
    _footer(slide, pack, n)


def _since(prs, pack: Pack, n: int) -> int:
    """The "since the last meeting" slides: the figures per kind, then each list's first rows;
    returns the number of the last slide."""
    from exports.since import figures_table, period_line

    s = pack.since
    n += 1
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _title(slide, pack.t("pack_since_title"))
    _text(slide, Inches(0.5), Inches(1.1), Inches(12.3), Inches(0.4),
          f"{period_line(s, pack.lang)} · {s.basis}", size=12, color=GREY)
    _text(slide, Inches(0.5), Inches(1.5), Inches(12.3), Inches(0.5), s.period_text, size=16,
          bold=True, color=RED)
    head, rows = figures_table(s, pack.lang)
    _table(slide, head, rows, [24, 9, 9, 9, 10, 39], top=Inches(2.15),
           height=Inches(0.42) * (len(rows) + 1), size=12)
    _footer(slide, pack, n)
    for lst in s.lists:
        n += 1
        _list_slide(prs, pack, lst, n, more="pack_since_rows_shown")
    return n


def slide_count(pack: Pack) -> int:
    since = 1 + len(pack.since.lists) if pack.since is not None else 0
    return 2 + since + len(pack.charts) + len(pack.lists)
