"""A meeting pack built from demo data says 演示数据 on its cover and on every page, slide and
sheet header; one built from real data does not."""

from __future__ import annotations

import io
import zipfile

import duckdb
import pytest

from dashboard.store import DataStore
from etl import dataset
from exports import pack, render
from tests.exports.conftest import AS_OF, view_ctx
from tests.queries import province

NOTE = "演示数据（虚构，非真实组织）"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    """The hand-written province, published as a load of demo data would be."""
    db = tmp_path_factory.mktemp("demo-pack") / "zhtj.duckdb"
    province.build_db(db, province.DATA, as_of=AS_OF)
    with duckdb.connect(str(db)) as con:
        dataset.record(con, demo=True)
    return DataStore(db)


@pytest.fixture(scope="module")
def demo_pack(demo_store):
    if render.problem():
        pytest.skip("chromium missing (as root, `make test` installs it)")
    return pack.build(demo_store, view_ctx(demo_store), built_by="测试员")


def pdf_pages(result) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(io.BytesIO(result.files["pdf"][1])).pages]


def slide_texts(result) -> list[str]:
    from pptx import Presentation

    deck = Presentation(io.BytesIO(result.files["pptx"][1]))
    return [" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
            for slide in deck.slides]


def test_the_pdf_of_demo_data_says_so_on_the_cover_and_every_page(demo_pack):
    pages = pdf_pages(demo_pack)
    assert pages[0].count("演示数据") >= 2  # the band and the note under the title
    assert all(NOTE in page for page in pages)


def test_the_slides_of_demo_data_say_so_on_the_cover_and_every_footer(demo_pack):
    from pptx import Presentation

    texts = slide_texts(demo_pack)
    assert all(NOTE in text for text in texts)
    deck = Presentation(io.BytesIO(demo_pack.files["pptx"][1]))
    assert deck.core_properties.title.startswith(NOTE)


def test_the_workbook_of_demo_data_says_so_beside_each_header_row_and_in_its_print_header(
        demo_store):
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    result = pack.build(demo_store, view_ctx(demo_store), ["xlsx"], built_by="测试员")
    data = result.files["xlsx"][1]
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        assert NOTE in sheet.oddHeader.center.text, sheet.title
        assert NOTE in [c.value for c in sheet[1]], sheet.title
    assert book.properties.title.startswith(NOTE)
    # The filter keeps to the list's own columns: the note sits in the column after them.
    first = book.worksheets[0]
    last = first.auto_filter.ref.split(":")[1].rstrip("0123456789")
    assert last == get_column_letter(first.max_column - 1)
    assert first.cell(1, first.max_column).value == NOTE
    assert "演示数据" in zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()


def test_a_pack_of_real_data_says_nothing_of_a_demo(store):
    if render.problem():
        pytest.skip("chromium missing (as root, `make test` installs it)")
    result = pack.build(store, view_ctx(store), built_by="测试员")
    assert not [p for p in pdf_pages(result) if "演示数据" in p]
    assert not [t for t in slide_texts(result) if "演示数据" in t]
    book = zipfile.ZipFile(io.BytesIO(result.files["xlsx"][1]))
    assert not [n for n in book.namelist() if "演示数据" in book.read(n).decode("utf-8")]
