"""Uploaded zips: Chinese names from Windows' zip read right, unsafe or oversized zips refused
with a message naming the zip and the member, the rest extracted where it belongs."""

from __future__ import annotations

import zipfile

import pytest

from importer.unzip import plan, unzip_all
from importer.uploads import UploadRefused, safe_path
from tests.importer.zips import gbk_zip


def test_gbk_names_are_read_as_chinese_and_extracted_into_their_folders(tmp_path):
    gbk_zip(tmp_path / "导出.zip", {"团员/东临大学团支部.csv": "姓名\n张三\n".encode("gbk"),
                                   "组织.xlsx": b"PK\x03\x04rest"})
    unzip_all(tmp_path, ["导出.zip"], max_bytes=10**6, max_ratio=200)
    got = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert got == ["导出.unzipped/团员/东临大学团支部.csv", "导出.unzipped/组织.xlsx"]
    assert not (tmp_path / "导出.zip").exists()


def test_utf8_names_stay_as_they_are(tmp_path):
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as z:
        z.writestr("团费/2024年09月.csv", "月份\n")
    assert [m.path for m in plan(tmp_path / "a.zip", "a.zip", max_bytes=10**6,
                                 max_ratio=200)] == ["团费/2024年09月.csv"]


@pytest.mark.parametrize("name", ["../evil.csv", "/etc/evil.csv", "a/../../evil.csv",
                                  "C:/evil.csv", "..\\evil.csv"])
def test_a_member_climbing_out_of_the_folder_is_refused(tmp_path, name):
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as z:
        z.writestr("ok.csv", "a\n")
        z.writestr(name, "a\n")
    with pytest.raises(UploadRefused, match="bad.zip.*越出其文件夹.*climbs out"):
        plan(tmp_path / "bad.zip", "bad.zip", max_bytes=10**6, max_ratio=200)


def test_a_zip_bomb_is_refused_before_anything_is_written(tmp_path):
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("团员.csv", b"0" * 50_000_000)
    with pytest.raises(UploadRefused, match="bomb.zip.*压缩炸弹.*zip bomb"):
        unzip_all(tmp_path, ["bomb.zip"], max_bytes=10**10, max_ratio=200)
    with pytest.raises(UploadRefused, match="超过上限 1,000,000 字节.*expands past"):
        unzip_all(tmp_path, ["bomb.zip"], max_bytes=1_000_000, max_ratio=10**6)
    assert [p.name for p in tmp_path.iterdir()] == ["bomb.zip"]


def test_members_that_are_not_exports_are_refused_and_system_files_left_out(tmp_path):
    with zipfile.ZipFile(tmp_path / "z.zip", "w") as z:
        z.writestr("__MACOSX/._a.csv", "x")
        z.writestr("Thumbs.db", "x")
        z.writestr("a.csv", "a\n")
    assert [m.path for m in plan(tmp_path / "z.zip", "z.zip", max_bytes=10**6,
                                 max_ratio=200)] == ["a.csv"]
    with zipfile.ZipFile(tmp_path / "exe.zip", "w") as z:
        z.writestr("setup.exe", "MZ")
    with pytest.raises(UploadRefused, match="setup.exe"):
        plan(tmp_path / "exe.zip", "exe.zip", max_bytes=10**6, max_ratio=200)


def test_a_file_that_is_not_a_zip_is_refused_by_name(tmp_path):
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    with pytest.raises(UploadRefused, match="压缩包无法打开：x.zip"):
        plan(tmp_path / "x.zip", "x.zip", max_bytes=10**6, max_ratio=200)


@pytest.mark.parametrize("path,expected", [("a/b.csv", "a/b.csv"), ("a\\b.csv", "a/b.csv"),
                                           ("./a//b.csv", "a/b.csv")])
def test_upload_paths_keep_their_folders(path, expected):
    assert safe_path(path) == expected
