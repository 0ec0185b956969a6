"""The local Bootstrap theme in assets/: served in the right order, and nothing fetched online."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ASSETS = Path(__file__).resolve().parents[2] / "assets"
CSS = sorted(ASSETS.rglob("*.css"))
# A url(...) that is not an inline data: URI.
EXTERNAL_URL = re.compile(r"""url\(\s*['"]?(?!data:)([^'")]+)""")


def served_css_order() -> list[str]:
    """The order Dash links assets/*.css in: os.walk sorted, file names sorted per folder."""
    import os

    order = []
    for current, _, files in sorted(os.walk(ASSETS)):
        base = Path(current).relative_to(ASSETS)
        order += [str(base / f) if str(base) != "." else f for f in sorted(files)
                  if f.endswith("css")]
    return order


def test_bootstrap_and_the_icons_load_before_the_app_css():
    """Our CSS comes last so that it overrides Bootstrap."""
    order = served_css_order()
    assert order[:2] == ["00-bootstrap.min.css", "01-bootstrap-icons.min.css"]
    assert order[-1] == "app.css"


@pytest.mark.parametrize("path", CSS, ids=[p.name for p in CSS])
def test_no_css_file_imports_or_fetches_from_the_network(path):
    """No @import, no source map, and every url() is inline or a file under assets/."""
    text = path.read_text(encoding="utf-8")
    assert "@import" not in text
    assert "sourceMappingURL" not in text
    for url in EXTERNAL_URL.findall(text):
        assert not re.match(r"(?i)(https?:)?//", url), url
        local = (path.parent / url.split("?")[0]).resolve()
        assert local.is_file() and ASSETS in local.parents, url


def test_the_icon_fonts_are_shipped():
    """The icon CSS points at fonts/bootstrap-icons.woff2 and .woff, next to it."""
    text = (ASSETS / "01-bootstrap-icons.min.css").read_text(encoding="utf-8")
    assert 'url("fonts/bootstrap-icons.woff2' in text
    assert (ASSETS / "fonts" / "bootstrap-icons.woff2").stat().st_size > 50_000
    assert (ASSETS / "fonts" / "bootstrap-icons.woff").stat().st_size > 50_000


def test_the_app_css_uses_system_cjk_fonts_only():
    """No @font-face of our own: the font stack names fonts installed on the machine."""
    text = (ASSETS / "app.css").read_text(encoding="utf-8")
    assert "@font-face" not in text
    assert '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"' in text
