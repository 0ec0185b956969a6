"""Meeting packs through the server respect the account: started by a forged request for another
organization they are refused; built for one's own, the PDF and the workbook mask names by role
and ID numbers always; each pack is in the audit log."""

from __future__ import annotations

import io
import re
import time

import pytest

from dashboard import access
from exports import render
from tests.dashboard.secured import make_app, sign_in

ID_NUMBER = re.compile(r"\d{17}[\dXx]")
FULL_NAME = re.compile(r"^[mc]\d+$")  # the province's people are m1.., c1..


@pytest.fixture(scope="module")
def app(province_db, tmp_path_factory):
    return make_app(province_db, tmp_path_factory.mktemp("packs") / "accounts.sqlite")


def start_pack(client, search: str):
    r = client.post("/_dash-update-component", json={
        "output": "..pack-job.data...pack-poll.disabled...pack-status.children..",
        "outputs": [{"id": "pack-job", "property": "data"},
                    {"id": "pack-poll", "property": "disabled"},
                    {"id": "pack-status", "property": "children"}],
        "inputs": [{"id": "pack-button", "property": "n_clicks", "value": 1}],
        "state": [{"id": "url", "property": "pathname", "value": "/"},
                  {"id": "url", "property": "search", "value": search}],
        "changedPropIds": ["pack-button.n_clicks"]})
    assert r.status_code in (200, 204)
    return (r.get_json() or {}).get("response", {}).get("pack-job", {}).get("data")


def finished(app, job_id):
    jobs = app.server.extensions["zhtj_pack_jobs"]
    deadline = time.monotonic() + 180
    while jobs.get(job_id).state in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    return jobs.get(job_id)


def workbook_cells(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
            for c in row if c is not None]


def test_a_pack_for_another_organization_is_refused(app):
    access._REFUSALS.clear()
    client = sign_in(app, "cs-operator")
    assert start_pack(client, "?org=G2") is None
    audit = app.server.extensions["zhtj_audit"]
    entry = audit.entries(limit=1)[0]
    assert (entry["action"], entry["org_id"], entry["actor"]) == ("refusal", "G2", "cs-operator")


@pytest.mark.parametrize("account, org, names_in_full", [("b11-viewer", "B11", False),
                                                         ("cs-operator", "G1", True)])
def test_packs_mask_by_role_and_are_audited(app, account, org, names_in_full):
    client = sign_in(app, account)
    job_id = start_pack(client, f"?org={org}")
    job = finished(app, job_id)
    assert job.state == "done" and job.owner == account
    xlsx = client.get(f"/_pack/{job_id}/xlsx")
    assert xlsx.status_code == 200
    cells = workbook_cells(xlsx.data)
    assert not any(ID_NUMBER.search(c) for c in cells)
    assert any(FULL_NAME.match(c) for c in cells) == names_in_full
    assert any(re.match(r"^[mc]\*$", c) for c in cells) != names_in_full
    if render.chromium_path() is not None and "pdf" in job.files:
        from pypdf import PdfReader

        pdf = client.get(f"/_pack/{job_id}/pdf")
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
        assert not ID_NUMBER.search(text.replace(" ", ""))
    audit = app.server.extensions["zhtj_audit"]
    packs = [e for e in audit.entries(limit=20) if e["action"] == "pack" and e["actor"] == account]
    assert packs and packs[0]["org_id"] == org and packs[0]["actor_org_id"] == org
    # Another account cannot take this pack.
    other = sign_in(app, "math-admin")
    assert other.get(f"/_pack/{job_id}/xlsx").status_code == 404
