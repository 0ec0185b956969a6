"""`zhtj restore`: a backup set checked against its manifest, put back in place, and checked again
where it now lives."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb

import accounts
from etl import archive, publish
from ops.backup import HISTORY_DIR, MANIFEST, BackupError, Paths, copy_sqlite


def check_set(folder: Path) -> tuple[dict, list[str]]:
    """The backup's manifest, and every problem found: a file missing or changed, a damaged
    archive, a database that does not open."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        database = manifest["database"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}, [f"{folder / MANIFEST}: 不是完整的备份（清单缺失或损坏） / not a complete "
                    "backup (manifest missing or unreadable)"]
    problems = []
    for name, entry in files.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{path}: 文件缺失 / file missing")
        elif archive.sha256(path) != entry["sha256"]:
            problems.append(f"{path}: 校验和不符，文件已损坏 / checksum does not match: damaged")
    problems += [str(p) for p in archive.check(folder / HISTORY_DIR)]
    missing = set(manifest.get("loads", [])) - set(archive.archived_loads(folder / HISTORY_DIR))
    problems += [f"{archive.folder(folder / HISTORY_DIR, i)}: 缺失 / missing" for i in sorted(missing)]
    if not problems:
        problems += database_problems(folder / database)
    return manifest, problems


def database_problems(db: Path) -> list[str]:
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        return [f"{db}: 数据库无法打开 / the database does not open: {exc}"]
    try:
        con.execute("select as_of from current_load").fetchall()
    except duckdb.Error:
        return [f"{db}: 不是导入完成的数据库 / not a published database (no current_load)"]
    finally:
        con.close()
    return []


def restore(folder: Path, paths: Paths, *, replace: bool = False) -> list[str]:
    """Put the set back; returns what was done, a line each. Nothing is changed when the set
    fails its check, or when a database is in place and replace is not given."""
    folder = Path(folder)
    manifest, problems = check_set(folder)
    if problems:
        raise BackupError("备份未通过校验，未恢复 / the backup failed its check, nothing "
                          "restored: " + "; ".join(problems))
    if paths.db.exists() and not replace:
        raise BackupError(f"数据库已存在，确认覆盖请加 --replace / a database is already at "
                          f"{paths.db}: pass --replace to overwrite it")
    done = []
    paths.db.parent.mkdir(parents=True, exist_ok=True)
    tmp = publish.temp_path(paths.db)
    shutil.copyfile(folder / manifest["database"], tmp)
    publish.swap_in(tmp, paths.db)  # a serving app picks it up as it does a load's
    done.append(f"数据库 / database: {paths.db}")
    done += _restore_history(folder / HISTORY_DIR, paths.history)
    for name, live in paths.sqlite_files().items():
        if name in manifest["files"]:
            live.parent.mkdir(parents=True, exist_ok=True)
            copy_sqlite(folder / name, live)
            done.append(f"{name}: {live}")
    if accounts.SECRET_FILE in manifest["files"]:
        shutil.copyfile(folder / accounts.SECRET_FILE, paths.secret())
        os.chmod(paths.secret(), 0o600)
        done.append(f"{accounts.SECRET_FILE}: {paths.secret()}")
    after = database_problems(paths.db) + [str(p) for p in archive.check(paths.history)]
    if after:
        raise BackupError("恢复后检查未通过 / the restored files failed their check: "
                          + "; ".join(after))
    return done


def _restore_history(source: Path, target: Path) -> list[str]:
    """Loads the archive lacks are added; loads it has are kept (the archive is never
    rewritten), and named when they differ from the backup's."""
    added, differ = [], []
    for load_id in archive.archived_loads(source):
        there = archive.folder(target, load_id)
        if there.exists():
            if (there / archive.MANIFEST).read_bytes() != \
                    (archive.folder(source, load_id) / archive.MANIFEST).read_bytes():
                differ.append(load_id)
            continue
        target.mkdir(parents=True, exist_ok=True)
        tmp = target / f".{there.name}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(archive.folder(source, load_id), tmp)
        os.rename(tmp, there)
        added.append(load_id)
    lines = [f"历史存档 / history archive: {target} (+{len(added)} loads)"]
    if differ:
        lines.append(f"存档中已有且与备份不同的导入（保留现有） / loads already in the archive that "
                     f"differ from the backup (kept as they are): {differ}")
    return lines
