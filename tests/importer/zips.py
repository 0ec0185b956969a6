"""Zips as Windows' built-in zip writes them on a Chinese system: names in GBK, no UTF-8 flag."""

from __future__ import annotations

import zipfile
from pathlib import Path


class _GbkInfo(zipfile.ZipInfo):
    # zipfile writes a non-ASCII name as UTF-8 with the flag set; Windows writes the code page.
    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def gbk_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            info = _GbkInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    with zipfile.ZipFile(path) as z:  # as any reader sees it: cp437 mojibake, no flag
        assert all(not (i.flag_bits & 0x800) for i in z.infolist())
    return path


def gbk_zip_of_folder(folder: Path, path: Path) -> Path:
    """Every file under folder, by its path relative to folder's parent (as Explorer zips it)."""
    return gbk_zip(path, {str(p.relative_to(folder.parent)).replace("\\", "/"): p.read_bytes()
                          for p in sorted(folder.rglob("*")) if p.is_file()})
