"""What the import page shows: the upload form, and the running or finished load (progress, then
the summary with a link to the quarantined rows), in Chinese or English."""

from __future__ import annotations

import json

from markupsafe import escape

from dashboard.i18n import fmt_int, t, translations

# Texts the page's script shows (assets/import.js), in the page's language.
SCRIPT_TEXTS = ("import_chosen", "import_skipped_names", "import_uploading", "import_paused",
                "import_uploaded", "import_upload_cancelled", "import_nothing_chosen",
                "import_failed_request", "import_indicator")


def _e(key: str, lang: str, **fmt) -> str:
    return str(escape(t(key, lang, **fmt)))


def percent(status: dict) -> int:
    """How far the load is: reading the files is the first 40 %, building the rest."""
    files = status.get("files_read", 0) / max(status.get("files_total") or 0, 1)
    steps = status.get("steps_done", 0) / max(status.get("steps_total") or 0, 1)
    return max(0, min(100, round(40 * files + 60 * steps)))


def indicator(status: dict | None, lang: str) -> str | None:
    """The header's short line while a load runs (None otherwise)."""
    if not status or status.get("state") != "running":
        return None
    return t("import_indicator", lang, percent=percent(status))


def status_html(status: dict | None, lang: str) -> str:
    if not status:
        return ""
    state = status.get("state")
    if state == "running":
        phase = status.get("phase", "starting")
        pct = percent(status)
        detail = ""
        if phase == "unzip":
            detail = _e("import_unzipped", lang, n=fmt_int(status.get("unzipped", 0), lang))
        elif phase in ("read", "build"):
            detail = _e("import_progress_detail", lang,
                        read=fmt_int(status.get("files_read", 0), lang),
                        total=fmt_int(status.get("files_total", 0), lang),
                        done=fmt_int(status.get("steps_done", 0), lang),
                        steps=fmt_int(status.get("steps_total", 0), lang),
                        step=status.get("step") or "—")
        cancelling = (f'<span class="ms-2">{_e("import_cancelling", lang)}</span>'
                      if status.get("cancel_requested") else "")
        return f"""
<div class="card mb-3" id="import-load" data-state="running"><div class="card-body">
  <h2 class="h6">{_e('import_running', lang)} · {_e('import_phase_' + phase, lang)}</h2>
  <div class="progress mb-2" role="progressbar" aria-valuenow="{pct}" aria-valuemin="0" aria-valuemax="100">
    <div class="progress-bar progress-bar-striped progress-bar-animated" id="import-load-bar" style="width: {pct}%">{pct}%</div></div>
  <div class="small text-muted mb-2" id="import-load-detail">{detail}</div>
  <button class="btn btn-sm btn-outline-danger" type="button" id="import-cancel-load">{_e('import_cancel_load', lang)}</button>{cancelling}
</div></div>"""
    if state == "done":
        return done_html(status, lang)
    message = status.get("message_zh" if lang == "zh" else "message_en") or ""
    hint = (f'<div class="mt-1" id="import-shrink-hint">{_e("import_shrink_hint", lang)}</div>'
            if "--accept-shrink" in message else "")
    return (f'<div class="alert alert-{"secondary" if state == "cancelled" else "danger"}" '
            f'id="import-load" data-state="{escape(state)}"><strong>'
            f'{_e("import_" + ("cancelled" if state == "cancelled" else "failed"), lang)}</strong> '
            f'{escape(message)}{hint}</div>')


def done_html(status: dict, lang: str) -> str:
    s = status.get("summary") or {}
    rows = s.get("rows") or {}
    n = lambda v: fmt_int(v, lang)  # noqa: E731
    head = "".join(f'<th class="text-nowrap{"" if k == "import_col_kind" else " text-end"}">'
                   f'{_e(k, lang)}</th>' for k in (
        "import_col_kind", "import_col_files", "import_col_read", "import_col_loaded",
        "import_col_quarantined", "import_col_merged"))
    kinds = "".join(
        f"<tr><td>{escape(k['label_zh'] if lang == 'zh' else k['label_en'])}</td>"
        f"<td class='text-end'>{n(k['files'])}</td><td class='text-end'>{n(k['read'])}</td>"
        f"<td class='text-end'>{n(k['loaded'])}</td><td class='text-end'>{n(k['quarantined'])}</td>"
        f"<td class='text-end'>{n(k['merged'])}</td></tr>" for k in s.get("kinds", []))
    reasons = "".join(
        f"<tr><td class='text-nowrap'>{escape(r.get('label_' + lang, r['kind']))}</td>"
        f"<td>{escape(r['zh'] if lang == 'zh' else r['en'])}</td>"
        f"<td class='text-end'>{n(r['rows'])}</td></tr>" for r in s.get("reasons", []))
    skipped = "".join(f"<li><code>{escape(f['path'])}</code>: "
                      f"{escape(f['zh'] if lang == 'zh' else f['en'])}</li>"
                      for f in s.get("skipped", []))
    by_file = "".join(f"<li><code>{escape(f['path'])}</code>: {n(f['rows'])}</li>"
                      for f in s.get("files_quarantined", []))
    warnings = "".join(f"<li>{escape(w)}</li>" for w in status.get("warnings") or [])
    return f"""
<div class="card mb-3 border-success" id="import-load" data-state="done"><div class="card-body">
  <h2 class="h6 text-success" id="import-done">{_e('import_done', lang, load=status.get('load_id'), seconds=status.get('seconds'))}</h2>
  <p class="mb-2" id="import-rows">{_e('import_rows', lang, loaded=n(rows.get('loaded', 0)), quarantined=n(rows.get('quarantined', 0)), merged=n(rows.get('merged', 0)), read=n(rows.get('read', 0)), skipped=n(len(s.get('skipped', []))))}</p>
  {_files_reused(s, lang)}
  <div class="table-responsive"><table class="table table-sm table-striped small" id="import-kinds"><thead><tr>{head}</tr></thead><tbody>{kinds}</tbody></table></div>
  {f'<h3 class="h6">{_e("import_reasons", lang)}</h3><div class="table-responsive"><table class="table table-sm small" id="import-reasons"><tbody>{reasons}</tbody></table></div>' if reasons else ''}
  {f'<h3 class="h6">{_e("import_files_quarantined", lang)}</h3><ul class="small" id="import-quarantined-files">{by_file}</ul>' if by_file else ''}
  {f'<div class="alert alert-warning small" id="import-skipped"><strong>{_e("import_skipped_files", lang)}</strong><ul class="mb-0">{skipped}</ul></div>' if skipped else ''}
  {f'<div class="alert alert-warning small"><ul class="mb-0">{warnings}</ul></div>' if warnings else ''}
  <a href="/quality?lang={lang}" id="import-quality-link">{_e('import_quality_link', lang)}</a> ·
  <a href="/?lang={lang}" id="import-overview-link">{_e('import_overview_link', lang)}</a>
</div></div>"""


def _files_reused(summary: dict, lang: str) -> str:
    """How many files the load read and how many it reused unchanged (etl/reuse.py)."""
    files = summary.get("files") or {}
    if not files.get("reused"):
        return ""
    return (f'<p class="small text-muted mb-2" id="import-files-reused">'
            f'{_e("import_files_reused", lang, read=fmt_int(files.get("read") or 0, lang), reused=fmt_int(files["reused"], lang))}</p>')


def page(status: dict | None, lang: str, token: str, max_bytes: int) -> str:
    other = "en" if lang == "zh" else "zh"
    # Inside <script> the JSON must not close the element: "</" is written "<\\/".
    texts = json.dumps({k: translations()[k][lang] for k in SCRIPT_TEXTS},
                       ensure_ascii=False).replace("</", "<\\/")
    return f"""
<link rel="stylesheet" href="/assets/02-import.css">
<main class="container p-3 p-md-4" id="import-page" data-csrf="{escape(token)}" data-lang="{lang}">
  <div class="d-flex justify-content-between align-items-baseline flex-wrap column-gap-3">
    <h1 class="h4">{_e('import_title', lang)}</h1>
    <div><a href="/?lang={lang}">{_e('admin_back', lang)}</a> ·
      <a href="/import?lang={other}" id="import-lang">{_e(f'lang_{other}', lang)}</a></div>
  </div>
  <p class="text-muted">{_e('import_intro', lang, limit=fmt_int(max_bytes // 1_000_000, lang))}</p>
  <div id="import-status">{status_html(status, lang)}</div>
  <div class="card mb-3"><div class="card-body">
    <div id="import-drop" class="import-drop border border-2 rounded p-4 mb-3 text-center">
      <i class="bi bi-cloud-arrow-up fs-2"></i><div>{_e('import_drop', lang)}</div>
      <div class="mt-2">
        <label class="btn btn-sm btn-outline-primary" for="import-files">{_e('import_choose_files', lang)}</label>
        <input type="file" id="import-files" multiple accept=".zip,.xlsx,.xls,.csv" class="d-none">
        <label class="btn btn-sm btn-outline-primary" for="import-folder">{_e('import_choose_folder', lang)}</label>
        <input type="file" id="import-folder" webkitdirectory multiple class="d-none">
      </div>
      <div class="small mt-2" id="import-chosen"></div>
    </div>
    <div class="row g-2 align-items-end mb-3">
      <div class="col-md-4"><label class="form-label small" for="import-as-of">{_e('import_as_of', lang)}</label>
        <input type="datetime-local" step="1" class="form-control form-control-sm" id="import-as-of"></div>
      <div class="col-md-8"><div class="form-check">
        <input class="form-check-input" type="checkbox" id="import-accept-shrink">
        <label class="form-check-label small" for="import-accept-shrink">{_e('import_accept_shrink', lang)}</label></div></div>
    </div>
    <div class="d-flex gap-2 flex-wrap mb-2">
      <button class="btn btn-primary" type="button" id="import-start" disabled>{_e('import_start', lang)}</button>
      <button class="btn btn-outline-secondary d-none" type="button" id="import-pause">{_e('import_pause', lang)}</button>
      <button class="btn btn-outline-primary d-none" type="button" id="import-resume">{_e('import_resume', lang)}</button>
      <button class="btn btn-outline-danger d-none" type="button" id="import-cancel-upload">{_e('import_cancel_upload', lang)}</button>
    </div>
    <div class="progress mb-1 d-none" id="import-upload-progress" role="progressbar">
      <div class="progress-bar" id="import-upload-bar" style="width: 0%">0%</div></div>
    <div class="small" id="import-upload-text"></div>
    <div class="alert alert-danger d-none mt-2" id="import-message" role="alert"></div>
  </div></div>
  <script type="application/json" id="import-texts">{texts}</script>
  <script src="/assets/import.js"></script>
</main>"""
