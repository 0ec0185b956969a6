"""The meeting pack's follow-up lists as an Excel workbook: one sheet per list, the whole list,
the columns a branch needs to act, a filter on the header, the header row frozen, and the
organization and the as-of date in the printed page's header.

The sheets are written as XML directly, a column at a time with pyarrow: a province's lists run
to a few hundred thousand rows, which a cell-by-cell writer takes most of a minute to write
(measured: 50 s for 219k rows with pandas + xlsxwriter; about 3 s this way).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from exports.content import Pack

_BAD = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 does not allow (a stray control character in an export file would make the
# whole workbook unreadable).
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
MAX_ROWS = 1_048_575  # Excel's rows, less the header

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
{sheets}</Types>"""
SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
              'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\n')
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="2"><font><sz val="11"/><name val="等线"/><family val="2"/></font>
<font><b/><sz val="11"/><name val="等线"/><family val="2"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFF3F4F6"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>
<border><left/><right/><top/><bottom style="thin"><color rgb="FF9CA3AF"/></bottom><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, none of []:*?/\\)."""
    base = _BAD.sub("_", title).strip("'")[:31] or "Sheet"
    name, i = base, 2
    while name.lower() in taken:
        suffix = f" ({i})"
        name, i = base[:31 - len(suffix)] + suffix, i + 1
    taken.add(name.lower())
    return name


def column_letter(j: int) -> str:
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _text(values: pd.Series) -> pa.Array:
    """A column as escaped XML text ("" for missing values)."""
    plain = values.astype(object).where(values.notna(), "")
    arr = pa.array([v if isinstance(v, str) else str(v) for v in plain], pa.string())
    arr = pc.replace_substring_regex(arr, _CONTROL, "")
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        arr = pc.replace_substring(arr, char, entity)
    return arr


def _numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _rows_xml(frame: pd.DataFrame) -> bytes:
    """The <row> elements of the data (row 2 on), a column at a time."""
    n = len(frame)
    if n == 0:
        return b""
    rows = pa.array([str(i) for i in range(2, n + 2)], pa.string())
    cells = []
    for j, column in enumerate(frame.columns):
        values = frame[column]
        ref = f'<c r="{column_letter(j)}'
        if _numeric(values):
            floats = values.astype("float64").to_numpy(na_value=np.nan)
            as_int = np.isfinite(floats) & (floats == np.round(floats))
            text = pa.array([str(int(v)) if i else repr(float(v))
                             for v, i in zip(floats, as_int)], pa.string())
            cell = pc.binary_join_element_wise(ref, rows, '"><v>', text, "</v></c>", "")
            cell = pc.if_else(pa.array(np.isfinite(floats)), cell, "")
        else:
            cell = pc.binary_join_element_wise(ref, rows, '" t="inlineStr"><is><t>',
                                               _text(values), "</t></is></c>", "")
        cells.append(cell)
    joined = pc.binary_join_element_wise('<row r="', rows, '">', *cells, "</row>", "")
    # The joined strings lie end to end in the array's data buffer: that buffer is the XML.
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int32)[joined.offset:
                                                                  joined.offset + n + 1]
    data = joined.buffers()[2]
    return data.to_pybytes()[offsets[0]:offsets[-1]]


def _sheet_xml(pack: Pack, lst, rows: pd.DataFrame) -> bytes:
    ncol = len(lst.columns)
    last = column_letter(ncol - 1)
    cols = "".join(f'<col min="{j + 1}" max="{j + 1}" width="{max(8, min(60, w / 7)):.1f}" '
                   f'customWidth="1"/>' for j, w in enumerate(lst.widths))
    head = "".join(f'<c r="{column_letter(j)}1" t="inlineStr" s="1"><is><t>{escape(str(c))}'
                   f'</t></is></c>' for j, c in enumerate(lst.columns))
    header = "&amp;L" + escape(_amp(pack.org_name)) + "&amp;C" + escape(
        _amp(_demo(pack) + lst.title)) + "&amp;R" + escape(
        _amp(pack.t("pack_as_of", date=pack.as_of_text)))
    if pack.is_demo:  # 演示数据 beside the header row, outside the filter's columns
        head += _cell(f"{column_letter(ncol)}1", pack.demo_note, 1)
    before = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="A1:{column_letter(ncol) if pack.is_demo else last}{len(rows) + 1}"/>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
        f'<sheetData><row r="1">{head}</row>')
    after = (f'</sheetData><autoFilter ref="A1:{last}{max(len(rows), 1) + 1}"/>'
             '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" '
             'footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" '
             f'fitToHeight="0"/><headerFooter><oddHeader>{header}</oddHeader>'
             '<oddFooter>&amp;C&amp;P / &amp;N</oddFooter></headerFooter></worksheet>')
    return before.encode() + _rows_xml(rows) + after.encode()


def _cell(ref: str, value, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    text = re.sub(_CONTROL, "", "" if value is None else str(value))
    return f'<c r="{ref}"{s} t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def _since_sheet_xml(pack: Pack) -> bytes:
    """The "since the last meeting" sheet: the period and its reading, the figures per kind
    (with the total), then each list's first rows under its title."""
    from exports.since import figures_table, period_line

    s = pack.since
    head, figures = figures_table(s, pack.lang)
    kinds = [[r[0], *(_number(v) for v in r[1:5]), r[5]] for r in figures]
    lines: list[tuple[list, int]] = [
        ([pack.t("pack_since_title"), period_line(s, pack.lang),
          *([pack.demo_note] if pack.is_demo else [])], 1),
        ([s.period_text], 0), ([s.basis], 0), ([], 0), (head, 1), *[(r, 0) for r in kinds]]
    for lst in s.lists:
        shown = lst.rows.head(len(lst.rows))
        note = (pack.t("pack_no_rows") if lst.total == 0 else
                pack.t("pack_since_more", shown=len(shown), total=f"{lst.total:,}")
                if lst.total > len(shown) else pack.t("pack_rows_all", total=f"{lst.total:,}"))
        lines += [([], 0), ([lst.title, note], 1), (list(lst.columns), 1)]
        lines += [([_plain(v) for v in r], 0) for r in shown.itertuples(index=False)]
    rows = "".join(
        f'<row r="{i}">' + "".join(_cell(f"{column_letter(j)}{i}", v, style)
                                   for j, v in enumerate(values)) + "</row>"
        for i, (values, style) in enumerate(lines, start=1))
    width = max([len(head), *(len(lst.columns) for lst in s.lists)])
    cols = "".join(f'<col min="{j + 1}" max="{j + 1}" width="{30 if j == 0 else 18}" '
                   f'customWidth="1"/>' for j in range(width))
    header = "&amp;L" + escape(_amp(pack.org_name)) + "&amp;C" + escape(
        _amp(_demo(pack) + pack.t("pack_since_title"))) + "&amp;R" + escape(
        _amp(pack.t("pack_as_of", date=pack.as_of_text)))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
            f'<sheetData>{rows}</sheetData>'
            '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" '
            'footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" '
            f'fitToHeight="0"/><headerFooter><oddHeader>{header}</oddHeader>'
            '<oddFooter>&amp;C&amp;P / &amp;N</oddFooter></headerFooter></worksheet>').encode()


def _number(text: str):
    """A formatted count back to a number for the sheet ("1,234" -> 1234); "—" stays."""
    digits = text.replace(",", "")
    return int(digits) if digits.isdigit() else text


def _plain(value):
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return value.item() if hasattr(value, "item") else value


def write(pack: Pack) -> bytes:
    taken: set[str] = set()
    names = [sheet_name(lst.title, taken) for lst in pack.lists]
    if pack.since is not None:  # last: the lists keep their places (and their filters' ids)
        names.append(sheet_name(pack.t("pack_since_title"), taken))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(sheets="".join(
            SHEET_TYPE.format(n=i + 1) for i in range(len(names)))))
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("docProps/core.xml", _core(pack))
        z.writestr("xl/styles.xml", STYLES)
        z.writestr("xl/workbook.xml", _workbook(names, pack))
        z.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(names)))
        for i, lst in enumerate(pack.lists):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml",
                       _sheet_xml(pack, lst, lst.rows.head(MAX_ROWS)))
        if pack.since is not None:
            z.writestr(f"xl/worksheets/sheet{len(pack.lists) + 1}.xml", _since_sheet_xml(pack))
    return buf.getvalue()


def _workbook(names: list[str], pack: Pack) -> str:
    sheets = "".join(f'<sheet name="{escape(n, {chr(34): "&quot;"})}" sheetId="{i + 1}" '
                     f'r:id="rId{i + 1}"/>' for i, n in enumerate(names))
    titles = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_quoted(n))}!$A$1:${column_letter(len(lst.columns) - 1)}$"
        f"{max(len(lst.rows), 1) + 1}</definedName>"
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{escape(_quoted(n))}!$1:$1'
        f"</definedName>" for i, (n, lst) in enumerate(zip(names, pack.lists)))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets>'
            + (f"<definedNames>{titles}</definedNames>" if names else "") + "</workbook>")


def _workbook_rels(n: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>' for i in range(n))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{rels}<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>')


def _core(pack: Pack) -> str:
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    title = escape(f"{_demo(pack)}{pack.org_name} {pack.t('pack_lists')} {pack.as_of_text}")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/'
            f'XMLSchema-instance"><dc:title>{title}</dc:title><dc:creator>'
            f'{escape(pack.built_by)}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">'
            f'{now}</dcterms:created></cp:coreProperties>')


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _demo(pack: Pack) -> str:
    """演示数据（虚构，非真实组织） and a space before a title, for demo data."""
    return f"{pack.demo_note} " if pack.is_demo else ""


def _amp(text: str) -> str:
    """Excel's header codes start with &: a literal one is doubled."""
    return text.replace("&", "&&")
