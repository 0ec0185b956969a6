"""The meeting-pack button (in the header of every page), and the panel that shows the build's
progress and hands over the files. The panel sits outside the page's body: the user can go on
using the app while the pack builds."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update
from flask import Response, abort

from dashboard import context
from dashboard.i18n import t
from dashboard.store import DataStore
from dashboard.view import parse
from exports.jobs import Job, Jobs
from exports.pack import FORMATS, MEDIA

POLL_MS = 600
ROUTE = "/_pack"


def button(lang: str) -> dbc.Button:
    return dbc.Button([html.I(className="bi bi-file-earmark-richtext me-1"),
                       t("pack_button", lang)],
                      id="pack-button", color="light", size="sm", className="pack-button",
                      title=t("pack_button_title", lang))


def panel() -> html.Div:
    """The persistent part: the job's id, the poll, the progress and the downloads."""
    return html.Div([
        dcc.Store(id="pack-job"),
        dcc.Interval(id="pack-poll", interval=POLL_MS, disabled=True),
        html.Div(id="pack-status"),
        *[dcc.Download(id=f"pack-download-{fmt}") for fmt in FORMATS],
    ], id="pack-panel", className="pack-panel")


def built_by(ctx) -> str:
    """Who built the pack: the signed-in account's name (the cover says so), else "dashboard
    user" (the local account of --no-auth)."""
    name = getattr(getattr(ctx, "account", None), "name", None)
    return name if name and name != "local" else t("pack_by_dashboard", ctx.lang)


def status_view(job: Job) -> html.Div:
    lang = job.lang
    title = html.Div([html.Strong(t("pack_progress_title", lang, org=job.label)),
                      dbc.Button("×", id="pack-close", color="link", size="sm",
                                 className="pack-close", title=t("pack_close", lang))],
                     className="d-flex justify-content-between align-items-center")
    if job.state in ("queued", "running"):
        pct = int(round(job.fraction * 100))
        body = [dbc.Progress(value=max(pct, 3), label=f"{pct}%", striped=True, animated=True,
                             id="pack-progress", className="my-1"),
                html.Div(job.message or t("pack_queued", lang), className="small text-muted",
                         id="pack-message")]
    elif job.state == "done":
        links = [html.A(t(f"pack_file_{fmt}", lang), href=f"{ROUTE}/{job.id}/{fmt}",
                        className="btn btn-sm btn-outline-primary me-2 mt-1",
                        id=f"pack-link-{fmt}", download=job.files[fmt][0])
                 for fmt in FORMATS if fmt in job.files]
        body = [html.Div(t("pack_done", lang, secs=f"{job.seconds:.1f}"), className="small"),
                html.Div(links, id="pack-links")]
        if job.note:
            body.append(html.Div(job.note, className="small text-danger mt-1", id="pack-note"))
    else:
        body = [html.Div(t("pack_failed", lang, error=job.error or t("pack_failed_logged", lang)),
                         className="small text-danger", id="pack-error")]
    return dbc.Card(dbc.CardBody([title, *body]), className="pack-card shadow",
                    id="pack-card")


def _own(jobs: Jobs, job_id) -> Job | None:
    """The job when the account asking is the one that started it (another account's pack id,
    guessed or forged, is refused)."""
    from dashboard import access

    job = jobs.get(job_id) if isinstance(job_id, str) else None
    if job is None:
        return None
    account = access.current()
    if account is None or job.owner != account.name:
        access.refuse("not_owner", what="pack", job=job_id[:40])
        return None
    return job


def register(app, store: DataStore, *, reveal: bool = False, jobs: Jobs | None = None) -> Jobs:
    """The pack's callbacks and its download route; returns the jobs (for tests)."""
    from exports import pack

    jobs = jobs or Jobs(workers=1)
    app.server.extensions["zhtj_pack_jobs"] = jobs

    @app.callback(Output("pack-job", "data"), Output("pack-poll", "disabled"),
                  Output("pack-status", "children"),
                  Input("pack-button", "n_clicks"), State("url", "pathname"),
                  State("url", "search"), prevent_initial_call=True)
    def start(clicks, pathname, search):
        if not clicks:
            return no_update, no_update, no_update
        view = parse(pathname, search)
        ctx = context.resolve(store, view, reveal=reveal)
        if ctx.problem is not None:
            return no_update, no_update, no_update

        # The build runs on a pool thread, outside this request: it acts as this request's
        # account, auditing to this server's log.
        from dashboard import access

        account, audit_log = ctx.account, access.audit_log()

        def work(job: Job):
            def progress(fraction: float, message: str) -> None:
                job.fraction, job.message = fraction, message or job.message

            with access.acting_as(account, audit_log):
                result = pack.build(store, ctx, built_by=built_by(ctx), progress=progress)
            return result.files, result.missing

        job = jobs.submit(work, label=ctx.org["full_name"], lang=view.lang,
                          owner=getattr(account, "name", None))
        return job.id, False, status_view(job)

    @app.callback(Output("pack-status", "children", allow_duplicate=True),
                  Output("pack-poll", "disabled", allow_duplicate=True),
                  *[Output(f"pack-download-{fmt}", "data") for fmt in FORMATS],
                  Input("pack-poll", "n_intervals"), State("pack-job", "data"),
                  prevent_initial_call=True)
    def poll(_, job_id):
        job = _own(jobs, job_id)
        if job is None:
            return (None, True, *[no_update] * len(FORMATS))
        if job.state in ("queued", "running"):
            return (status_view(job), False, *[no_update] * len(FORMATS))
        # Done: hand each file over once (the links stay for another download).
        first, job.delivered = not job.delivered, True
        sends = [dcc.send_bytes(job.files[fmt][1], job.files[fmt][0])
                 if first and fmt in job.files else no_update for fmt in FORMATS]
        return (status_view(job), True, *sends)

    @app.callback(Output("pack-status", "children", allow_duplicate=True),
                  Input("pack-close", "n_clicks"), prevent_initial_call=True)
    def close(clicks):
        return None if clicks else no_update

    @app.server.route(f"{ROUTE}/<job_id>/<fmt>")
    def pack_file(job_id: str, fmt: str):
        job = _own(jobs, job_id)
        if job is None or fmt not in job.files:
            abort(404)
        name, data = job.files[fmt]
        from urllib.parse import quote

        return Response(data, mimetype=MEDIA[fmt], headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})

    return jobs
