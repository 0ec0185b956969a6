"""`zhtj report`: the pack from the command line (for cron), one file per --out."""

from __future__ import annotations

import io

from etl.cli import main
from exports import render
from tests.exports.conftest import needs_chromium


def test_report_writes_the_workbook(province_db, tmp_path, capsys):
    out = tmp_path / "packs" / "week.xlsx"
    assert main(["report", "--db", str(province_db), "--org", "U", "--out", str(out),
                 "--quiet"]) == 0
    from openpyxl import load_workbook

    book = load_workbook(out)
    assert "超出录入范围的团干部" in book.sheetnames
    assert "wrote" in capsys.readouterr().out
    assert not (tmp_path / "packs" / "week.xlsx.part").exists()


@needs_chromium
def test_report_writes_pdf_and_slides_in_english(province_db, tmp_path):
    from pptx import Presentation
    from pypdf import PdfReader

    pdf, deck = tmp_path / "pack.pdf", tmp_path / "pack.pptx"
    assert main(["report", "--db", str(province_db), "--org", "U", "--out", str(pdf),
                 "--out", str(deck), "--lang", "en", "--quiet"]) == 0
    first = PdfReader(pdf).pages[0].extract_text()
    assert "共青团某大学委员会" in first and "8 Oct 2024" in first and "Meeting pack" in first
    assert Presentation(io.BytesIO(deck.read_bytes())).slides[1].shapes.title.text == "Key figures"


def test_report_refuses_unknown_suffix_org_and_db(province_db, tmp_path, capsys):
    assert main(["report", "--db", str(province_db), "--org", "U",
                 "--out", str(tmp_path / "x.docx")]) == 2
    assert main(["report", "--db", str(province_db), "--org", "NOPE",
                 "--out", str(tmp_path / "x.xlsx")]) == 2
    assert main(["report", "--db", str(tmp_path / "none.duckdb"), "--org", "U",
                 "--out", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert any("--out must end in .pdf, .pptx or .xlsx" in line for line in err)
    assert any("organization not found: NOPE" in line for line in err)
    assert any("database not found" in line for line in err)


def test_report_without_chromium_says_so_in_one_line(province_db, tmp_path, capsys,
                                                     monkeypatch):
    monkeypatch.setenv("ZHTJ_CHROMIUM", "/nonexistent/chromium")
    code = main(["report", "--db", str(province_db), "--org", "U", "--quiet",
                 "--out", str(tmp_path / "p.pdf"), "--out", str(tmp_path / "p.xlsx")])
    assert code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == render.MISSING_LINE
    assert (tmp_path / "p.xlsx").exists() and not (tmp_path / "p.pdf").exists()
