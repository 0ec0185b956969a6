"""The [import] section: defaults beside the database, the values given, and clear refusals."""

from __future__ import annotations

import pytest

from importer.settings import ImportSettingsError, read_import_settings


def test_defaults_put_uploads_beside_the_database(tmp_path):
    s = read_import_settings(None, tmp_path / "db" / "zhtj.duckdb")
    assert s.folder == tmp_path / "db" / "uploads" and not s.keep_uploads
    assert s.max_upload_bytes == 2_000_000_000


def test_the_values_given_are_used(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[import]\nfolder = "/srv/up"\nmax_upload_bytes = 1000\n'
                    "max_zip_ratio = 50\nkeep_uploads = true\n", encoding="utf-8")
    s = read_import_settings(path, tmp_path / "zhtj.duckdb")
    assert (str(s.folder), s.max_upload_bytes, s.max_zip_ratio, s.keep_uploads) == (
        "/srv/up", 1000, 50, True)


@pytest.mark.parametrize("body,expected", [
    ("max_upload_bytes = -1", "import.max_upload_bytes：应为大于0的数：-1"),
    ("keep_uploads = 1", "import.keep_uploads: must be true or false: 1"),
    ("max_bytes = 5", "import.max_bytes: unknown key"),
])
def test_bad_values_name_the_file_and_the_key(tmp_path, body, expected):
    path = tmp_path / "settings.toml"
    path.write_text(f"[import]\n{body}\n", encoding="utf-8")
    with pytest.raises(ImportSettingsError, match=expected) as err:
        read_import_settings(path, tmp_path / "zhtj.duckdb")
    assert str(path) in str(err.value)
