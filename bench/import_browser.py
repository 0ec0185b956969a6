"""`python -m bench.import_browser --files DIR`: the upload and load of export files through the
browser (/import), as a folder and as one zip of it with GBK names, against `zhtj etl` on the same
files. Starts `zhtj serve` on an empty database and Debian's chromium; prints a Markdown table."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ADMIN, PASSWORD = "bench-admin", "bench-admin-pw-1"
AS_OF = "2024-10-08T12:00:00"


def zhtj(*args: str, **kwargs) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "zhtj"
    return subprocess.run([str(script), *args], capture_output=True, text=True, check=True,
                          **kwargs)


def serve(work: Path, root: str) -> tuple[subprocess.Popen, str, Path]:
    db, accounts = work / "web" / "zhtj.duckdb", work / "web" / "accounts.sqlite"
    db.parent.mkdir(parents=True)
    zhtj("user", "add", ADMIN, "--org", root, "--role", "admin", "--accounts", str(accounts),
         "--password-stdin", input=PASSWORD + "\n")
    sock = __import__("socket").socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    script = Path(sys.executable).parent / "zhtj"
    log = open(work / "serve.log", "wb")
    proc = subprocess.Popen([str(script), "serve", "--db", str(db), "--port", str(port),
                             "--accounts", str(accounts)], stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/health", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    return proc, url, db


def through_the_browser(page, url: str, chooser: str, what: str) -> tuple[float, float, str]:
    """(seconds to upload, seconds from the end of the upload to the published load, the
    page's summary line)."""
    page.goto(url + "/import")
    with page.expect_file_chooser() as chosen:
        page.click(f"label[for={chooser}]")
    chosen.value.set_files(what)
    page.wait_for_selector("#import-start:not([disabled])", timeout=600_000)
    page.fill("#import-as-of", AS_OF)
    started = time.perf_counter()
    page.click("#import-start")
    page.wait_for_selector("#import-load[data-state=running], #import-message:not(.d-none)",
                           timeout=3_600_000)
    uploaded = time.perf_counter()
    page.wait_for_selector("#import-load[data-state=done], #import-load[data-state=failed], "
                           "#import-load[data-state=cancelled]", timeout=3_600_000)
    done = time.perf_counter()
    return uploaded - started, done - uploaded, page.inner_text("#import-load").splitlines()[0]


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--files", type=Path, required=True)
    args = p.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from tests.importer.zips import gbk_zip_of_folder

    files = sorted(f for f in args.files.rglob("*") if f.is_file())
    size = sum(f.stat().st_size for f in files)
    rows = []
    with tempfile.TemporaryDirectory(prefix="zhtj-bench-import-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        zhtj("etl", str(args.files), "--db", str(work / "cli.duckdb"), "--as-of", AS_OF,
             "--quiet", "--allow-skipped")
        rows.append(("zhtj etl (command line)", len(files), size, None,
                     time.perf_counter() - started, ""))
        import duckdb

        con = duckdb.connect(str(work / "cli.duckdb"), read_only=True)
        root = con.execute("select org_id from org_tree where depth = 0 order by seq limit 1"
                           ).fetchone()[0]
        con.close()
        archive = gbk_zip_of_folder(args.files, work / "exports.zip")
        proc, url, _ = serve(work, root)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
                context = browser.new_context()
                r = context.request.post(url + "/login", form={"name": ADMIN,
                                                                "password": PASSWORD},
                                         max_redirects=0)
                assert r.status == 302
                page = context.new_page()
                page.on("console", lambda m: print("console:", m.type, m.text, file=sys.stderr))
                page.on("response", lambda r: r.status >= 400 and print(
                    "response:", r.status, r.url, file=sys.stderr))
                up, load, line = through_the_browser(page, url, "import-folder", str(args.files))
                rows.append(("browser, the folder", len(files), size, up, load, line))
                up, load, line = through_the_browser(page, url, "import-files", str(archive))
                rows.append(("browser, one zip (GBK names)", 1, archive.stat().st_size, up, load,
                             line))
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            print((work / "serve.log").read_text(errors="replace")[-3000:], file=sys.stderr)
    print("| how | files | MB | upload s | load s | page says |")
    print("|---|---:|---:|---:|---:|---|")
    for how, n, b, up, load, line in rows:
        print(f"| {how} | {n:,} | {b / 1e6:.1f} | {'' if up is None else f'{up:.1f}'} | "
              f"{load:.1f} | {line} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
