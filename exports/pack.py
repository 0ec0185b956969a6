"""Build the meeting pack of one organization's subtree: the PDF, the slides and the workbook
from one gathering of its content (the figures once, each chart drawn once)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from dashboard import charts
from dashboard.context import Context
from dashboard.store import DataStore
from exports import audit, render
from exports.content import Pack, Progress, _quiet, collect

FORMATS = ("pdf", "pptx", "xlsx")
MEDIA = {"pdf": "application/pdf",
         "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass
class Result:
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # fmt -> (name, data)
    missing: str | None = None  # why some formats could not be built (no chromium)
    pack: Pack | None = None
    seconds: float = 0.0


def file_name(ctx: Context, fmt: str) -> str:
    from dashboard.i18n import t

    return charts.file_name(ctx, t("pack_file_stem", ctx.lang), fmt)


def build(store: DataStore, ctx: Context, formats=FORMATS, *, built_by: str,
          progress: Progress = _quiet, since: dt.date | None = None,
          meeting: bool = True) -> Result:
    """The files of the pack in the formats asked for. Without chromium the workbook is still
    built and `missing` says, in one line, why the PDF and the slides are not. since: the start
    of its "since the last meeting" part (default: the load of the previous pack built for the
    organization, which the audit log has from the entry written here; meeting=False marks a
    pack that is not a meeting's, e.g. an alert's attachment, so that none starts there)."""
    from exports import pdf, slides, workbook

    started = time.perf_counter()
    formats = [f for f in FORMATS if f in formats]
    result = Result()
    visual = [f for f in formats if f in ("pdf", "pptx")]
    if visual and render.problem():
        result.missing = render.problem()
        formats = [f for f in formats if f not in visual]
        visual = []
    pack = collect(store, ctx, built_by=built_by, progress=progress, draw=bool(visual),
                   since=since)
    result.pack = pack
    writers = {"pdf": (pdf.write, "pack_step_pdf", 0.78),
               "pptx": (slides.write, "pack_step_pptx", 0.9),
               "xlsx": (workbook.write, "pack_step_xlsx", 0.95)}
    for fmt in formats:
        fn, step, at = writers[fmt]
        progress(at, pack.t(step))
        mark = time.perf_counter()
        result.files[fmt] = (file_name(ctx, fmt), fn(pack))
        pack.timings[fmt] = time.perf_counter() - mark
    result.seconds = time.perf_counter() - started
    period = pack.since.period if pack.since is not None else None
    audit.record("pack_build", ctx, formats=list(result.files), seconds=round(result.seconds, 2),
                 load_id=ctx.info.get("load_id"),
                 since_load_id=period.from_load if period is not None else None,
                 meeting=meeting)
    progress(1.0, "")
    return result
