"""One load of a database at a time, from the command line or the browser: `zhtj etl` takes the
lock a load from /import holds, and the other way round."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import pytest

from etl.load_lock import Busy, held
from importer import job
from tests.importer.conftest import AS_OF, ROOT


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _etl(files, db):
    script = sys.executable.rsplit("/", 1)[0] + "/zhtj"
    return subprocess.run([script, "etl", str(files), "--db", str(db), "--as-of", AS_OF,
                           "--quiet", "--allow-skipped"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, check=False)


def test_zhtj_etl_waits_for_no_one_and_says_a_load_is_running(exports, tmp_path):
    """While a browser load holds the lock, `zhtj etl` on the same database stops at once with
    exit 2, says why in Chinese and English, and the published file is untouched; once the lock
    is free it loads."""
    db = tmp_path / "zhtj.duckdb"
    shutil.copy(exports["db"], db)
    before = _digest(db)
    with held(db):  # as the browser's load process holds it
        done = _etl(exports["files"], db)
    assert done.returncode == 2
    assert "另一个导入正在进行" in done.stderr and "another load of" in done.stderr
    assert _digest(db) == before
    assert _etl(exports["files"], db).returncode == 0


def test_a_browser_load_is_refused_while_zhtj_etl_holds_the_lock(exports, tmp_path):
    """The lock is one: held by a command-line load, the page's load start says Busy."""
    db = tmp_path / "zhtj.duckdb"
    shutil.copy(exports["db"], db)
    upload = tmp_path / "upload"
    upload.mkdir()
    with held(db):
        assert job.running(db)
        with pytest.raises(Busy):
            job.start(db, upload, settings_file=None, accounts=tmp_path / "accounts.sqlite",
                      actor="root-admin", actor_org_id=None, client="127.0.0.1")
        with pytest.raises(Busy):
            with held(db):
                pass
    assert not job.running(db)
