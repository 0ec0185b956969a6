"""`zhtj doctor`: one line per check of an installation, with the fix when it fails."""

from __future__ import annotations

import importlib.metadata as metadata
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import duckdb

from etl import archive
from ops.backup import Paths

PACKAGES = ("zhtj-dashboard", "dash", "duckdb", "plotly", "pandas", "pyarrow", "kaleido",
            "waitress", "flask", "python-pptx")
# A load builds the new database beside the old one and spills beside it too.
FREE_SPACE_FACTOR = 2.5


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "正常 / ok  " if self.ok else "失败 / FAIL"
        text = f"[{mark}] {self.name}: {self.detail}"
        return text if self.ok or not self.fix else f"{text}\n      修复 / fix: {self.fix}"


def python_and_packages() -> Check:
    versions, missing = [], []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            missing.append(name)
    ok = sys.version_info >= (3, 11) and not missing
    detail = f"Python {sys.version.split()[0]}; " + ", ".join(versions)
    if missing:
        detail += f"; 缺少 / missing: {', '.join(missing)}"
    return Check("Python 与依赖包 / Python and packages", ok, detail,
                 "Python 3.11+，重新安装 / reinstall: pip install zhtj-dashboard-*.whl")


def chart_rendering() -> Check:
    """chromium and the CJK fonts present, and a chart with Chinese text really drawn."""
    from exports.render import chromium_path, renderer

    name = "图表导出 / chart export (chromium, Noto CJK)"
    fix = "apt-get install chromium fonts-noto-cjk"
    browser = chromium_path()
    if browser is None:
        return Check(name, False, "未找到 chromium / chromium not found", fix)
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True,
                           check=False) if shutil.which("fc-list") else None
    if fonts is None or "Noto Sans CJK" not in fonts.stdout:
        return Check(name, False, "未找到 Noto CJK 中文字体 / Noto CJK fonts not found", fix)
    figure = {"data": [{"type": "bar", "x": ["团支部"], "y": [1]}],
              "layout": {"title": {"text": "团员报到"}, "width": 300, "height": 200,
                         "font": {"family": "Noto Sans CJK SC"}}}
    try:
        png = renderer().render(figure, "png", scale=1)
    except Exception as exc:  # noqa: BLE001 - whatever stops the renderer is the finding
        return Check(name, False, f"渲染失败 / rendering failed: {type(exc).__name__}: {exc}", fix)
    ok = png.startswith(b"\x89PNG") and len(png) > 1000
    return Check(name, ok, f"{browser}; 测试图表 / test chart {len(png):,} bytes PNG", fix)


def database(paths: Paths) -> Check:
    name = "数据库 / database"
    fix = f"zhtj etl SOURCE --db {paths.db}（或 zhtj restore）"
    if not paths.db.is_file():
        return Check(name, False, f"不存在 / not found: {paths.db}", fix)
    try:
        con = duckdb.connect(str(paths.db), read_only=True)
        try:
            load_id, as_of = con.execute("select load_id, as_of from current_load").fetchall()[0]
        finally:
            con.close()
    except (duckdb.Error, IndexError) as exc:
        return Check(name, False, f"无法读取 / unreadable: {exc}", fix)
    return Check(name, True, f"{paths.db}: 第 {load_id} 次导入，数据日期 {as_of:%Y-%m-%d %H:%M} / "
                             f"load {load_id}, as of {as_of:%Y-%m-%d %H:%M}")


def history_archive(paths: Paths) -> Check:
    name = "历史存档 / history archive"
    loads = archive.archived_loads(paths.history)
    if not loads:
        return Check(name, False, f"没有存档 / nothing archived in {paths.history}",
                     f"下一次导入会写入存档 / the next load writes it: zhtj etl … --db {paths.db}")
    problems = archive.check(paths.history)
    if problems:
        return Check(name, False, "; ".join(str(p) for p in problems),
                     "从备份恢复存档 / restore the archive from a backup: zhtj restore")
    return Check(name, True, f"{paths.history}: {len(loads)} 次导入，校验和一致 / "
                             f"{len(loads)} loads, checksums match")


def account_files(paths: Paths) -> Check:
    name = "账号文件权限 / account files' permissions"
    files = [*paths.sqlite_files().values(), paths.secret()]
    present = [p for p in files if p.exists()]
    if not present:
        return Check(name, True, "尚无账号文件 / no account files yet")
    loose = [p for p in present if stat.S_IMODE(p.stat().st_mode) & 0o077]
    if loose:
        return Check(name, False, "他人可读 / readable by others: " + ", ".join(
            f"{p} ({stat.S_IMODE(p.stat().st_mode):04o})" for p in loose),
            "chmod 600 " + " ".join(str(p) for p in loose))
    return Check(name, True, ", ".join(f"{p.name} 0600" for p in present))


def disk_space(paths: Paths) -> Check:
    name = "磁盘空间 / free disk space"
    where = paths.db.parent if paths.db.parent.exists() else paths.db.parent.parent
    free = shutil.disk_usage(where).free
    size = paths.db.stat().st_size if paths.db.is_file() else 0
    need = int(size * FREE_SPACE_FACTOR)
    detail = f"{where}: 可用 / free {free / 1e9:.1f} GB, 数据库 / database {size / 1e9:.2f} GB"
    return Check(name, free >= need, detail,
                 f"导入需约 {need / 1e9:.1f} GB 可用空间 / a load needs about {need / 1e9:.1f} "
                 "GB free (a new database is built beside the old one)")


def run_checks(paths: Paths | None) -> Iterator[Check]:
    checks: list[Callable[[], Check]] = [python_and_packages, chart_rendering]
    if paths is not None:
        checks += [lambda: database(paths), lambda: history_archive(paths),
                   lambda: account_files(paths), lambda: disk_space(paths)]
    for check in checks:
        yield check()
