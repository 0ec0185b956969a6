"""The `[import]` section of the settings file: where uploads go, how large they may be, whether
they are kept after the load.

    [import]
    folder = "uploads"                 # relative to the database's folder (default: uploads)
    max_upload_bytes = 2_000_000_000   # one upload, all its files together
    max_zip_bytes = 4_000_000_000      # what the zips of one upload may expand to
    max_zip_ratio = 200                # a zip member may expand at most this many times
    keep_uploads = false               # keep the files after the load (default: delete them)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

KEYS = ("folder", "max_upload_bytes", "max_zip_bytes", "max_zip_ratio", "keep_uploads")


class ImportSettingsError(ValueError):
    """The [import] section cannot be used; the message is one line, Chinese / English."""


@dataclass(frozen=True)
class ImportSettings:
    folder: Path
    max_upload_bytes: int = 2_000_000_000
    max_zip_bytes: int = 4_000_000_000
    max_zip_ratio: float = 200.0
    keep_uploads: bool = False


def read_import_settings(path: Path | None, db: Path) -> ImportSettings:
    """The settings for a database (the defaults when no file or no [import] is given)."""
    default_folder = Path(db).resolve().parent / "uploads"
    if path is None:
        return ImportSettings(folder=default_folder)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8")).get("import") or {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ImportSettingsError(f"设置文件无法读取 / settings file unreadable: {path}: {exc}"
                                  ) from None

    def fail(key: str, zh: str, en: str) -> ImportSettingsError:
        return ImportSettingsError(f"设置文件 {path} 的 import.{key}：{zh} / settings file "
                                   f"{path}, import.{key}: {en}")

    for key in data:
        if key not in KEYS:
            raise fail(key, "未知的设置项（可用：" + "、".join(KEYS) + "）",
                       "unknown key (known: " + ", ".join(KEYS) + ")")
    folder = Path(str(data.get("folder", "uploads")))
    values = {}
    for key in ("max_upload_bytes", "max_zip_bytes", "max_zip_ratio"):
        if key in data:
            v = data[key]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
                raise fail(key, f"应为大于0的数：{v!r}", f"must be a number > 0: {v!r}")
            values[key] = v
    keep = data.get("keep_uploads", False)
    if not isinstance(keep, bool):
        raise fail("keep_uploads", f"应为 true 或 false：{keep!r}", f"must be true or false: {keep!r}")
    return ImportSettings(folder=folder if folder.is_absolute() else default_folder.parent / folder,
                          keep_uploads=keep, **values)
