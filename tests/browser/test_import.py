"""In the browser: the admin of the root loads a folder of generated exports, then a zip of them
with GBK names (as Windows zips them), through the page's file choosers; each load ends in the
same figures as `zhtj etl` on the same files, with its summary and a link to the quarantine; the
header shows the load running on any page."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request

import pytest

from tests.browser.conftest import (CHROMIUM, ROOT, Server, Tab, free_port, zhtj,
                                    zhtj_command)
from tests.importer.zips import gbk_zip_of_folder

pytestmark = [pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is needed"),
              pytest.mark.xdist_group("browser")]
AS_OF = "2024-10-08T12:00:00"
ADMIN, PASSWORD = "import-admin", "import-admin-pw-1"


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """Generated exports (1,000 members) and the database `zhtj etl` makes of them."""
    base = tmp_path_factory.mktemp("import-browser")
    files, db = base / "省导出", base / "cli.duckdb"
    zhtj("generate", "--members", "1000", "--seed", "3", "--out", str(files),
         "--as-of", "2024-10-08")
    zhtj("etl", str(files), "--db", str(db), "--as-of", AS_OF, "--quiet", "--allow-skipped")
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    root = con.execute("select org_id from org_tree where depth = 0 order by seq limit 1"
                       ).fetchone()[0]
    con.close()
    return {"files": files, "db": db, "root": root, "base": base}


@pytest.fixture(scope="module")
def empty_server(reference, tmp_path_factory):
    """`zhtj serve` on a database not loaded yet, with an admin of the province's root."""
    base = tmp_path_factory.mktemp("import-serve")
    db, accounts = base / "zhtj.duckdb", base / "accounts.sqlite"
    done = subprocess.run([*zhtj_command(), "user", "add", ADMIN, "--org", reference["root"],
                           "--role", "admin", "--accounts", str(accounts), "--password-stdin"],
                          input=PASSWORD + "\n", cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    port, log = free_port(), base / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*zhtj_command(), "serve", "--db", str(db), "--port", str(port),
             "--accounts", str(accounts)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url + "/health", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        yield Server(base_url=url, db=db, log=log, proc=proc,
                     accounts={ADMIN: (PASSWORD, reference["root"], "admin")})
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def metrics(db, org) -> dict:
    return json.loads(zhtj("metrics", "--db", str(db), "--org", org, "--json"))


def cli_summary(db) -> list[list[str]]:
    """The summary table `zhtj etl` printed for its load: kind, files, read, loaded,
    quarantined, merged."""
    import duckdb

    from etl.summary import facts

    con = duckdb.connect(str(db), read_only=True)
    try:
        kinds = facts(con)["kinds"]
    finally:
        con.close()
    return [[k["label_zh"]] + [f"{k[c]:,}" for c in ("files", "read", "loaded", "quarantined",
                                                      "merged")] for k in kinds]


def start_load(tab: Tab, chooser: str, what) -> None:
    """Choose files with the page's file chooser, give the data's time, upload and load."""
    page = tab.page
    page.goto(tab.server.base_url + "/import")
    with page.expect_file_chooser() as chosen:
        page.click(f"label[for={chooser}]")
    chosen.value.set_files(what)
    page.wait_for_selector("#import-start:not([disabled])")
    page.fill("#import-as-of", AS_OF)
    page.click("#import-start")


def wait_for_the_end(tab: Tab) -> None:
    page = tab.page
    page.wait_for_selector("#import-load[data-state=done], #import-load[data-state=failed], "
                           "#import-message:not(.d-none)", timeout=300_000)
    assert page.get_attribute("#import-load", "data-state") == "done", page.inner_text("body")


def test_an_admin_loads_a_folder_then_a_gbk_zip_from_the_browser(browser, empty_server,
                                                                 reference, tmp_path):
    server, root = empty_server, reference["root"]
    expected = metrics(reference["db"], root)
    tab = Tab(browser, server, tmp_path, account=ADMIN)
    try:
        page = tab.page
        # An empty database: the admin is told so, and finds the import link in the header.
        page.goto(server.base_url + "/")
        page.wait_for_selector("#problem")
        page.click("#import-link")
        page.wait_for_selector("#import-page")

        start_load(tab, "import-folder", str(reference["files"]))
        wait_for_the_end(tab)
        assert "导入完成：第 1 次导入" in page.inner_text("#import-load")
        kinds = [row.split("\t") for row in page.inner_text("#import-kinds tbody").splitlines()]
        assert kinds == cli_summary(reference["db"])
        assert metrics(server.db, root) == expected
        tab.screenshot("import-done")

        # The quarantined rows are one click away.
        page.click("#import-quality-link")
        tab.settle()
        assert page.url.startswith(server.base_url + "/quality")

        # The same exports zipped on Chinese Windows: GBK names, no UTF-8 flag. Meanwhile the
        # header of any page the admin opens says a load is running.
        archive = gbk_zip_of_folder(reference["files"], tmp_path / "团建导出.zip")
        other = tab.new_page()
        tab.open("/", page=other)
        start_load(tab, "import-files", str(archive))
        other.wait_for_function(
            "() => (document.querySelector('#import-indicator') || {}).textContent"
            "?.startsWith('导入中')", timeout=120_000)
        wait_for_the_end(tab)
        assert "导入完成：第 2 次导入" in page.inner_text("#import-load")
        assert metrics(server.db, root) == expected
        uploads = server.db.parent / "uploads"
        assert not uploads.exists() or list(uploads.iterdir()) == []
        audit = server.db.parent / "audit.sqlite"
        import sqlite3

        con = sqlite3.connect(audit)
        rows = [(a, json.loads(d)) for a, d in con.execute(
            "select action, detail from audit where action in ('upload', 'import') order by id")]
        con.close()
        assert [(a, d["result"]) for a, d in rows] == [("upload", "loading"), ("import", "done"),
                                                       ("upload", "loading"), ("import", "done")]
        assert rows[2][1]["names"] == ["团建导出.zip"] and rows[2][1]["files"] == 1
        tab.assert_clean()
    finally:
        tab.close()


def test_a_zip_bomb_chosen_in_the_page_is_refused_with_its_name(browser, empty_server, tmp_path):
    """The page shows the server's refusal (Chinese and English, naming the zip and the member);
    nothing is left in the upload folder and the database is untouched."""
    import hashlib
    import zipfile

    server = empty_server
    bomb = tmp_path / "本周导出.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("团员.csv", b"0" * 60_000_000)
    before = (hashlib.sha256(server.db.read_bytes()).hexdigest() if server.db.exists()
              else None)
    tab = Tab(browser, server, tmp_path, account=ADMIN)
    try:
        page = tab.page
        start_load(tab, "import-files", str(bomb))
        page.wait_for_selector("#import-message:not(.d-none)", timeout=120_000)
        text = page.inner_text("#import-message")
        assert "本周导出.zip" in text and "压缩炸弹" in text and "zip bomb" in text
        uploads = server.db.parent / "uploads"
        assert not uploads.exists() or list(uploads.iterdir()) == []
        after = (hashlib.sha256(server.db.read_bytes()).hexdigest() if server.db.exists()
                 else None)
        assert after == before
        # the refusal answers 400: the one failed request this test expects
        tab.log.failed = [f for f in tab.log.failed if "/finish" not in f]
        tab.log.console_errors = [e for e in tab.log.console_errors if "400" not in e]
        tab.assert_clean()
    finally:
        tab.close()
