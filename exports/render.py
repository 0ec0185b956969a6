"""Static rendering with Debian's chromium: charts through one warm kaleido renderer, HTML pages
printed to PDF by chromium headless.

Where chromium is absent nothing here fails at import: `problem()` says so in one bilingual
line and the callers show that line instead of a file.
"""

from __future__ import annotations

import copy
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

FONT = "Noto Sans CJK SC"
CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
MISSING_LINE = ("未找到 chromium，无法导出图表和会议材料（以 root 运行：apt-get install chromium "
                "fonts-noto-cjk） / chromium not found: charts and meeting packs cannot be "
                "exported (as root: apt-get install chromium fonts-noto-cjk)")
FORMATS = ("png", "svg", "pdf")
PRINT_WIDTH = 1000  # px of a chart as exported (PNG at SCALE times that)
SCALE = 2
TABS = 2  # kaleido's tabs (charts drawn at once)
WARM_TRIES = 5
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-pdf-header-footer", "--hide-scrollbars")


class ExportUnavailable(RuntimeError):
    """Chromium is not installed: static export cannot run (the message is MISSING_LINE)."""


def chromium_path() -> str | None:
    """Debian's chromium (or ZHTJ_CHROMIUM / BROWSER_PATH when set); None when absent."""
    for name in ("ZHTJ_CHROMIUM", "BROWSER_PATH"):
        value = os.environ.get(name)
        if value:
            return value if Path(value).is_file() else None
    for candidate in CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return None


def problem() -> str | None:
    """None when static export can run, else the one line that says why not."""
    return None if chromium_path() else MISSING_LINE


class Renderer:
    """One kaleido renderer (kaleido.start_sync_server) kept warm for the process's life.

    kaleido's sync server answers one call at a time through shared queues: a lock keeps two
    request threads from taking each other's answers.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started = False

    def start(self) -> None:
        path = chromium_path()
        if path is None:
            raise ExportUnavailable(MISSING_LINE)
        if self._started:
            return
        import kaleido

        # Set explicitly: kaleido must never look for (or download) a browser of its own.
        os.environ["BROWSER_PATH"] = path
        # mathjax=False: kaleido would load MathJax from a CDN; nothing here uses LaTeX.
        # n=2 tabs: a pack draws its charts two at a time (a quarter faster on 2 cores).
        kaleido.start_sync_server(path=path, mathjax=False, n=TABS, silence_warnings=True)
        self._started = True

    def warm(self) -> None:
        """Start the renderer and draw one tiny chart, so that the first user does not wait.

        On a busy machine kaleido can be asked before its tab has loaded its page
        ("kaleido_scopes is not defined"): the chart is asked for again, a second apart, and a
        renderer still not ready is a warning, not a crash of the warming thread."""
        problem: Exception | None = None
        for _ in range(WARM_TRIES):
            try:
                self.render({"data": [], "layout": {"width": 50, "height": 50}}, "png", scale=1)
                return
            except ExportUnavailable:
                return
            except Exception as exc:  # noqa: BLE001 - kaleido's errors have no common base
                problem = exc
                time.sleep(1)
        logging.getLogger("zhtj.exports").warning(
            "图表渲染器预热未成功，首次导出时再启动 / chart renderer not warmed, it starts at "
            "the first export: %s", str(problem).splitlines()[0][:200])

    def render(self, figure: dict, fmt: str, *, scale: float = SCALE) -> bytes:
        """The figure (a plain dict) as PNG, SVG or PDF bytes."""
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}: {fmt}")
        import kaleido

        with self._lock:
            self.start()
            layout = figure.get("layout", {})
            opts = {"format": fmt, "scale": scale, "width": layout.get("width") or PRINT_WIDTH,
                    "height": layout.get("height") or 500}
            return kaleido.calc_fig_sync(figure, opts=opts)

    def render_many(self, figures: list[dict], fmt: str, *, scale: float = SCALE) -> list[bytes]:
        """Several figures at once, drawn in parallel on the renderer's tabs."""
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}: {fmt}")
        import kaleido

        with self._lock, tempfile.TemporaryDirectory(prefix="zhtj-charts-") as tmp:
            self.start()
            paths = [Path(tmp) / f"{i}.{fmt}" for i in range(len(figures))]
            specs = [{"fig": fig, "path": str(path), "opts": {
                "format": fmt, "scale": scale,
                "width": fig.get("layout", {}).get("width") or PRINT_WIDTH,
                "height": fig.get("layout", {}).get("height") or 500}}
                for fig, path in zip(figures, paths)]
            kaleido.write_fig_from_object_sync(specs)
            # Under load kaleido's browser pipe can garble a reply (choreographer logs a JSON
            # error and the file is never written): a missing chart is drawn again on its own.
            return [path.read_bytes() if path.exists()
                    else kaleido.calc_fig_sync(spec["fig"], opts=spec["opts"])
                    for path, spec in zip(paths, specs)]


_renderer = Renderer()


def renderer() -> Renderer:
    return _renderer


def for_print(figure: dict, *, title: str | None = None, subtitle: str | None = None,
              width: int = PRINT_WIDTH, min_height: int = 420) -> dict:
    """A copy of a dashboard figure laid out for paper: fixed size, the CJK font first, the
    title (and a subtitle: the organization and the as-of date) written into the image."""
    fig = copy.deepcopy(figure)
    layout = fig.setdefault("layout", {})
    height = max(int(layout.get("height") or min_height), min_height)
    layout.update(width=width, height=height, paper_bgcolor="white", plot_bgcolor="white")
    font = dict(layout.get("font") or {})
    font["family"] = f"{FONT}, sans-serif"
    font.setdefault("size", 13)
    font.setdefault("color", "#1f2937")
    layout["font"] = font
    old = layout.get("title") or {}
    text = title if title is not None else (old.get("text") if isinstance(old, dict) else old)
    if text or subtitle:
        new = {"text": text or "", "x": 0.01, "xanchor": "left", "font": {"size": 18}}
        if subtitle:
            new["subtitle"] = {"text": subtitle, "font": {"size": 12, "color": "#6b7280"}}
        layout["title"] = new
        margin = dict(layout.get("margin") or {})
        margin["t"] = max(int(margin.get("t") or 0), 80 if subtitle else 56)
        margin.setdefault("l", 10)
        margin.setdefault("r", 20)
        margin["b"] = max(int(margin.get("b") or 0), 30)
        layout["margin"] = margin
    else:  # the title is written beside the image (the pack's pages and slides)
        layout["title"] = {"text": ""}
        margin = dict(layout.get("margin") or {})
        margin.update(t=20, b=max(int(margin.get("b") or 0), 30))
        margin.setdefault("l", 10)
        margin.setdefault("r", 20)
        layout["margin"] = margin
    return fig


class Printer:
    """A chromium kept open (through choreographer, as kaleido drives its own) that prints HTML
    files to PDF: a warm print saves the browser's start, a second or two a pack."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop = None
        self._browser = None

    def _start(self, path: str) -> None:
        import asyncio

        import choreographer

        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="zhtj-printer", daemon=True).start()

        async def open_browser():
            browser = choreographer.Browser(path=path, headless=True)
            await browser.open()
            return browser

        self._browser = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(60)
        self._loop = loop
        import atexit

        atexit.register(self.close)

    def close(self) -> None:
        import asyncio

        if self._browser is not None and self._loop is not None:
            try:
                asyncio.run_coroutine_threadsafe(self._browser.close(), self._loop).result(10)
            except Exception:  # noqa: BLE001 - closing at exit: nothing more to do
                pass
            self._browser = None

    def print_file(self, uri: str, timeout: float = 120) -> bytes:
        import asyncio
        import base64

        async def printed():
            tab = await self._browser.create_tab("")
            try:
                await tab.send_command("Page.enable")
                loaded = tab.subscribe_once("Page.loadEventFired")
                await tab.send_command("Page.navigate", params={"url": uri})
                await loaded
                answer = await tab.send_command("Page.printToPDF", params={
                    "printBackground": True, "preferCSSPageSize": True,
                    "displayHeaderFooter": False})
            finally:
                await self._browser.close_tab(tab.target_id)
            if "result" not in answer:
                raise RuntimeError(f"chromium did not print the PDF: {answer.get('error')}")
            return base64.b64decode(answer["result"]["data"])

        with self._lock:
            if self._browser is None:
                self._start(chromium_path())
            return asyncio.run_coroutine_threadsafe(printed(), self._loop).result(timeout)


_printer = Printer()


def print_pdf(html: str) -> bytes:
    """An HTML document (every resource inline) printed to PDF by chromium headless, with its
    text extractable as the characters written (see fix_to_unicode). The warm printer prints it;
    should that fail, a chromium started for this one print does."""
    path = chromium_path()
    if path is None:
        raise ExportUnavailable(MISSING_LINE)
    with tempfile.TemporaryDirectory(prefix="zhtj-print-") as tmp:
        src = Path(tmp) / "pack.html"
        src.write_text(html, encoding="utf-8")
        try:
            return fix_to_unicode(_printer.print_file(src.as_uri()))
        except Exception:  # noqa: BLE001 - fall back to a one-off chromium below
            import logging

            logging.getLogger("zhtj.exports").warning("warm printer failed; printing cold",
                                                      exc_info=True)
    with tempfile.TemporaryDirectory(prefix="zhtj-print-") as tmp:
        src, out = Path(tmp) / "pack.html", Path(tmp) / "pack.pdf"
        src.write_text(html, encoding="utf-8")
        cmd = [path, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile",
               f"--print-to-pdf={out}", src.as_uri()]
        done = subprocess.run(cmd, capture_output=True, timeout=120, check=False,
                              stdin=subprocess.DEVNULL)
        if not out.exists():
            tail = done.stderr.decode("utf-8", "replace")[-500:]
            raise RuntimeError(f"chromium did not print the PDF (exit {done.returncode}): {tail}")
        return fix_to_unicode(out.read_bytes())


# -- text extraction ------------------------------------------------------------------------
#
# Noto Sans CJK maps a Kangxi radical (U+2F00..U+2FDF) and the ideograph it looks like (月,
# 日, 至, 无 ...) to one glyph; chromium's PDF writer then names the glyph by the radical, so a
# PDF reader would copy "2024年10⽉8⽇" (and 共⻘团). The pack never writes radicals: each is put
# back to its ideograph (exports/radicals.py) in the fonts' ToUnicode maps.

_HEX = re.compile(rb"<([0-9A-Fa-f]{2,8})>")


def _ideograph(code: int) -> int:
    from exports.radicals import IDEOGRAPH

    return IDEOGRAPH.get(code, code)


def _fix_cmap(data: bytes) -> bytes:
    """A ToUnicode CMap with radical targets replaced (bfrange runs split into bfchar lines)."""
    out, changed = [], False
    lines = data.split(b"\n")
    in_range = False
    for line in lines:
        stripped = line.strip()
        if stripped.endswith(b"beginbfrange"):
            in_range = True
            out.append(line)
            continue
        if stripped.endswith(b"endbfrange"):
            in_range = False
            out.append(line)
            continue
        codes = _HEX.findall(line)
        if in_range and len(codes) == 3 and b"[" not in line:
            lo, hi, dst = (int(c, 16) for c in codes)
            width = len(codes[0])
            if any(_ideograph(dst + i) != dst + i for i in range(hi - lo + 1)):
                # Keep the range's shape: one (src, src, dst) range per code.
                for i in range(hi - lo + 1):
                    src = f"{lo + i:0{width}X}".encode()
                    target = f"{_ideograph(dst + i):04X}".encode()
                    out.append(b"<" + src + b"> <" + src + b"> <" + target + b">")
                changed = True
                # the count before beginbfrange is now wrong: fixed below
                continue
        elif not in_range and len(codes) == 2:
            dst = int(codes[1], 16)
            if len(codes[1]) == 4 and _ideograph(dst) != dst:
                line = line.replace(b"<" + codes[1] + b">", f"<{_ideograph(dst):04X}>".encode())
                changed = True
        out.append(line)
    if not changed:
        return data
    return _recount_ranges(b"\n".join(out))


def _recount_ranges(data: bytes) -> bytes:
    """Set each `N beginbfrange` count to the number of lines its block has (PDF CMaps allow at
    most 100 a block: longer blocks are split)."""
    lines = data.split(b"\n")
    out: list[bytes] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip().endswith(b"beginbfrange"):
            j = i + 1
            entries = []
            while j < len(lines) and not lines[j].strip().endswith(b"endbfrange"):
                entries.append(lines[j])
                j += 1
            for k in range(0, len(entries), 100):
                chunk = entries[k:k + 100]
                out.append(f"{len(chunk)} beginbfrange".encode())
                out.extend(chunk)
                out.append(b"endbfrange")
            i = j + 1
            continue
        out.append(line)
        i += 1
    return b"\n".join(out)


def fix_to_unicode(pdf: bytes) -> bytes:
    """The PDF with every font's ToUnicode map naming ideographs, not Kangxi radicals."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    import logging

    # chromium's trailer counts fewer objects than it writes: harmless, and not worth a warning
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    seen: set[int] = set()
    changed = False
    for page in writer.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            cmap_ref = font.get("/ToUnicode")
            if cmap_ref is None:
                continue
            key = getattr(cmap_ref, "idnum", id(cmap_ref))
            if key in seen:
                continue
            seen.add(key)
            stream = cmap_ref.get_object()
            data = stream.get_data()
            fixed = _fix_cmap(data)
            if fixed != data:
                stream.set_data(fixed)
                changed = True
    if not changed:
        return pdf
    buf = io.BytesIO()
    writer.add_metadata({NameObject("/Producer"): "zhtj"})
    writer.write(buf)
    return buf.getvalue()


def which_pdftoppm() -> str | None:
    return shutil.which("pdftoppm")
