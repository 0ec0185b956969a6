"""/import's API as the page uses it: who may load, what is refused (too large, not an export, a
zip bomb, a path out of the folder), a cancelled upload or load leaving nothing behind, one load
at a time, resuming an upload, and the audit log of it all."""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import time
import zipfile

import pytest

from importer import job
from tests.importer.conftest import make_site, upload


def wait_for(client, done, timeout: float = 300) -> dict:
    """Poll /import/status (as the page does) until done(status) holds."""
    deadline = time.monotonic() + timeout
    while True:
        status = client.get("/import/status?lang=en").get_json()
        if done(status):
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.2)


@pytest.mark.parametrize("name", ["root-viewer", "college-admin"])
def test_only_an_admin_of_the_root_may_load(site, name):
    """A viewer of the root and the admin of a college are refused the page and the API."""
    client, headers = site.client(name)
    page = client.get("/import")
    assert page.status_code == 403 and 'id="import-refused"' in page.get_data(as_text=True)
    r = client.post("/import/uploads", headers=headers, json={"files": [{"path": "a.csv",
                                                                           "size": 3}]})
    assert r.status_code == 403 and "only an admin of the root" in r.get_json()["error"]
    assert client.get("/import/status").status_code == 403
    assert site.leftovers() == []
    assert ("refusal", {"reason": "not_import_admin", "page": "import"}) in site.audit()


def test_the_root_admin_sees_the_page(site):
    client, headers = site.client("root-admin")
    page = client.get("/import?lang=en").get_data(as_text=True)
    assert "Load data" in page and 'id="import-drop"' in page and headers["X-CSRF-Token"]
    r = client.post("/import/uploads", json={"files": [{"path": "a.csv", "size": 3}]})
    assert r.status_code == 400  # no CSRF token: a forged request


def test_an_upload_too_large_is_refused(exports, tmp_path):
    site = make_site(exports, tmp_path, "[import]\nmax_upload_bytes = 1000\n")
    client, headers = site.client("root-admin")
    r = client.post("/import/uploads", headers=headers,
                    json={"files": [{"path": "团员.csv", "size": 600},
                                    {"path": "组织.csv", "size": 600}]})
    assert r.status_code == 400
    assert r.get_json()["error"] == ("上传过大：1,200 字节，上限 1,000 字节 / upload too large: "
                                     "1,200 bytes, the limit is 1,000")
    assert site.leftovers() == []


def test_files_that_are_not_exports_are_refused(site):
    client, headers = site.client("root-admin")
    r = client.post("/import/uploads", headers=headers,
                    json={"files": [{"path": "tools/setup.exe", "size": 2}]})
    assert r.status_code == 400 and "tools/setup.exe" in r.get_json()["error"]
    r = client.post("/import/uploads", headers=headers,
                    json={"files": [{"path": "../团员.csv", "size": 2}]})
    assert r.status_code == 400 and "unsafe or invalid file path: ../团员.csv" in r.get_json()[
        "error"]
    u = upload(client, headers, {"团员.csv": b"MZ\x90\x00\x03\x00\x00\x00"})
    r = client.post(f"/import/uploads/{u['id']}/finish", headers=headers, json={})
    assert r.status_code == 400
    assert r.get_json()["error"].endswith("(not a csv file): 团员.csv")
    assert site.leftovers() == []


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("members,expected", [
    ({"团员.csv": b"0" * 60_000_000}, "zip bomb"),
    ({"ok.csv": b"a\n", "../../etc/cron.d/x.csv": b"a\n"}, "climbs out of its folder"),
])
def test_a_zip_bomb_or_a_path_out_of_the_folder_is_refused(site, members, expected):
    client, headers = site.client("root-admin")
    before = _digest(site.db)
    u = upload(client, headers, {"exports.zip": _zip(members)})
    r = client.post(f"/import/uploads/{u['id']}/finish", headers=headers, json={})
    assert r.status_code == 400 and expected in r.get_json()["error"]
    assert "exports.zip" in r.get_json()["error"]
    assert site.leftovers() == [] and _digest(site.db) == before
    uploads = [d for a, d in site.audit() if a == "upload"]
    assert uploads[-1]["result"] == "refused" and uploads[-1]["names"] == ["exports.zip"]


def test_a_cancelled_upload_leaves_nothing_behind(site):
    client, headers = site.client("root-admin")
    r = client.post("/import/uploads", headers=headers,
                    json={"files": [{"path": "团员/一班.csv", "size": 10},
                                    {"path": "组织.csv", "size": 5}]})
    u = r.get_json()
    assert client.put(f"/import/uploads/{u['id']}/0?offset=0", data=b"12345",
                      headers=headers).get_json() == {"received": 5}
    assert site.leftovers() != []
    assert client.delete(f"/import/uploads/{u['id']}", headers=headers).status_code == 200
    assert site.leftovers() == []
    assert client.put(f"/import/uploads/{u['id']}/0?offset=5", data=b"67890",
                      headers=headers).status_code == 404
    assert site.leftovers() == []
    assert [d["files"] for a, d in site.audit() if a == "upload_cancel"] == [2]


def test_an_upload_resumes_where_the_server_is(site):
    """A chunk sent twice is written once; the server says how far each file has come."""
    client, headers = site.client("root-admin")
    u = client.post("/import/uploads", headers=headers,
                    json={"files": [{"path": "a.csv", "size": 10}]}).get_json()
    url = f"/import/uploads/{u['id']}/0"
    assert client.put(url + "?offset=0", data=b"a,b\n1,", headers=headers).get_json() == {
        "received": 6}
    assert client.put(url + "?offset=0", data=b"a,b\n1,", headers=headers).get_json() == {
        "received": 6}
    assert client.get(f"/import/uploads/{u['id']}").get_json()["files"] == [
        {"path": "a.csv", "size": 10, "received": 6}]
    assert client.put(url + "?offset=6", data=b"2\n3,", headers=headers).get_json() == {
        "received": 10}
    assert (site.folder / u["id"] / "files" / "a.csv").read_bytes() == b"a,b\n1,2\n3,"
    other, other_headers = site.client("root-admin")
    assert other.get(f"/import/uploads/{u['id']}").status_code == 200  # same account
    viewer, _ = site.client("root-viewer")
    assert viewer.get(f"/import/uploads/{u['id']}").status_code == 403


def test_a_second_upload_while_a_load_runs_is_told_so(site):
    client, headers = site.client("root-admin")
    fd = os.open(job.lock_path(site.db), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a running load holds it
    try:
        r = client.post("/import/uploads", headers=headers,
                        json={"files": [{"path": "a.csv", "size": 3}]})
    finally:
        os.close(fd)
    assert r.status_code == 409 and "a load is already running" in r.get_json()["error"]
    assert client.post("/import/uploads", headers=headers,
                       json={"files": [{"path": "a.csv", "size": 3}]}).status_code == 200


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_cancelled_load_leaves_the_published_database_as_it_was(site, exports):
    client, headers = site.client("root-admin")
    before = _digest(site.db)
    files = {str(p.relative_to(exports["files"])): p.read_bytes()
             for p in sorted(exports["files"].rglob("*")) if p.is_file()}
    u = upload(client, headers, files)
    r = client.post(f"/import/uploads/{u['id']}/finish", headers=headers,
                    json={"as_of": "2024-10-08T12:00:00"})
    assert r.status_code == 200
    wait_for(client, lambda s: s["state"] == "running" and "files read" in s["html"])
    assert client.post("/import/cancel", headers=headers).get_json() == {"cancelled": True}
    status = wait_for(client, lambda s: s["state"] != "running")
    assert status["state"] == "cancelled" and "The load was cancelled." in status["html"]
    assert _digest(site.db) == before
    assert sorted(p.name for p in site.db.parent.glob("zhtj.duckdb.tmp*")) == []
    assert site.leftovers() == []
    imports = [d for a, d in site.audit() if a == "import"]
    assert imports[-1]["result"] == "cancelled" and imports[-1]["files"] == len(files)
    assert client.post("/import/uploads", headers=headers,
                       json={"files": [{"path": "a.csv", "size": 3}]}).status_code == 200


def test_a_load_that_shrinks_the_data_fails_and_keeps_the_database(site, exports):
    """Only the organizations' files, over a database with members, dues, ...: the shrink guard
    of `zhtj etl` stops the load, the page says why, the database stays as it was."""
    client, headers = site.client("root-admin")
    before = _digest(site.db)
    orgs = {str(p.relative_to(exports["files"])): p.read_bytes()
            for p in sorted((exports["files"] / "组织").rglob("*")) if p.is_file()}
    u = upload(client, headers, orgs)
    assert client.post(f"/import/uploads/{u['id']}/finish", headers=headers,
                       json={}).status_code == 200
    status = wait_for(client, lambda s: s["state"] != "running")
    assert status["state"] == "failed" and "The load failed." in status["html"]
    assert "much less than the previous one" in status["html"]
    assert 'id="import-shrink-hint"' in status["html"]
    assert _digest(site.db) == before and site.leftovers() == []
    imports = [d for a, d in site.audit() if a == "import"]
    assert imports[-1]["result"] == "failed" and "much less" in imports[-1]["message"]
    # As soon as the page says the load has ended, the next upload is accepted.
    assert client.post("/import/uploads", headers=headers,
                       json={"files": [{"path": "a.csv", "size": 3}]}).status_code == 200


def test_uploading_the_same_exports_again_reuses_their_rows_and_says_so(site, exports):
    """The published database was loaded from these very files: a browser load of them reads
    none again (same relative paths, sizes and hashes) and the page says how many it reused."""
    client, headers = site.client("root-admin")
    files = {str(p.relative_to(exports["files"])): p.read_bytes()
             for p in sorted(exports["files"].rglob("*")) if p.is_file()}
    u = upload(client, headers, files)
    assert client.post(f"/import/uploads/{u['id']}/finish", headers=headers,
                       json={"as_of": "2024-10-15T12:00:00"}).status_code == 200
    status = wait_for(client, lambda s: s["state"] != "running")
    assert status["state"] == "done", status
    exported = len(files) - 1  # the demo marker is no export
    assert f"0 file(s) read; {exported:,} unchanged since the last load" in status["html"]
