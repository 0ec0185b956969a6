"""A non-editable install: the wheel in a fresh virtual environment serves every page and builds
the meeting pack, with its CSS, fonts and translations found inside the installed package."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from dashboard.view import PATHS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
MEMBERS, SEED = 1_000, 3  # 300 or 500 members: `zhtj generate` fails (zip in registration.py)
# What the build must not see: environments, data, test output and earlier builds' leftovers.
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "data", "out", "test-output",
                                    ".pytest_cache", "__pycache__", "*.egg-info")
# Folders whose every file (code, SQL, CSS, fonts, translations) the app needs at run time.
DATA_FOLDERS = ("assets", "queries", "helptext")


def run(cmd: list, cwd: Path, timeout: int = 300, **kwargs) -> str:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False, **kwargs)
    assert done.returncode == 0, (f"{' '.join(map(str, cmd))} exited {done.returncode}:\n"
                                  f"{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclass
class Install:
    wheel: Path
    venv: Path
    work: Path  # outside the checkout: the folder every command runs in

    def zhtj(self, *args, timeout: int = 300) -> str:
        return run([self.venv / "bin" / "zhtj", *args], cwd=self.work, timeout=timeout)


@pytest.fixture(scope="module")
def install(tmp_path_factory) -> Install:
    """The wheel, built offline from a copy of the checkout, in a new virtual environment."""
    base = tmp_path_factory.mktemp("wheel")
    assert ROOT not in base.parents, "the test folder must lie outside the checkout"
    # pip builds inside the source folder (build/, *.egg-info): a copy keeps runs at the same
    # time apart and a stale build/ of the checkout out of the wheel.
    src, dist, venv, work = base / "src", base / "dist", base / "venv", base / "work"
    shutil.copytree(ROOT, src, ignore=NOT_SOURCE)
    work.mkdir()
    # No build isolation and no index: the build uses this interpreter's setuptools (the test
    # extra) and nothing is downloaded.
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", src, "-w", dist], cwd=work)
    (wheel,) = dist.glob("*.whl")
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=work)
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
         "--no-index", wheel], cwd=work)
    # The dependencies come from this interpreter's site-packages, listed in a .pth file: the test
    # stays offline and fast. A .pth line only appends a folder to sys.path (after the new venv's
    # own site-packages, and without running the .pth files in it, such as the editable install's
    # finder), so the project itself can only be imported from the wheel.
    deps = [p for p in sys.path if p.rstrip("/").endswith("site-packages")]
    purelib = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                       cwd=work).strip())
    (purelib / "zz_test_dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    return Install(wheel=wheel, venv=venv, work=work)


@pytest.fixture(scope="module")
def province(install) -> Path:
    """A small generated province, loaded by the installed `zhtj etl`."""
    files, db = install.work / "files", install.work / "zhtj.duckdb"
    install.zhtj("generate", "--members", MEMBERS, "--seed", SEED, "--out", files)
    install.zhtj("etl", files, "--db", db, "--allow-skipped", "--quiet")
    return db


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, body: dict | None = None) -> tuple[int, bytes]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as r:
        return r.status, r.read()


def test_the_wheel_carries_every_file_of_assets_and_queries(install):
    """Each file under assets/ and queries/ (CSS, fonts, translations, SQL) is in the wheel."""
    names = set(zipfile.ZipFile(install.wheel).namelist())
    files = [p.relative_to(ROOT).as_posix() for folder in DATA_FOLDERS
             for p in sorted((ROOT / folder).rglob("*"))
             if p.is_file() and "__pycache__" not in p.parts]
    assert "assets/i18n.json" in files and "queries/macros.sql" in files
    assert "assets/import.js" in files  # the import page's script (package data *.js)
    assert "helptext/topics/dues.toml" in files and "assets/04-help.css" in files
    assert [f for f in files if f not in names] == []


def test_the_project_is_imported_from_the_wheel(install):
    """Outside the checkout, the new venv imports the packages from its own site-packages."""
    out = run([install.venv / "bin" / "python", "-c",
               "import accounts, assets, dashboard, etl, exports, helptext, importer, queries\n"
               "for m in (accounts, assets, dashboard, etl, exports, helptext, importer, "
               "queries):\n"
               "    print(m.__file__)\n"
               "print(len(helptext.entries()), helptext.search('qf')[0].key)"],
              cwd=install.work)
    *modules, help_line = out.splitlines()
    for line in modules:
        assert install.venv in Path(line).parents, line
    import helptext

    # the help entries come from the wheel's topic files, and the pinyin search works there
    assert help_line == f"{len(helptext.entries())} arrears_6plus"


def test_every_page_is_served_from_the_wheel(install, province):
    """`zhtj serve` from the wheel: each page, Dash's layout and the page callback, the local
    Bootstrap theme and icon font, and the Chinese and English texts of assets/i18n.json; the
    Help page with every entry of helptext/topics."""
    import helptext
    from dashboard.i18n import t

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = install.work / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [install.venv / "bin" / "zhtj", "serve", "--db", province, "--no-auth",
             "--host", "127.0.0.1", "--port", str(port)],
            cwd=install.work, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})

    def server_log() -> str:
        return log.read_text(encoding="utf-8", errors="replace")

    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, f"zhtj serve exited {proc.returncode}:\n{server_log()}"
            try:
                if fetch(base + "/health")[0] == 200:
                    break
            except (urllib.error.URLError, OSError):
                pass
            assert time.monotonic() < deadline, f"no answer within 60 s:\n{server_log()}"
            time.sleep(0.2)

        for path in PATHS.values():
            status, body = fetch(base + path)
            html = body.decode()
            assert status == 200, path
            # Dash links the CSS it found in its assets folder: the theme first, ours last.
            assert html.index("/assets/00-bootstrap.min.css") < html.index("/assets/app.css"), path
        for asset in ("00-bootstrap.min.css", "01-bootstrap-icons.min.css", "app.css",
                      "fonts/bootstrap-icons.woff2", "fonts/bootstrap-icons.woff"):
            status, body = fetch(f"{base}/assets/{asset}")
            assert status == 200 and len(body) > 1000, asset

        status, body = fetch(base + "/_dash-layout")
        assert status == 200 and b'"url"' in body
        status, body = fetch(base + "/_dash-dependencies")
        assert status == 200
        assert any(d["output"] == "body.children" for d in json.loads(body))

        for path in PATHS.values():
            for lang in ("zh", "en"):
                status, body = fetch(base + "/_dash-update-component", {
                    "output": "body.children",
                    "outputs": {"id": "body", "property": "children"},
                    "inputs": [{"id": "url", "property": "pathname", "value": path},
                               {"id": "url", "property": "search", "value": f"?lang={lang}"}],
                    "changedPropIds": ["url.pathname"], "state": []})
                text = json.dumps(json.loads(body), ensure_ascii=False)
                assert status == 200, (path, lang)
                assert t("app_title", lang) in text, (path, lang)
                if path == PATHS["help"]:  # every entry, from the wheel's help files
                    assert all(e.text(lang).title in text for e in helptext.entries()), lang
                assert t("no_data_title", lang) not in text, (path, lang)
        assert "Traceback" not in server_log()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def test_the_meeting_pack_is_built_from_the_wheel(install, province):
    """`zhtj report` from the wheel writes the PDF, the slides and the workbook."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing: the pack's charts need it "
                    "(as root: apt-get install chromium fonts-noto-cjk)")
    with duckdb.connect(str(province), read_only=True) as con:
        (root,) = con.execute("select org_id from org_tree where depth = 0 order by seq").fetchone()
    out = {suffix: install.work / f"pack.{suffix}" for suffix in ("pdf", "pptx", "xlsx")}
    install.zhtj("report", "--db", province, "--org", root, "--quiet",
                 *[arg for path in out.values() for arg in ("--out", path)], timeout=600)
    assert out["pdf"].read_bytes()[:4] == b"%PDF"
    assert out["pptx"].read_bytes()[:2] == b"PK"
    assert out["xlsx"].read_bytes()[:2] == b"PK"
