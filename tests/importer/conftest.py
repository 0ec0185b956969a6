"""A generated province loaded by `zhtj etl`, a copy of it per test served by the app, and
accounts at its root (admin, viewer) and at a college (admin of a sub-organization)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "import-test-pw-1"
AS_OF = "2024-10-08T12:00:00"


def zhtj(*args: str) -> str:
    script = Path(sys.executable).parent / "zhtj"
    done = subprocess.run([str(script), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="session")
def exports(tmp_path_factory) -> dict:
    """Generated export files (1,000 members) and the database `zhtj etl` made of them."""
    base = tmp_path_factory.mktemp("import-exports")
    files, db = base / "exports", base / "cli.duckdb"
    zhtj("generate", "--members", "1000", "--seed", "3", "--out", str(files),
         "--as-of", "2024-10-08")
    zhtj("etl", str(files), "--db", str(db), "--as-of", AS_OF, "--quiet", "--allow-skipped")
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    root, college = con.execute(
        "select (select org_id from org_tree where depth = 0 order by seq limit 1), "
        "(select org_id from org_tree where org_type = 4 order by seq limit 1)").fetchone()
    con.close()
    return {"files": files, "db": db, "root": root, "college": college}


@dataclass
class Site:
    app: object
    db: Path
    accounts: Path
    folder: Path  # the upload folder

    def client(self, name: str):
        """A signed-in test client and the CSRF token of its /import page (None if refused)."""
        client = self.app.server.test_client()
        r = client.post("/login", data={"name": name, "password": PASSWORD, "next": "/"})
        assert r.status_code == 302
        found = re.search(r'data-csrf="([^"]+)"', client.get("/import").get_data(as_text=True))
        return client, {"X-CSRF-Token": found.group(1) if found else ""}

    def audit(self) -> list[tuple[str, dict]]:
        import json
        import sqlite3

        con = sqlite3.connect(self.accounts.with_name("audit.sqlite"))
        rows = [(a, json.loads(d)) for a, d in
                con.execute("select action, detail from audit order by id")]
        con.close()
        return rows

    def leftovers(self) -> list[str]:
        return sorted(str(p.relative_to(self.folder)) for p in self.folder.rglob("*")
                      ) if self.folder.exists() else []


def make_site(exports: dict, tmp_path: Path, settings: str = "") -> Site:
    from accounts.store import AccountStore
    from dashboard.app import Settings, create_app

    db = tmp_path / "zhtj.duckdb"
    shutil.copyfile(exports["db"], db)
    accounts = tmp_path / "accounts.sqlite"
    store = AccountStore(accounts)
    store.add("root-admin", exports["root"], "admin", PASSWORD)
    store.add("root-viewer", exports["root"], "viewer", PASSWORD)
    store.add("college-admin", exports["college"], "admin", PASSWORD)
    settings_file = None
    if settings:
        settings_file = tmp_path / "settings.toml"
        settings_file.write_text(settings, encoding="utf-8")
    app = create_app(Settings(db=db, accounts=accounts, notify_settings=settings_file))
    return Site(app=app, db=db, accounts=accounts, folder=tmp_path / "uploads")


@pytest.fixture()
def site(exports, tmp_path) -> Site:
    return make_site(exports, tmp_path)


def upload(client, headers, files: dict[str, bytes]) -> dict:
    """Create an upload of these files and send each whole; the upload as the server has it."""
    names = list(files)
    r = client.post("/import/uploads", headers=headers,
                    json={"files": [{"path": n, "size": len(files[n])} for n in names]})
    assert r.status_code == 200, r.get_json()
    u = r.get_json()
    for i, n in enumerate(names):
        r = client.put(f"/import/uploads/{u['id']}/{i}?offset=0", data=files[n], headers=headers)
        assert r.get_json()["received"] == len(files[n])
    return u
