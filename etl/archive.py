"""The history archive: each load's history rows as Parquet beside the database, append-only, so
that history outlives the database file.

Layout: ARCHIVE/load-000001/{loads,history_org,...}.parquet and manifest.json (each file's rows
and SHA-256). A load's folder is written under a temporary name and renamed whole, so a folder
that exists is complete; nothing in the archive is ever rewritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from etl import publish

MANIFEST = "manifest.json"
PREFIX = "load-"
FORMAT = 1


def default_path(db: Path) -> Path:
    """`<db>.history/` beside the database."""
    return Path(db).with_name(Path(db).name + ".history")


class ArchiveDamaged(RuntimeError):
    """A file of the archive is missing or does not match its manifest."""


@dataclass(frozen=True)
class Problem:
    load_id: int
    path: Path
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.path}: {self.zh} / {self.en}"


def folder(archive: Path, load_id: int) -> Path:
    return Path(archive) / f"{PREFIX}{load_id:06d}"


def archived_loads(archive: Path) -> list[int]:
    """The load ids the archive holds, in order (temporary folders of a killed writer ignored)."""
    archive = Path(archive)
    if not archive.is_dir():
        return []
    ids = []
    for p in archive.iterdir():
        if p.is_dir() and p.name.startswith(PREFIX) and p.name[len(PREFIX):].isdigit():
            ids.append(int(p.name[len(PREFIX):]))
    return sorted(ids)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_load(con: duckdb.DuckDBPyConnection, archive: Path, load_id: int,
               tables: tuple[str, ...]) -> Path:
    """Write one load's rows of each history table; the folder appears only when complete."""
    target = folder(archive, load_id)
    if target.exists():
        return target  # written before: never rewritten
    Path(archive).mkdir(parents=True, exist_ok=True)
    for stale in Path(archive).glob(f".{target.name}.tmp-*"):  # left by a killed load
        pid = stale.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or not publish.alive(int(pid)) or int(pid) == os.getpid():
            shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(archive) / f".{target.name}.tmp-{os.getpid()}"
    tmp.mkdir()
    try:
        files = {}
        for table in tables:
            # table names come from etl.history.HISTORY_TABLES, never from input
            rows = con.sql('select * from "' + table + '" where load_id = ?',
                           params=[load_id]).to_arrow_table()
            name = f"{table}.parquet"
            pq.write_table(rows, tmp / name)
            files[name] = {"table": table, "rows": rows.num_rows, "sha256": sha256(tmp / name)}
        manifest = {"format": FORMAT, "load_id": load_id, "files": files}
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                    encoding="utf-8")
        for p in tmp.iterdir():
            _fsync(p)
        os.rename(tmp, target)
        _fsync_dir(Path(archive))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def check_load(archive: Path, load_id: int) -> list[Problem]:
    """Every file of one load present, with its manifest's row count and checksum."""
    where = folder(archive, load_id)
    manifest_path = where / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [Problem(load_id, manifest_path, "清单缺失或损坏",
                        f"manifest missing or unreadable ({type(exc).__name__})")]
    problems = []
    for name, entry in files.items():
        path = where / name
        if not path.is_file():
            problems.append(Problem(load_id, path, "文件缺失", "file missing"))
        elif sha256(path) != entry.get("sha256"):
            problems.append(Problem(load_id, path, "校验和不符，文件已损坏",
                                    "checksum does not match: the file is damaged"))
        elif pq.ParquetFile(path).metadata.num_rows != entry.get("rows"):
            problems.append(Problem(load_id, path, "行数与清单不符",
                                    "row count differs from the manifest"))
    return problems


def check(archive: Path) -> list[Problem]:
    """The whole archive checked against its manifests."""
    return [p for load_id in archived_loads(archive) for p in check_load(archive, load_id)]


def read_loads(archive: Path, load_ids: list[int]) -> dict[str, pa.Table]:
    """The rows of the given (checked) loads, per table; tables of differing columns are merged
    by name (a history table may gain columns in a later version)."""
    parts: dict[str, list[pa.Table]] = {}
    for load_id in load_ids:
        manifest = json.loads((folder(archive, load_id) / MANIFEST).read_text(encoding="utf-8"))
        for name, entry in manifest["files"].items():
            parts.setdefault(entry["table"], []).append(pq.read_table(folder(archive, load_id) / name))
    return {table: pa.concat_tables(tables, promote_options="default")
            for table, tables in parts.items()}


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
