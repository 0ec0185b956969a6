"""The meeting pack as a PDF: an HTML document of fixed A4 landscape pages (the organization
and the as-of date on every page) printed by chromium, so Chinese text is embedded as written."""

from __future__ import annotations

import base64
from html import escape

from exports.content import Pack
from exports.render import FONT, print_pdf

LIST_ROWS = 15  # rows of a follow-up list on its page (the workbook has them all)

CSS = f"""
@page {{ size: A4 landscape; margin: 0; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: '{FONT}', sans-serif; color: #1f2937; font-size: 10.5pt; }}
.page {{ width: 297mm; height: 210mm; padding: 9mm 14mm 8mm; display: flex;
        flex-direction: column; overflow: hidden; page-break-after: always;
        break-after: page; }}
.page:last-child {{ page-break-after: auto; break-after: auto; }}
.band {{ display: flex; justify-content: space-between; align-items: baseline;
        border-bottom: 1.5pt solid #b91c1c; padding-bottom: 2mm; font-size: 9.5pt; }}
.band .org {{ font-weight: 700; }}
.foot {{ display: flex; justify-content: space-between; border-top: 0.5pt solid #d1d5db;
        padding-top: 1.5mm; font-size: 8pt; color: #6b7280; }}
main {{ flex: 1; display: flex; flex-direction: column; min-height: 0; padding-top: 4mm; }}
h1 {{ font-size: 30pt; margin: 26mm 0 6mm; color: #b91c1c; }}
h2 {{ font-size: 15pt; margin: 0 0 1mm; }}
.kicker {{ font-size: 9.5pt; color: #6b7280; margin-bottom: 1mm; }}
.cover .org-name {{ font-size: 20pt; font-weight: 700; margin-bottom: 3mm; }}
.cover .meta {{ font-size: 12pt; margin: 1.5mm 0; }}
.contents {{ margin-top: 10mm; columns: 2; font-size: 10pt; }}
.contents div {{ display: flex; justify-content: space-between; margin: 0.8mm 8mm 0.8mm 0; }}
.chart {{ flex: 1; min-height: 0; display: flex; align-items: center; justify-content: center; }}
.chart img {{ max-width: 100%; max-height: 100%; object-fit: contain; }}
.reading {{ font-size: 12pt; font-weight: 700; color: #b91c1c; margin: 2mm 0 1mm; }}
.hint {{ font-size: 9pt; color: #4b5563; margin: 0 0 2mm; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
th, td {{ border-bottom: 0.5pt solid #e5e7eb; padding: 1.2mm 1.5mm; text-align: left;
         vertical-align: top; overflow: hidden; overflow-wrap: anywhere; }}
th {{ background: #f3f4f6; font-weight: 700; }}
.list td, .list th {{ font-size: 7.5pt; line-height: 1.25; }}
.list td div {{ max-height: 2.6em; overflow: hidden; }}
.kpis td, .kpis th {{ font-size: 11pt; padding: 2.4mm 2mm; }}
.kpis td.value {{ font-weight: 700; font-size: 13pt; }}
.kpis.since td, .kpis.since th {{ font-size: 10pt; padding: 1.8mm 2mm; }}
.kpis.since tr:last-child td {{ font-weight: 700; border-top: 1pt solid #9ca3af; }}
.good {{ color: #15803d; }} .bad {{ color: #b91c1c; }} .flat {{ color: #6b7280; }}
.note {{ font-size: 8.5pt; color: #6b7280; margin-top: 2mm; }}
.demo {{ color: #b45309; }}
.demo-note {{ display: inline-block; font-size: 14pt; font-weight: 700; color: #1f2a44;
             background: #ffc107; padding: 1mm 3mm; margin: -2mm 0 5mm; }}
"""


def _page(pack: Pack, n: int, total: int, body: str, cls: str = "") -> str:
    as_of = escape(pack.t("pack_as_of", date=pack.as_of_text))
    if pack.is_demo:
        as_of = f'<b class="demo">{escape(pack.demo_note)}</b> · {as_of}'
    built = escape(pack.t("pack_built_by", who=pack.built_by, when=pack.built_at_text))
    return (f'<section class="page {cls}"><div class="band"><span class="org">'
            f'{escape(pack.org_name)}</span><span>{as_of}</span></div><main>{body}</main>'
            f'<div class="foot"><span>{built}</span>'
            f'<span>{escape(pack.t("pack_page", n=n, total=total))}</span></div></section>')


def _cover(pack: Pack, contents: list[tuple[str, int]]) -> str:
    items = "".join(f"<div><span>{escape(title)}</span><span>{n}</span></div>"
                    for title, n in contents)
    built = escape(pack.t("pack_built_by", who=pack.built_by, when=pack.built_at_text))
    demo = f'<div class="demo-note">{escape(pack.demo_note)}</div>' if pack.is_demo else ""
    return (f'<h1>{escape(pack.t("pack_title"))}</h1>{demo}'
            f'<div class="org-name">{escape(pack.org_name)}</div>'
            f'<div class="meta">{escape(pack.t("pack_cover_scope", org=pack.org_name))}</div>'
            f'<div class="meta">{escape(pack.t("pack_as_of", date=pack.as_of_text))}</div>'
            f'<div class="meta">{built}</div>'
            f'<div class="contents"><div><b>{escape(pack.t("pack_contents"))}</b></div>'
            f'{items}</div>')


def _summary(pack: Pack) -> str:
    rows = "".join(
        f'<tr><td>{escape(k["label"])}</td><td class="value">{escape(k["value"])}</td>'
        f'<td class="{k["direction"]}">{escape(k["change"])}</td>'
        f'<td>{escape(k["note"])}</td></tr>' for k in pack.kpis)
    head = "".join(f"<th>{escape(pack.t(k))}</th>" for k in
                   ("pack_col_figure", "pack_col_value", "pack_col_change", "pack_col_note"))
    return (f'<h2>{escape(pack.t("pack_summary"))}</h2>'
            f'<table class="kpis"><colgroup><col style="width:26%"><col style="width:16%">'
            f'<col style="width:18%"><col style="width:40%"></colgroup>'
            f'<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>')


def _chart(pack: Pack, c) -> str:
    img = ""
    if c.png:
        img = (f'<img alt="{escape(c.title)}" '
               f'src="data:image/png;base64,{base64.b64encode(c.png).decode()}">')
    reading = f'<div class="reading">{escape(c.reading)}</div>' if c.reading else ""
    return (f'<div class="kicker">{escape(pack.page_title(c.page))}</div>'
            f'<h2>{escape(c.title)}</h2>{reading}<div class="chart">{img}</div>')


def _since(pack: Pack) -> str:
    """The "since the last meeting" page: the period, its reading and the figures per kind."""
    from exports.since import figures_table, period_line

    s = pack.since
    head, rows = figures_table(s, pack.lang)
    cols = "".join(f'<col style="width:{w}%">' for w in (24, 9, 9, 9, 10, 39))
    body = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in r) + "</tr>"
                   for r in rows)
    return (f'<div class="kicker">{escape(period_line(s, pack.lang))}</div>'
            f'<h2>{escape(pack.t("pack_since_title"))}</h2>'
            f'<div class="reading">{escape(s.period_text)}</div>'
            f'<div class="hint">{escape(s.basis)}</div>'
            f'<table class="kpis since"><colgroup>{cols}</colgroup>'
            f'<thead><tr>{"".join(f"<th>{escape(h)}</th>" for h in head)}</tr></thead>'
            f'<tbody>{body}</tbody></table>')


def _list(pack: Pack, lst, kicker: str | None = None, more: str = "pack_rows_shown") -> str:
    shown = lst.rows.head(LIST_ROWS)
    total_w = sum(lst.widths) or 1
    cols = "".join(f'<col style="width:{w * 100 / total_w:.1f}%">' for w in lst.widths)
    head = "".join(f"<th>{escape(str(c))}</th>" for c in lst.columns)
    body = "".join(
        "<tr>" + "".join(f"<td><div>{escape(_cell(v))}</div></td>" for v in row) + "</tr>"
        for row in shown.itertuples(index=False))
    if lst.total == 0:
        note = pack.t("pack_no_rows")
    elif lst.total > len(shown):
        note = pack.t(more, shown=len(shown), total=f"{lst.total:,}")
    else:
        note = pack.t("pack_rows_all", total=f"{lst.total:,}")
    masked = pack.t("pack_masked") if pack.masked else pack.t("pack_id_masked")
    hint = f'<div class="hint">{escape(lst.hint)}</div>' if lst.hint else ""
    return (f'<div class="kicker">{escape(kicker or pack.t("pack_lists"))}</div>'
            f'<h2>{escape(lst.title)}</h2>{hint}'
            f'<table class="list"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f'<tbody>{body}</tbody></table>'
            f'<div class="note">{escape(note)} · {escape(masked)}</div>')


def _cell(value) -> str:
    if value is None:
        return ""
    try:
        if value != value:  # NaN
            return ""
    except TypeError:
        return ""
    return str(value)


def html(pack: Pack) -> str:
    """The whole document: cover, key figures, one page per chart, one page per list."""
    bodies: list[tuple[str, str]] = [("", "cover"), (_summary(pack), "")]
    contents = [(pack.t("pack_summary"), 2)]
    if pack.since is not None:
        since = pack.t("pack_since_title")
        contents.append((since, len(bodies) + 1))
        bodies.append((_since(pack), "since-page"))
        for lst in pack.since.lists:
            bodies.append((_list(pack, lst, kicker=since, more="pack_since_rows_shown"),
                           "list-page"))
    for c in pack.charts:
        contents.append((f"{pack.page_title(c.page)} · {c.title}", len(bodies) + 1))
        bodies.append((_chart(pack, c), "chart-page"))
    for lst in pack.lists:
        contents.append((f"{pack.t('pack_lists')} · {lst.title}", len(bodies) + 1))
        bodies.append((_list(pack, lst), "list-page"))
    bodies[0] = (_cover(pack, contents), "cover")
    total = len(bodies)
    pages = "".join(_page(pack, i + 1, total, body, cls) for i, (body, cls) in enumerate(bodies))
    title = escape(f"{pack.demo_note} {pack.org_name} {pack.t('pack_title')} "
                   f"{pack.as_of_text}".strip())
    return (f'<!doctype html><html lang="{"zh-CN" if pack.lang == "zh" else "en"}"><head>'
            f'<meta charset="utf-8"><title>{title}</title><style>{CSS}</style></head>'
            f'<body>{pages}</body></html>')


def page_count(pack: Pack) -> int:
    since = 1 + len(pack.since.lists) if pack.since is not None else 0
    return 2 + since + len(pack.charts) + len(pack.lists)


def write(pack: Pack) -> bytes:
    return print_pdf(html(pack))
