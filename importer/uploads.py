"""Upload sessions on disk: the files of one upload written chunk by chunk (never whole in
memory) under the upload folder, resumable (the server says how many bytes it has of each),
checked for what they are, and removed whole when cancelled or loaded."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

EXTENSIONS = (".zip", ".xlsx", ".xls", ".csv")
MAX_FILES = 20_000
MAX_PATH = 400
CHUNK_LIMIT = 16 * 1024 * 1024  # one request's body at most
STALE_HOURS = 24  # an upload neither finished nor cancelled is removed after this
_ID = re.compile(r"[0-9a-f]{32}")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UploadRefused(ValueError):
    """An upload (or one of its files) is refused; the message names it, Chinese / English."""


def safe_path(text: str) -> str:
    """A file's path inside the upload as the browser gave it (a folder drop keeps its folders),
    or UploadRefused when it is absolute, climbs out (..) or is not a plain name."""
    if not isinstance(text, str):
        raise UploadRefused("文件名无效 / invalid file name")
    name = text.replace("\\", "/").strip()
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if (not parts or name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts
            or len(name) > MAX_PATH or any(ord(c) < 32 for c in name)):
        raise UploadRefused(f"文件路径不安全或无效：{text} / unsafe or invalid file path: {text}")
    return str(PurePosixPath(*parts))


def check_extension(path: str) -> None:
    if not path.lower().endswith(EXTENSIONS):
        raise UploadRefused(f"不支持的文件类型（仅限 zip、xlsx、xls、csv）：{path} / file type "
                            f"not accepted (zip, xlsx, xls, csv only): {path}")


@dataclass
class Upload:
    """One upload: its folder, its files (path, size) and who sent it."""

    root: Path
    manifest: dict

    @property
    def id(self) -> str:
        return self.manifest["id"]

    @property
    def files_dir(self) -> Path:
        return self.root / "files"

    def target(self, index: int) -> Path:
        return self.files_dir / self.manifest["files"][index]["path"]

    def received(self) -> list[int]:
        """Bytes on disk of each file (what a resumed upload continues from)."""
        out = []
        for i in range(len(self.manifest["files"])):
            try:
                out.append(self.target(i).stat().st_size)
            except FileNotFoundError:
                out.append(0)
        return out

    def total_bytes(self) -> int:
        return sum(f["size"] for f in self.manifest["files"])

    def as_json(self) -> dict:
        return {"id": self.id, "files": [{**f, "received": r} for f, r in
                                         zip(self.manifest["files"], self.received())]}

    def write(self, index: int, offset: int, stream, length: int) -> int:
        """Write a chunk of file index at offset from stream (read piece by piece); the bytes
        the file has afterwards. A chunk that does not start where the file ends is not
        written (the browser then resumes from the returned size)."""
        if not 0 <= index < len(self.manifest["files"]):
            raise UploadRefused(f"没有第 {index} 个文件 / no file number {index}")
        size = self.manifest["files"][index]["size"]
        target = self.target(index)
        have = target.stat().st_size if target.exists() else 0
        if offset != have or length < 0 or length > CHUNK_LIMIT or offset + length > size:
            return have
        if not self.files_dir.is_dir():  # cancelled meanwhile: nothing is written back
            raise UploadRefused("没有这次上传 / no such upload")
        target.parent.mkdir(parents=True, exist_ok=True)
        left = length
        with open(target, "ab") as out:
            while left > 0:
                piece = stream.read(min(left, 1024 * 1024))
                if not piece:
                    break
                out.write(piece)
                left -= len(piece)
        return target.stat().st_size

    def check_complete(self) -> None:
        """Every file whole, and each what its name says (zip, xlsx, xls or csv)."""
        for i, (f, got) in enumerate(zip(self.manifest["files"], self.received())):
            if got != f["size"]:
                raise UploadRefused(f"文件未传完：{f['path']}（{got}/{f['size']} 字节） / file not "
                                    f"fully uploaded: {f['path']} ({got} of {f['size']} bytes)")
            check_content(self.target(i), f["path"])


def check_content(path: Path, shown: str) -> None:
    """The file's first bytes match its kind: zip and xlsx are zip archives, xls an Office
    workbook (or a zip, or text: the platform's .xls may be either), csv text."""
    with open(path, "rb") as f:
        head = f.read(65536)
    ext = shown.lower().rsplit(".", 1)[-1]
    is_zip = head[:4] in (b"PK\x03\x04", b"PK\x05\x06")
    is_text = b"\x00" not in head
    ok = {"zip": is_zip, "xlsx": is_zip, "xls": head[:8] == _OLE2 or is_zip or is_text,
          "csv": is_text}.get(ext, False)
    if not ok:
        raise UploadRefused(f"文件内容与类型不符（不是 {ext} 文件）：{shown} / the file is not what "
                            f"its name says (not a {ext} file): {shown}")


def create(folder: Path, files: list, *, actor: str | None, actor_org_id: str | None,
           max_bytes: int) -> Upload:
    """A new upload of these files ([{path, size}]), checked before any byte is sent."""
    if not isinstance(files, list) or not files:
        raise UploadRefused("没有选择文件 / no file chosen")
    if len(files) > MAX_FILES:
        raise UploadRefused(f"文件过多（最多 {MAX_FILES:,} 个） / too many files (at most "
                            f"{MAX_FILES:,})")
    clean, seen = [], set()
    for f in files:
        if not isinstance(f, dict):
            raise UploadRefused("文件列表无效 / invalid file list")
        path = safe_path(f.get("path"))
        check_extension(path)
        size = f.get("size")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise UploadRefused(f"文件大小无效：{path} / invalid file size: {path}")
        if path.lower() in seen:
            raise UploadRefused(f"文件重复：{path} / the same file twice: {path}")
        seen.add(path.lower())
        clean.append({"path": path, "size": size})
    total = sum(f["size"] for f in clean)
    if total > max_bytes:
        raise UploadRefused(f"上传过大：{total:,} 字节，上限 {max_bytes:,} 字节 / upload too large: "
                            f"{total:,} bytes, the limit is {max_bytes:,}")
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale(folder)
    upload_id = secrets.token_hex(16)
    root = folder / upload_id
    (root / "files").mkdir(parents=True)
    manifest = {"id": upload_id, "actor": actor, "actor_org_id": actor_org_id,
                "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "files": clean}
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False),
                                        encoding="utf-8")
    return Upload(root, manifest)


def find(folder: Path, upload_id: str) -> Upload | None:
    if not isinstance(upload_id, str) or not _ID.fullmatch(upload_id):
        return None
    root = folder / upload_id
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Upload(root, manifest)


def remove(upload: Upload) -> None:
    shutil.rmtree(upload.root, ignore_errors=True)


def remove_stale(folder: Path) -> None:
    """Uploads left unfinished for a day (a browser closed mid-way) are deleted."""
    cutoff = time.time() - STALE_HOURS * 3600
    for root in folder.iterdir() if folder.exists() else ():
        if _ID.fullmatch(root.name) and root.is_dir() and root.stat().st_mtime < cutoff:
            if not (root / "loading").exists():
                shutil.rmtree(root, ignore_errors=True)
