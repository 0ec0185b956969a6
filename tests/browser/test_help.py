"""Help in the browser: the Help page found from the header, searched by pinyin; the `?` beside
an overview card opens the figure's text in place (no navigation), and its link opens the same
entry on the Help page; on a phone a tap does the same and the text fits the screen."""

from __future__ import annotations

import pytest

import helptext
from tests.browser.conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} missing (as root, `make test` installs chromium)",
                allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright for Python is not installed")
from tests.browser.test_mobile import PHONE_WIDTH, check_fits, phone_tab  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

ENTRY = "[id='{\"key\":\"%s\",\"type\":\"help-entry\"}']"


def shown(page, key: str) -> bool:
    return page.locator(ENTRY % key).is_visible()


def test_the_help_page_is_in_the_header_and_finds_entries_by_pinyin(tab):
    page = tab.open("/")
    page.click("#nav-help")
    tab.settle()
    assert page.url.endswith("/help?lang=zh")
    assert page.locator("#help-page h3").inner_text() == "帮助：每个数字的含义"
    assert shown(page, "members_active") and shown(page, "transfers_pending_out")
    # the topics at the top jump to their entries
    page.locator("#help-toc a", has_text="团费").click()
    page.wait_for_url("**/help?lang=zh#topic_dues")
    page.wait_for_selector(".help-target#help-topic_dues")
    # the rules as the load applied them
    assert "C1" in page.locator("#help-cadre_rules-dynamic").inner_text()

    page.fill("#help-search", "qianfei")
    page.wait_for_function("() => document.querySelector('#help-count').textContent"
                           ".includes('qianfei')")
    tab.settle()
    assert page.locator("#help-count").inner_text() == "“qianfei”：找到 3 条"
    assert shown(page, "arrears_6plus") and shown(page, "platform_arrears_six_months")
    assert not shown(page, "transfers_pending_out") and not shown(page, "members_active")
    page.fill("#help-search", "zj")  # initials of 转接
    page.wait_for_function("() => document.querySelector('#help-count').textContent"
                           ".includes('zj')")
    tab.settle()
    assert shown(page, "stuck_transfer") and not shown(page, "arrears_6plus")
    tab.screenshot("help-search")
    tab.assert_clean()


def test_a_question_mark_opens_the_text_in_place_and_links_to_its_entry(tab):
    page = tab.open("/?lang=en")
    page.wait_for_selector("#kpi-members")
    page.click(".kpi-box:has(#kpi-members) .help-q")
    popover = page.locator(".help-popover")
    popover.locator(".help-definition").wait_for()
    entry = helptext.entry("members_active")
    assert entry.en.title in popover.inner_text()
    assert entry.en.definition in popover.locator(".help-definition").inner_text()
    assert page.url.endswith("/?lang=en")  # in place: the card's own link was not followed
    tab.screenshot("help-popover")

    popover.locator(".help-more").click()
    page.wait_for_url("**/help?lang=en#members_active")
    page.wait_for_selector(".help-entry.help-target #help-members_active")
    tab.settle()
    assert page.locator(".help-target").inner_text().startswith(entry.en.title)
    top = page.eval_on_selector("#help-members_active", "e => e.getBoundingClientRect().top")
    assert 0 <= top < 900, "the entry the link names is on screen"
    # a related entry's link jumps to it on the same page
    related = helptext.entry("platform_registration_status").en.title
    page.locator(".help-target .help-related a", has_text=related).click()
    page.wait_for_url("**/help?lang=en#platform_registration_status")
    page.wait_for_selector(".help-entry.help-target #help-platform_registration_status")

    # a chart's ? names the figure the chart shows
    page.goto(tab.server.base_url + "/dues?lang=en")
    tab.settle()
    page.click("#dues-page .chart-box:has(#dues-trend) .help-q")
    page.locator(".help-popover .help-dynamic, .help-popover .help-definition").first.wait_for()
    assert helptext.entry("dues_amounts").en.title in page.locator(".help-popover").inner_text()
    tab.assert_clean()


def test_on_a_phone_a_tap_opens_the_text_and_it_fits_the_screen(browser, server, tmp_path):
    tab = phone_tab(browser, server, tmp_path)
    try:
        page = tab.open("/cadres")
        page.wait_for_selector("#cad-out-of-scope")
        page.tap(".kpi-box:has(#cad-out-of-scope) .help-q")
        popover = page.locator(".help-popover")
        popover.locator(".help-dynamic").wait_for()  # the rules the load applied
        assert "超出录入范围的团干部" in popover.inner_text()
        box = popover.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
        tab.screenshot("mobile-help-popover")
        page.tap(".app-freshness-bar")  # a tap elsewhere closes it
        popover.wait_for(state="detached")
        tab.settle()
        page = tab.open("/help")
        check_fits(page, PHONE_WIDTH, "/help")
        tab.assert_clean()
    finally:
        tab.close()
