"""The meeting pack attached to a digest (a subscription's `attach_pack`): its PDF and XLSX for the
subscribed organization, built once per load, organization and language by `zhtj report` in a
process of its own (the pack draws with chromium; the alerts do not import the exports)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from notify.message import Attachment

FORMATS = ("pdf", "xlsx")
TIMEOUT = 600  # seconds: a province's pack takes about 20 s at 10M members


def folder(notify_file: Path, load_id: int) -> Path:
    return Path(notify_file).with_name("packs") / f"load-{load_id:06d}"


def attachments(db: Path, notify_file: Path, load_id: int, org_id: str, org_name: str,
                lang: str, reveal: bool) -> tuple[Attachment, ...]:
    """The pack's files (built when missing); raises RuntimeError with the report's message."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", org_id)
    where = folder(notify_file, load_id)
    where.mkdir(parents=True, exist_ok=True)
    stem = f"{safe}-{lang}-{'full' if reveal else 'masked'}"
    paths = [where / f"{stem}.{fmt}" for fmt in FORMATS]
    if not all(p.exists() for p in paths):
        cmd = [sys.executable, "-m", "etl.cli", "report", "--db", str(db), "--org", org_id,
               "--lang", lang, "--by", "zhtj notify", "--not-a-meeting", "--quiet"]
        for p in paths:
            cmd += ["--out", str(p)]
        if reveal:
            cmd.append("--reveal-contacts")
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
        if run.returncode != 0:
            raise RuntimeError((run.stderr or run.stdout).strip()[-500:])
    title = "会议材料" if lang == "zh" else "meeting pack"
    return tuple(Attachment(f"{org_name} {title}.{p.suffix[1:]}", p) for p in paths)
