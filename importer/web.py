"""The import page (/import) and its small HTTP API: an upload is created with its file list,
sent chunk by chunk (PUT with the offset, straight to disk), resumed (GET says what arrived),
finished (the load starts in the background) or cancelled. Only an admin whose organization is
the root of the loaded tree (any admin while the database is empty); every upload and load is in
the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app, g, jsonify, request, session
from markupsafe import escape

from dashboard import access, auth
from dashboard.i18n import normalize_lang, t
from importer import job, page, uploads
from importer.settings import ImportSettings, read_import_settings


@dataclass(frozen=True)
class ImportConfig:
    db: Path
    accounts: Path
    settings_file: Path | None = None  # the same file `zhtj etl --settings` reads, with [import]

    def settings(self) -> ImportSettings:
        return read_import_settings(self.settings_file, self.db)


def may_import(account) -> bool:
    """An admin of the root of the loaded tree, or any admin when nothing is loaded yet."""
    from dashboard.context import home_of
    from dashboard.store import NoData

    if account is None or not account.is_admin or account.org_id is None:
        return False
    try:
        home = home_of(current_app.extensions["zhtj_store"], account)
    except NoData:
        return True
    return bool(home and home.get("whole_tree"))


def _config() -> ImportConfig:
    return current_app.extensions["zhtj_import"]


def _error(message: str, status: int):
    return jsonify({"error": message}), status


def install(app, config: ImportConfig) -> None:
    server = app.server
    server.extensions["zhtj_import"] = config

    def gate(*, write: bool = True):
        """None when the request may go on; else the refusal to answer with."""
        account = getattr(g, "account", None)
        if not may_import(account):
            access.refuse("not_import_admin", page="import")
            return _error("只有根组织的管理员可以导入数据 / only an admin of the root organization "
                          "may load data", 403)
        if write:
            sent = request.headers.get("X-CSRF-Token", "")
            if not sent or sent != session.get("csrf"):
                return _error("请求已失效，请刷新页面 / the request has expired: reload the page",
                              400)
        return None

    def own(upload_id: str):
        upload = uploads.find(_config().settings().folder, upload_id)
        account = g.account
        if upload is None or upload.manifest.get("actor") != account.name:
            return None
        return upload

    @server.route("/import", methods=["GET"])
    def import_page():
        lang = normalize_lang(request.args.get("lang"))
        if not may_import(getattr(g, "account", None)):
            access.refuse("not_import_admin", page="import")
            return auth.page_html(t("import_title", lang), f'<main class="container mt-5"><div '
                                  f'class="alert alert-danger" id="import-refused">'
                                  f'{escape(t("import_refused", lang))}</div><a href="/?lang='
                                  f'{lang}">{escape(t("admin_back", lang))}</a></main>', lang,
                                  status=403)
        cfg = _config()
        return auth.page_html(t("import_title", lang),
                              page.page(job.read_status(cfg.db), lang, auth.csrf_token(),
                                        cfg.settings().max_upload_bytes), lang)

    @server.route("/import/status", methods=["GET"])
    def import_status():
        refusal = gate(write=False)
        if refusal:
            return refusal
        lang = normalize_lang(request.args.get("lang"))
        status = job.read_status(_config().db)
        return jsonify({"state": (status or {}).get("state"),
                        "html": page.status_html(status, lang),
                        "indicator": page.indicator(status, lang)})

    @server.route("/import/uploads", methods=["POST"])
    def upload_create():
        refusal = gate()
        if refusal:
            return refusal
        cfg = _config()
        if job.running(cfg.db):
            return _error("已有一次导入正在进行，请等它结束 / a load is already running: wait for "
                          "it to finish", 409)
        body = request.get_json(silent=True) or {}
        account = g.account
        try:
            upload = uploads.create(cfg.settings().folder, body.get("files"), actor=account.name,
                                    actor_org_id=account.org_id,
                                    max_bytes=cfg.settings().max_upload_bytes)
        except uploads.UploadRefused as exc:
            access.refuse("upload_refused", page="import", message=str(exc)[:300])
            return _error(str(exc), 400)
        return jsonify(upload.as_json())

    @server.route("/import/uploads/<upload_id>", methods=["GET"])
    def upload_state(upload_id):
        refusal = gate(write=False)
        if refusal:
            return refusal
        upload = own(upload_id)
        if upload is None:
            return _error("没有这次上传 / no such upload", 404)
        return jsonify(upload.as_json())

    @server.route("/import/uploads/<upload_id>/<int:index>", methods=["PUT"])
    def upload_chunk(upload_id, index):
        refusal = gate()
        if refusal:
            return refusal
        upload = own(upload_id)
        if upload is None:
            return _error("没有这次上传 / no such upload", 404)
        try:
            offset = int(request.args.get("offset", "-1"))
            received = upload.write(index, offset, request.stream,
                                    request.content_length or 0)
        except (ValueError, uploads.UploadRefused) as exc:
            return _error(str(exc), 400)
        return jsonify({"received": received})

    @server.route("/import/uploads/<upload_id>", methods=["DELETE"])
    def upload_cancel(upload_id):
        refusal = gate()
        if refusal:
            return refusal
        upload = own(upload_id)
        if upload is None:
            return _error("没有这次上传 / no such upload", 404)
        if (upload.root / "loading").exists():
            return _error("这次上传正在导入，请用“取消导入” / this upload is being loaded: cancel "
                          "the load instead", 409)
        uploads.remove(upload)
        access.record("upload_cancel", upload=upload.id, files=len(upload.manifest["files"]),
                      bytes=upload.total_bytes())
        return jsonify({"cancelled": True})

    @server.route("/import/uploads/<upload_id>/finish", methods=["POST"])
    def upload_finish(upload_id):
        refusal = gate()
        if refusal:
            return refusal
        cfg = _config()
        upload = own(upload_id)
        if upload is None:
            return _error("没有这次上传 / no such upload", 404)
        body = request.get_json(silent=True) or {}
        detail = {"upload": upload.id, "files": len(upload.manifest["files"]),
                  "bytes": upload.total_bytes(),
                  "names": [f["path"] for f in upload.manifest["files"][:50]]}
        settings = cfg.settings()
        try:
            upload.check_complete()
            check_zips(upload, settings)
            as_of = _as_of(body.get("as_of"))
        except uploads.UploadRefused as exc:
            uploads.remove(upload)
            access.record("upload", result="refused", reason=str(exc)[:300], **detail)
            return _error(str(exc), 400)
        account = g.account
        try:
            job.start(cfg.db, upload.root, settings_file=cfg.settings_file,
                      accounts=cfg.accounts, actor=account.name, actor_org_id=account.org_id,
                      client=request.remote_addr, accept_shrink=bool(body.get("accept_shrink")),
                      as_of=as_of)
        except job.Busy:
            access.record("upload", result="busy", **detail)
            return _error("已有一次导入正在进行，请等它结束 / a load is already running: wait for "
                          "it to finish", 409)
        access.record("upload", result="loading", **detail)
        return jsonify({"started": True})

    @server.route("/import/cancel", methods=["POST"])
    def load_cancel():
        refusal = gate()
        if refusal:
            return refusal
        stopped = job.cancel(_config().db)
        return jsonify({"cancelled": stopped})


def check_zips(upload: uploads.Upload, settings: ImportSettings) -> None:
    """Refuse at once, from their directories alone, zips that are unsafe or expand too much."""
    from importer.unzip import plan

    budget = settings.max_zip_bytes
    for i, f in enumerate(upload.manifest["files"]):
        if f["path"].lower().endswith(".zip"):
            members = plan(upload.target(i), f["path"], max_bytes=budget,
                           max_ratio=settings.max_zip_ratio)
            budget -= sum(m.info.file_size for m in members)


def _as_of(value) -> str | None:
    """The data's as-of time the admin gave (empty: now)."""
    import datetime as dt

    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(str(value)).replace(microsecond=0).isoformat()
    except ValueError:
        raise uploads.UploadRefused(f"数据时间无效：{value} / invalid as-of time: {value}") from None
