"""Exports in headless Chromium: a chart's menu downloads a 2x PNG named for the organization,
the figure and the as-of date; the meeting-pack button builds the PDF, the slides and the
workbook in the background (with a progress bar) while the user moves to another page, and the
three files arrive with the college's name, the as-of date and its follow-up lists."""

from __future__ import annotations

import io
import time

import pytest

from tests.browser.conftest import CHROMIUM
from tests.browser.test_dashboard import college_with_campaign, href

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} missing (as root, `make test` installs chromium)",
                allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright for Python is not installed")

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]


def test_chart_menu_downloads_a_png_named_for_org_figure_and_date(tab, conn):
    from PIL import Image

    college, _, _ = college_with_campaign(conn)
    page = tab.open(href("/registration", org=college["org_id"]))
    box = page.locator(".chart-box", has=page.locator("#registration-children-chart"))
    box.locator(".chart-menu-toggle").click()
    with page.expect_download(timeout=60_000) as info:
        box.get_by_text("PNG 图片（高清）").click()
    download = info.value
    assert download.suggested_filename == (
        f"{college['full_name']}_下级组织报到完成情况（最差在前）_20241008.png")
    target = tab.downloads / download.suggested_filename
    download.save_as(target)
    image = Image.open(target)
    assert image.size[0] >= 2000
    lo, hi = image.convert("L").getextrema()
    assert hi - lo > 100
    tab.settle()
    tab.assert_clean()


def test_pack_button_builds_three_files_while_the_user_moves_on(tab, conn):
    from openpyxl import load_workbook
    from pptx import Presentation
    from pypdf import PdfReader

    college, _, lagging = college_with_campaign(conn)
    page = tab.open(href("/registration", org=college["org_id"]))
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    page.locator("#pack-button").click()
    page.wait_for_selector("#pack-card")
    tab.screenshot("pack-progress")
    # The user keeps working: another page opens while the pack builds.
    page.locator("#nav-transfers").click()
    page.wait_for_selector("#transfers-page")
    deadline = time.monotonic() + 300  # a wait limit, not a timing: a busy machine builds slowly
    while len(downloads) < 3 and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert len(downloads) == 3, [d.suggested_filename for d in downloads]
    page.wait_for_selector("#pack-links")
    tab.screenshot("pack-done")
    files = {}
    for d in downloads:
        target = tab.downloads / d.suggested_filename
        d.save_as(target)
        files[target.suffix] = target
    stem = f"{college['full_name']}_会议材料_20241008"
    assert sorted(p.name for p in files.values()) == sorted(
        f"{stem}{s}" for s in (".pdf", ".pptx", ".xlsx"))

    reader = PdfReader(files[".pdf"])
    first = reader.pages[0].extract_text()
    assert college["full_name"] in first and "2024年10月8日" in first
    assert all(college["full_name"] in p.extract_text() for p in reader.pages)
    deck = Presentation(io.BytesIO(files[".pptx"].read_bytes()))
    assert len(deck.slides) == len(reader.pages)
    book = load_workbook(files[".xlsx"])
    assert book.sheetnames[0] == "落后团支部"
    at_risk = [b for b in lagging if b["is_at_risk"]]
    assert book["落后团支部"].max_row - 1 == len(at_risk)
    # The links stay for another download.
    link = page.locator("#pack-link-xlsx")
    assert link.get_attribute("href").startswith("/_pack/")
    tab.settle()
    tab.assert_clean()
