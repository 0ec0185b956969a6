"""The dashboard on a phone (WeChat Work's browser, 360 to 414 px wide): every page, the login
page and /admin at 390×844 with touch; no sideways scroll of the page once its sections have
rendered, a header folded behind a menu button (at most a fifth of the screen), no text cut off
outside the boxes meant to scroll (tables, grids), and the menu opens and its links work; one
page at 360 px too. A screenshot of each under test-output/screenshots/mobile-*.png."""

from __future__ import annotations

import pytest

from dashboard.view import PATHS
from tests.browser.conftest import BROWSER_ACCOUNT, CHROMIUM, Tab

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} missing (as root, `make test` installs chromium)",
                allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright for Python is not installed")
from tests.browser.test_cadres_quality import screenshot

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

PHONE_WIDTH, PHONE_HEIGHT = 390, 844
ADMIN = "demo-province-admin"

# Boxes whose content may be wider than they are: they scroll (tables, AG Grid) or draw their
# own text (charts).
SCROLLERS = ".table-responsive, [class*='ag-theme-'], .ag-root-wrapper, .js-plotly-plot"

# Every line of visible text outside SCROLLERS that runs past the screen's edges or past an
# ancestor that clips it (overflow other than visible, e.g. an ellipsis): "where: text".
CUT_TEXT = """([width, scrollers]) => {
  const cut = [];
  const range = document.createRange();
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest(scrollers) || el.closest('.visually-hidden, .sr-only')) continue;
    const texts = Array.from(el.childNodes)
      .filter(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!texts.length || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== 'visible' || Number(style.opacity) === 0) continue;
    const clips = [];
    for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') clips.push(a);
    }
    const name = (el.id ? '#' + el.id : el.tagName.toLowerCase()
                  + (el.className && el.className.baseVal === undefined
                     ? '.' + String(el.className).trim().split(/\\s+/).join('.') : ''));
    for (const node of texts) {
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width < 1 || r.height < 1) continue;
        let bad = r.left < -0.5 || r.right > width + 0.5;
        for (const a of clips) {
          const box = a.getBoundingClientRect();
          if (box.width <= 1 || box.height <= 1) { bad = false; break; }  // visually hidden
          const left = box.left + a.clientLeft, right = left + a.clientWidth;
          if (r.left < left - 0.5 || r.right > right + 0.5) bad = true;
        }
        if (bad) { cut.push(name + ': ' + node.textContent.trim().slice(0, 40)); break; }
      }
    }
  }
  // Hints in empty text boxes, measured in the font they are drawn with.
  const canvas = document.createElement('canvas').getContext('2d');
  for (const input of document.querySelectorAll('input[placeholder]')) {
    if (input.value || !input.getClientRects().length || input.closest(scrollers)) continue;
    const style = getComputedStyle(input), hint = getComputedStyle(input, '::placeholder');
    canvas.font = `${hint.fontStyle} ${hint.fontWeight} ${hint.fontSize} ${hint.fontFamily}`;
    const room = input.clientWidth - parseFloat(style.paddingLeft)
      - parseFloat(style.paddingRight);
    if (canvas.measureText(input.placeholder).width > room + 0.5) {
      cut.push('placeholder of #' + input.id + ': ' + input.placeholder);
    }
  }
  return cut;
}"""


class Phone:
    """A browser whose new contexts are a phone's: the given width, touch, a mobile viewport
    (which widens itself to a page wider than the screen: hence the checks against the width
    asked for), twice the pixels."""

    def __init__(self, browser, width: int = PHONE_WIDTH, height: int = PHONE_HEIGHT) -> None:
        self.browser, self.width, self.height = browser, width, height

    def new_context(self, **options):
        return self.browser.new_context(**{
            **options, "viewport": {"width": self.width, "height": self.height},
            "has_touch": True, "is_mobile": True, "device_scale_factor": 2})


def phone_tab(browser, server, tmp_path, *, account: str | None = BROWSER_ACCOUNT,
              width: int = PHONE_WIDTH) -> Tab:
    return Tab(Phone(browser, width), server, tmp_path, account=account)


def header_height(page) -> float:
    return page.eval_on_selector(".app-header", "e => e.getBoundingClientRect().height")


def check_fits(page, width: int, where: str, *, hints: bool = True) -> None:
    """The page as a phone shows it: as wide as the screen, no text cut off. hints=False lets
    a text box's hint end in an ellipsis (the English search hint is longer than any phone)."""
    assert page.evaluate("window.innerWidth") == width, f"{where}: the viewport widened"
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{where}: {scroll} px wide on a {width} px screen (sideways scroll)"
    cut = page.evaluate(CUT_TEXT, [width, SCROLLERS])
    if not hints:
        cut = [c for c in cut if not c.startswith("placeholder of ")]
    assert not cut, f"{where}: text cut off: {cut}"


def check_header(page, where: str) -> None:
    """Folded: the title, the as-of date and the menu button, a fifth of the screen at most."""
    height = header_height(page)
    assert height <= PHONE_HEIGHT / 5, f"{where}: header {height} px high"
    assert page.locator("#app-menu-toggle").is_visible()
    assert not page.locator("#app-menu .app-nav").is_visible()
    # The demo province: 演示数据 opens the as-of line (the badge beside the title is hidden).
    assert page.locator("#demo-badge-bar").inner_text().strip() == "演示数据"
    assert not page.locator("#demo-badge").is_visible()
    bar = page.locator(".app-freshness-bar").inner_text()
    assert bar.removeprefix("演示数据").strip().startswith("数据截至 2024年10月8日"), bar


@pytest.mark.parametrize("name", list(PATHS))
def test_every_page_fits_a_phone(browser, server, tmp_path, name):
    """Each page at 390 px: no sideways scroll, a folded header, no text cut off."""
    tab = phone_tab(browser, server, tmp_path)
    try:
        page = tab.open(PATHS[name])
        page.wait_for_selector(f"#{name}-page")
        tab.settle(quiet_ms=500)
        check_header(page, name)
        check_fits(page, PHONE_WIDTH, name)
        assert page.locator("#app-menu-toggle").inner_text().strip() == \
            page.locator(f"#nav-{name}").inner_text().strip()  # the button names the page
        toolbars = page.eval_on_selector_all(
            ".js-plotly-plot .modebar-container",
            "ms => ms.filter(m => getComputedStyle(m).display !== 'none').length")
        assert toolbars == 0, f"{name}: chart toolbars shown on a touch screen"
        kpis = page.eval_on_selector_all(
            ".kpi-card", "cs => cs.map(c => Math.round(c.getBoundingClientRect().left))")
        assert len(set(kpis)) <= 1, f"{name}: KPI cards side by side at {kpis}"
        screenshot(tab, f"mobile-{name}")
        tab.assert_clean()
    finally:
        tab.close()


def test_menu_opens_and_its_links_work(browser, server, tmp_path):
    """The menu button shows the page links, the language switch and sign-out in full; a link
    opens its page (same organization) and the header folds again."""
    tab = phone_tab(browser, server, tmp_path)
    try:
        page = tab.open("/")
        folded = header_height(page)
        page.locator("#app-menu-toggle").tap()  # opens, closes, opens
        page.locator("#app-menu .app-nav").wait_for(state="visible")
        page.locator("#app-menu-toggle").tap()
        page.locator("#app-menu .app-nav").wait_for(state="hidden")
        page.locator("#app-menu-toggle").tap()
        page.locator("#app-menu .app-nav").wait_for(state="visible")
        page.wait_for_function(
            "() => !document.querySelector('#app-menu').classList.contains('collapsing')")
        for p in PATHS:
            assert page.locator(f"#nav-{p}").is_visible()
        for control in ("#lang-switch", "#logout-button", "#account-name", "#pack-button"):
            box = page.locator(control).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, control
        assert header_height(page) > folded
        check_fits(page, PHONE_WIDTH, "menu open")
        tab.screenshot("mobile-menu")

        breadcrumb = tab.breadcrumb()
        page.locator("#nav-transfers").tap()
        page.wait_for_url("**/transfers*")
        page.wait_for_selector("#transfers-page")
        tab.settle()
        assert tab.breadcrumb() == breadcrumb
        assert not page.locator("#app-menu .app-nav").is_visible()
        assert header_height(page) <= PHONE_HEIGHT / 5

        page.locator("#app-menu-toggle").tap()
        page.locator("#lang-switch").wait_for(state="visible")
        page.locator("#lang-switch").tap()
        page.wait_for_function("() => document.querySelector('#nav-transfers')"
                               ".textContent.trim() === 'Transfers'")
        tab.settle()
        assert tab.url_params().get("lang") == "en"
        assert page.locator("#app-menu-toggle").inner_text().strip() == "Transfers"
        assert header_height(page) <= PHONE_HEIGHT / 5
        check_fits(page, PHONE_WIDTH, "transfers in English", hints=False)
        tab.assert_clean()
    finally:
        tab.close()


def test_registration_at_360_px(browser, server, tmp_path):
    """The narrowest phone: the registration page (campaign picker, wide grid) still fits, in
    English and in Chinese, with the campaign picker's list open too."""
    tab = phone_tab(browser, server, tmp_path, width=360)
    try:
        for lang in ("en", "zh"):
            page = tab.open(f"/registration?lang={lang}")
            page.wait_for_selector("#registration-branches .ag-row")
            tab.settle(quiet_ms=500)
            assert header_height(page) <= PHONE_HEIGHT / 5
            check_fits(page, 360, f"registration at 360 px ({lang})", hints=lang == "zh")
            screenshot(tab, f"mobile-registration-360-{lang}")
        # The campaign picker's list: long names wrap inside the screen.
        page.locator("#registration-campaign").tap()
        page.locator(".dash-dropdown-option").first.wait_for()
        check_fits(page, 360, "campaign picker open")
        page.keyboard.press("Escape")
        tab.assert_clean()
    finally:
        tab.close()


def test_login_page_fits_a_phone(browser, server, tmp_path):
    """The login page a shared link opens first: no sideways scroll, nothing cut off."""
    tab = phone_tab(browser, server, tmp_path, account=None)
    try:
        page = tab.page
        page.goto(server.base_url + "/registration")
        page.wait_for_selector("#login-form")
        check_fits(page, PHONE_WIDTH, "login")
        assert page.locator("#demo-ribbon").is_visible()  # the demo province says so
        box = page.locator("#login-submit").bounding_box()
        assert box and box["x"] + box["width"] <= PHONE_WIDTH
        tab.screenshot("mobile-login")
        tab.assert_clean()
    finally:
        tab.close()


def test_admin_page_fits_a_phone(browser, server, tmp_path):
    """/admin: its tables scroll inside their own box, the page does not."""
    tab = phone_tab(browser, server, tmp_path, account=ADMIN)
    try:
        page = tab.page
        page.goto(server.base_url + "/admin")
        page.wait_for_selector("#admin-audit")
        check_fits(page, PHONE_WIDTH, "admin")
        for table in ("#admin-accounts", "#admin-audit"):
            assert page.eval_on_selector(
                table, "t => t.parentElement.classList.contains('table-responsive')"), table
        tab.screenshot("mobile-admin")
        tab.assert_clean()
    finally:
        tab.close()
