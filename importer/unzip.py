"""Safe unzipping of an uploaded .zip: Chinese names from Windows' zip (GBK, without the UTF-8
flag) read right, members that climb out of the folder or are not export files refused, and a
zip that expands past the limits (a zip bomb) refused before a byte is written."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from importer.uploads import UploadRefused, check_extension, safe_path

UTF8_FLAG = 0x800
SKIPPED_NAMES = ("thumbs.db", "desktop.ini", ".ds_store")


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it: zipfile reads names without the UTF-8 flag as
    cp437; Windows' zip wrote them in the system code page, GBK on Chinese Windows."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    try:
        return raw.decode("gbk")
    except UnicodeDecodeError:
        return info.filename


def _skipped(name: str) -> bool:
    """Folders, hidden files, macOS' __MACOSX copies and Windows' thumbnails: not exports."""
    parts = name.replace("\\", "/").strip("/").split("/")
    return (name.endswith(("/", "\\")) or parts[0] == "__MACOSX"
            or any(p.startswith(".") for p in parts if p not in (".", ".."))
            or parts[-1].lower() in SKIPPED_NAMES or parts[-1].startswith("~$"))


@dataclass
class Member:
    info: zipfile.ZipInfo
    path: str  # safe relative path to write it to


def plan(zip_path: Path, shown: str, *, max_bytes: int, max_ratio: float) -> list[Member]:
    """The members to extract, from the zip's directory alone; UploadRefused naming the zip and
    the member when one is unsafe, not an export file, or the zip expands too much."""
    try:
        with zipfile.ZipFile(zip_path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UploadRefused(f"压缩包无法打开：{shown}（{exc}） / the zip cannot be opened: "
                            f"{shown} ({exc})") from None
    members, total, seen = [], 0, set()
    for info in infos:
        name = member_name(info)
        if info.is_dir() or _skipped(name):
            continue
        try:
            path = safe_path(name)
        except UploadRefused:
            raise UploadRefused(f"压缩包 {shown} 中的路径越出其文件夹：{name} / the zip {shown} "
                                f"has a path that climbs out of its folder: {name}") from None
        try:
            check_extension(path)
        except UploadRefused:
            raise UploadRefused(f"压缩包 {shown} 中有不支持的文件（仅限 xlsx、xls、csv）：{name} / "
                                f"the zip {shown} holds a file that is not an export "
                                f"(xlsx, xls, csv only): {name}") from None
        if path.lower().endswith(".zip"):
            raise UploadRefused(f"压缩包 {shown} 中又有压缩包：{name} / the zip {shown} holds "
                                f"another zip: {name}")
        if path.lower() in seen:
            raise UploadRefused(f"压缩包 {shown} 中文件重复：{name} / the zip {shown} holds the "
                                f"same file twice: {name}")
        seen.add(path.lower())
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > max_ratio and info.file_size > 1024 * 1024:
            raise UploadRefused(f"压缩包 {shown} 的 {name} 压缩比异常（{ratio:,.0f} 倍，上限 "
                                f"{max_ratio:,.0f}），疑似压缩炸弹 / {name} in the zip {shown} "
                                f"expands {ratio:,.0f} times (limit {max_ratio:,.0f}): a zip bomb?")
        if total > max_bytes:
            raise UploadRefused(f"压缩包 {shown} 解压后超过上限 {max_bytes:,} 字节 / the zip "
                                f"{shown} expands past the limit of {max_bytes:,} bytes")
        members.append(Member(info, path))
    if not members:
        raise UploadRefused(f"压缩包中没有导出文件：{shown} / the zip holds no export file: {shown}")
    return members


def extract(zip_path: Path, dest: Path, members: list[Member], *, max_bytes: int,
            on_member=lambda: None) -> int:
    """Extract the planned members into dest, streaming, never writing more than max_bytes in
    all (whatever the directory claimed); the bytes written."""
    written = 0
    with zipfile.ZipFile(zip_path) as z:
        for m in members:
            target = dest / m.path
            target.parent.mkdir(parents=True, exist_ok=True)
            with z.open(m.info) as src, open(target, "wb") as out:
                while True:
                    piece = src.read(1024 * 1024)
                    if not piece:
                        break
                    written += len(piece)
                    if written > max_bytes:
                        raise UploadRefused(f"压缩包 {zip_path.name} 解压后超过上限 {max_bytes:,} "
                                            f"字节 / the zip {zip_path.name} expands past the "
                                            f"limit of {max_bytes:,} bytes")
                    out.write(piece)
            on_member()
    return written


def unzip_all(files_dir: Path, shown_paths: list[str], *, max_bytes: int, max_ratio: float,
              on_member=lambda: None) -> None:
    """Replace each uploaded zip (by its path in the upload) with its members, in a folder named
    after it."""
    budget = max_bytes
    for shown in shown_paths:
        zip_path = files_dir / shown
        members = plan(zip_path, shown, max_bytes=budget, max_ratio=max_ratio)
        dest = files_dir / (shown[:-4] + ".unzipped")
        try:
            budget -= extract(zip_path, dest, members, max_bytes=budget, on_member=on_member)
        except BaseException:
            shutil.rmtree(dest, ignore_errors=True)
            raise
        zip_path.unlink()
