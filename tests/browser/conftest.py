"""End-to-end browser fixtures: a generated province loaded by `zhtj etl`, served by `zhtj serve`
on a free port, and Debian's chromium driven by Playwright through executable_path.

Every page a test opens records its console errors, page errors, failed responses and requests;
a request to any host other than 127.0.0.1 is aborted and recorded. `Tab.assert_clean()` checks
all of that (and the server's log) at the end of a test.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
MEMBERS, SEED = 10_000, 1
AS_OF_DAY, AS_OF = "2024-10-08", "2024-10-08T12:00:00"
VIEWPORT = {"width": 1400, "height": 900}
# Dash's requests in flight, counted in the page: a view has settled when none has been running
# for a short quiet period (callbacks chain: a finished one can start the next).
IDLE_SCRIPT = """
(() => {
  let pending = 0, last = performance.now();
  const fetch0 = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : (input && input.url) || '';
    if (!String(url).includes('_dash-update-component')) return fetch0.apply(this, arguments);
    pending += 1; last = performance.now();
    return fetch0.apply(this, arguments).finally(() => { pending -= 1; last = performance.now(); });
  };
  window.__dashIdle = (quiet) => pending === 0 && performance.now() - last > quiet
    && !document.querySelector('._dash-loading, [data-dash-is-loading="true"]');
})();
"""


def zhtj_command() -> list[str]:
    script = Path(sys.executable).parent / "zhtj"
    return [str(script)] if script.exists() else [sys.executable, "-m", "etl.cli"]


def zhtj(*args: str, timeout: int = 300) -> str:
    """Run the zhtj command as a user would; its stdout."""
    done = subprocess.run([*zhtj_command(), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"zhtj {' '.join(args)} exited {done.returncode}:\n{done.stderr}"
    return done.stdout


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The account every tab signs in as unless a test says otherwise: a viewer of the whole
# province (names masked, as the tests expect).
BROWSER_ACCOUNT, BROWSER_PASSWORD = "browser-viewer", "browser-viewer-pw"


@dataclass
class Server:
    base_url: str
    db: Path
    log: Path
    proc: subprocess.Popen
    # name -> (password, organization id, role): the demo accounts and BROWSER_ACCOUNT
    accounts: dict = field(default_factory=dict)

    def check_alive(self) -> None:
        code = self.proc.poll()
        if code is not None:
            pytest.fail(f"zhtj serve has exited ({code}):\n"
                        + self.log.read_text(encoding="utf-8", errors="replace"))

    def metrics(self, org_id: str) -> dict:
        """`zhtj metrics --json` of one organization, as a user would ask for it."""
        return json.loads(zhtj("metrics", "--db", str(self.db), "--org", org_id, "--json"))

    def log_problems(self) -> list[str]:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return [line for line in text.splitlines()
                if "Traceback" in line or "Exception on" in line or "ERROR" in line]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A small generated province (colleges with campaigns and rosters) loaded by `zhtj etl`."""
    base = tmp_path_factory.mktemp("browser")
    files, db = base / "files", base / "zhtj.duckdb"
    zhtj("generate", "--members", str(MEMBERS), "--seed", str(SEED), "--out", str(files),
         "--as-of", AS_OF_DAY)
    zhtj("etl", str(files), "--db", str(db), "--allow-skipped", "--as-of", AS_OF, "--quiet")
    return db


def make_accounts(db: Path, path: Path) -> dict:
    """The demo accounts (`zhtj user demo`, passwords read from what it prints) and a viewer of
    the whole province (`zhtj user add --password-stdin`)."""
    accounts = {}
    for line in zhtj("user", "demo", "--db", str(db), "--accounts", str(path)).splitlines()[1:]:
        role, name, _, password = line.split()[:4]
        accounts[name] = (password, None, role)
    import queries
    from etl.metrics import connect

    with connect(db) as c:
        orgs = {r["role"]: r["org_id"] for r in queries.rows("demo_account_orgs", c)}
    accounts = {n: (p, orgs[role], role) for n, (p, _, role) in accounts.items()}
    done = subprocess.run([*zhtj_command(), "user", "add", BROWSER_ACCOUNT, "--org", orgs["admin"],
                           "--role", "viewer", "--accounts", str(path), "--password-stdin"],
                          input=BROWSER_PASSWORD + "\n", cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    accounts[BROWSER_ACCOUNT] = (BROWSER_PASSWORD, orgs["admin"], "viewer")
    return accounts


@pytest.fixture(scope="session")
def server(demo_db, tmp_path_factory) -> Server:
    """`zhtj serve` (sign-in on) on a free port of 127.0.0.1, stopped at the end of the
    session."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "serve.log"
    accounts_path = log.parent / "accounts.sqlite"
    accounts = make_accounts(demo_db, accounts_path)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*zhtj_command(), "serve", "--db", str(demo_db), "--host", "127.0.0.1",
             "--port", str(port), "--accounts", str(accounts_path)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"zhtj serve exited {proc.returncode}:\n"
                            + log.read_text(encoding="utf-8", errors="replace"))
            try:
                with urllib.request.urlopen(base_url + "/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("zhtj serve did not answer within 60 s:\n"
                            + log.read_text(encoding="utf-8", errors="replace"))
            time.sleep(0.2)
        yield Server(base_url=base_url, db=demo_db, log=log, proc=proc, accounts=accounts)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def conn(demo_db):
    """A read-only SQLAlchemy connection to the database the server shows (as `zhtj metrics`)."""
    from etl.metrics import connect

    with connect(demo_db) as c:
        yield c


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing (as root, `make test` installs chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class BrowserLog:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # responses >= 400, requests that failed
    aborted: list[str] = field(default_factory=list)  # cut short by the page leaving (not failures)
    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # aborted: host not 127.0.0.1


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname == "127.0.0.1"


class Tab:
    """One browser context with its page, the log of what it did, and helpers for the app."""

    def __init__(self, browser, server: Server, downloads: Path,
                 account: str | None = BROWSER_ACCOUNT) -> None:
        self.server = server
        self.log = BrowserLog()
        self.context = browser.new_context(viewport=VIEWPORT, accept_downloads=True,
                                           locale="zh-CN", service_workers="block")
        self.context.add_init_script(IDLE_SCRIPT)
        self.context.route("**/*", self._route)
        self.context.on("request", lambda r: self.log.requests.append(r.url))
        self.context.on("requestfailed", self._request_failed)
        self.context.on("response", self._response)
        self.downloads = downloads
        if account is not None:
            self.sign_in(account)
        self.page = self.new_page()

    def sign_in(self, account: str) -> None:
        """Sign in over HTTP in this context (its cookie then serves every page it opens)."""
        password = self.server.accounts[account][0]
        r = self.context.request.post(self.server.base_url + "/login",
                                      form={"name": account, "password": password, "next": "/"},
                                      max_redirects=0)
        assert r.status == 302, r.text()

    def _route(self, route) -> None:
        url = route.request.url
        if _is_local(url):
            route.continue_()
        else:
            self.log.outside.append(url)
            route.abort()

    def _request_failed(self, request) -> None:
        # A request the browser cuts short because the page navigates away (the favicon, a
        # status poll, a font still arriving) is the browser leaving, not the app failing;
        # an answer of 4xx or 5xx, a refused connection or a request sent outside still count.
        entry = f"{request.url}: {request.failure}"
        if request.failure == "net::ERR_ABORTED" and _is_local(request.url):
            self.log.aborted.append(entry)
        else:
            self.log.failed.append(entry)

    def _response(self, response) -> None:
        if response.status >= 400:
            self.log.failed.append(f"{response.status} {response.url}")

    def _console(self, message) -> None:
        if message.type == "error":
            self.log.console_errors.append(f"{message.text} @ {message.location}")

    def new_page(self):
        page = self.context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.log.page_errors.append(str(e)))
        page.set_default_timeout(20_000)
        return page

    # -- the app ---------------------------------------------------------------------------

    def open(self, path: str, page=None):
        page = page or self.page
        self.server.check_alive()
        page.goto(self.server.base_url + path)
        self.settle(page)
        return page

    def settle(self, page=None, quiet_ms: int = 300) -> None:
        """Wait until Dash has drawn the view and no callback is running."""
        page = page or self.page
        page.wait_for_selector("#breadcrumb, #problem")
        page.wait_for_function("q => window.__dashIdle && window.__dashIdle(q)", arg=quiet_ms,
                               polling=100)

    def wait_for_org(self, name: str, page=None) -> None:
        """Wait until the breadcrumb ends with this organization, then for Dash to settle."""
        page = page or self.page
        page.wait_for_function(
            """n => { const a = document.querySelector('#breadcrumb .breadcrumb-item.active');
                      return a !== null && a.textContent.trim() === n; }""", arg=name)
        self.settle(page)

    def breadcrumb(self, page=None) -> list[str]:
        page = page or self.page
        return [s.strip() for s in
                page.locator("#breadcrumb .breadcrumb-item").all_text_contents()]

    def kpis(self, page=None) -> dict[str, str]:
        """The overview's KPI values by card id (kpi-members, kpi-reviews, ...)."""
        page = page or self.page
        found = page.eval_on_selector_all(
            ".kpi-value", "els => els.map(e => [e.id, e.textContent.trim()])")
        return {i.removesuffix("-value"): v for i, v in found}

    def url_params(self, page=None) -> dict[str, str]:
        page = page or self.page
        return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}

    def screenshot(self, name: str, page=None) -> Path:
        page = page or self.page
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def assert_clean(self) -> None:
        log = self.log
        assert not log.outside, f"requests left 127.0.0.1: {log.outside}"
        assert not log.page_errors, f"page errors: {log.page_errors}"
        assert not log.console_errors, f"console errors: {log.console_errors}"
        assert not log.failed, f"failed requests: {log.failed}"
        assert log.requests and all(_is_local(u) for u in log.requests), log.requests
        problems = self.server.log_problems()
        assert not problems, "server log:\n" + "\n".join(problems)

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def tab(browser, server, tmp_path):
    t = Tab(browser, server, tmp_path)
    try:
        yield t
    finally:
        t.close()
