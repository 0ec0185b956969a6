"""The pack button's background job: progress while it builds, the files handed over once, the
download route, and the app still answering meanwhile."""

from __future__ import annotations

import threading
import time

from dashboard.app import Settings, create_app
from exports import ui
from exports.jobs import Jobs
from tests.dashboard.conftest import text


def _wait(job, seconds=30):
    deadline = time.time() + seconds
    while job.state in ("queued", "running") and time.time() < deadline:
        time.sleep(0.02)
    return job


def test_job_reports_progress_then_files():
    jobs = Jobs()
    gate = threading.Event()

    def work(job):
        job.fraction, job.message = 0.5, "绘制图表 1/2"
        gate.wait(5)
        return {"xlsx": ("a.xlsx", b"xx")}, None

    job = jobs.submit(work, label="某大学团委", lang="zh")
    deadline = time.time() + 5
    while job.fraction < 0.5 and time.time() < deadline:
        time.sleep(0.01)
    shown = ui.status_view(job)
    assert "50%" in str(shown.to_plotly_json()) and "绘制图表 1/2" in text(shown)
    gate.set()
    assert _wait(job).state == "done"
    assert "a.xlsx" in str(ui.status_view(job).to_plotly_json())


def test_failed_job_says_why():
    jobs = Jobs()

    def work(job):
        raise RuntimeError("磁盘已满")

    job = _wait(jobs.submit(work, label="x", lang="zh"))
    assert job.state == "failed" and "磁盘已满" in text(ui.status_view(job))


def test_download_route_serves_a_finished_jobs_files(province_db):
    app = create_app(Settings(db=province_db, no_auth=True))
    jobs = app.server.extensions["zhtj_pack_jobs"]
    job = _wait(jobs.submit(lambda j: ({"xlsx": ("名单.xlsx", b"PK..")}, None), label="x",
                            lang="zh", owner="local"))  # the account outside a sign-in
    client = app.server.test_client()
    got = client.get(f"{ui.ROUTE}/{job.id}/xlsx")
    assert got.status_code == 200 and got.data == b"PK.."
    assert "filename*=UTF-8''%E5%90%8D%E5%8D%95.xlsx" in got.headers["Content-Disposition"]
    assert client.get(f"{ui.ROUTE}/{job.id}/pdf").status_code == 404
    assert client.get(f"{ui.ROUTE}/nope/xlsx").status_code == 404


def test_app_layout_keeps_the_pack_panel_outside_the_page_body(province_db):
    app = create_app(Settings(db=province_db, no_auth=True))
    layout = app.layout() if callable(app.layout) else app.layout
    ids = [getattr(c, "id", None) for c in layout.children]
    assert "body" in ids and "pack-panel" in ids
