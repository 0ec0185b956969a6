"""The layout users get from the platform: a file per branch, a few per kind, one per month."""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from pathlib import Path

import numpy as np

from . import branch_dues, member_rows, names, tables
from .model import Province
from .writers import to_lists, write_batch

FMTS = ("xlsx", "gbk", "utf-8-sig")
EXPORT_LIMIT = 10_000  # the platform exports at most this many rows a file


def task(path: Path, fmt: str, header: tuple, columns: list[list], title: str | None = None,
         numbers: tuple = ()) -> tuple:
    """A write task; the path is given without its extension."""
    path = path.with_name(f"{path.name}.{'xlsx' if fmt == 'xlsx' else 'csv'}")
    return (path, fmt, header, columns, title, numbers)


def _styles(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Per-file habits: format, date style, month style, blank 团籍状态, title row."""
    fmt = rng.choice(3, n, p=[0.9, 0.06, 0.04])
    xlsx_d = rng.choice(6, n, p=[0.45, 0.12, 0.05, 0.05, 0.05, 0.28])
    csv_d = rng.choice(5, n, p=[0.6, 0.15, 0.1, 0.1, 0.05])
    return {"fmt": fmt, "date": np.where(fmt == 0, xlsx_d, csv_d),
            "month": rng.choice(4, n, p=[0.6, 0.15, 0.15, 0.1]),
            "blank": rng.random(n) < 0.5, "title": rng.random(n) < 0.3}


def _chunks(n: int, limit: int, at_least: int) -> list[np.ndarray]:
    parts = max(at_least if n >= at_least else 1, -(-n // limit))
    return [a for a in np.array_split(np.arange(n), parts) if len(a)]


def member_tasks(p: Province, out: Path) -> list[tuple]:
    """A file per branch (its members plus misplaced rows), styled per file; copies of some rows
    in supplement files."""
    o, m, d = p.orgs, p.members, p.dirty
    st = _styles(np.random.default_rng([p.seed, 77]), len(o))
    b_of = m.branch
    cols = member_rows.members(p, np.arange(len(m)), st["date"][b_of], st["month"][b_of],
                               st["blank"][b_of])
    lists = to_lists(cols, tables.MEMBER_HEADER)
    placed = d.extra_file >= 0
    f_of = np.where(placed, d.extra_file, b_of[d.extra_src])  # copies keep their source's style
    ecols = member_rows.extra_members(p, np.arange(len(d.extra_src)), st["date"][f_of],
                                      st["month"][f_of], st["blank"][f_of])
    elists = to_lists(ecols, tables.MEMBER_HEADER)
    starts = np.searchsorted(b_of, o.branches).tolist()
    ends = np.searchsorted(b_of, o.branches, side="right").tolist()
    extra_at: dict[int, list[int]] = {}
    for i in np.flatnonzero(placed).tolist():
        extra_at.setdefault(int(d.extra_file[i]), []).append(i)
    city_name = {int(c[1]): c[0] for c in names.CITIES}
    tasks = []
    for b, s, e in zip(o.branches.tolist(), starts, ends, strict=True):
        ex = extra_at.get(b, [])
        if s == e and not ex:
            continue  # an empty branch exports nothing
        columns = [col[s:e] + [ecol[i] for i in ex]
                   for col, ecol in zip(lists, elists, strict=True)]
        title = f"{o.short[b]}团员信息" if st["title"][b] else None
        tasks.append(task(out / "团员" / city_name[o.city[b]] / o.full[b], FMTS[st["fmt"][b]],
                          tables.MEMBER_HEADER, columns, title))
    copies = np.flatnonzero(~placed)
    for k, part in enumerate(np.array_split(copies, max(1, -(-len(copies) // 200)))):
        if len(part):
            columns = [[ecol[i] for i in part.tolist()] for ecol in elists]
            tasks.append(task(out / "团员" / "补充导出" / f"团员信息补充导出_{k + 1}", "xlsx",
                              tables.MEMBER_HEADER, columns))
    return tasks


def other_tasks(p: Province, out: Path) -> list[tuple]:
    """Organizations, cadres, transfers, campaigns and rosters: a few files each."""
    tasks = []
    for k, part in enumerate(_chunks(len(p.orgs), EXPORT_LIMIT, 2)):
        tasks.append(task(out / "组织" / f"组织架构_{k + 1}", ("xlsx", "utf-8-sig")[k % 2],
                          tables.ORG_HEADER, to_lists(tables.orgs(p, part), tables.ORG_HEADER)))
    parts = _chunks(len(p.cadres.org), EXPORT_LIMIT, 3)
    for k, part in enumerate(parts):
        columns = to_lists(tables.cadres(p, part, np.full(len(part), k % 4)), tables.CADRE_HEADER)
        if k == len(parts) - 1:
            ghost = tables.ghost_cadres(p, np.full(len(p.ghost_cadres), k % 4))
            columns = [a + b for a, b in
                       zip(columns, to_lists(ghost, tables.CADRE_HEADER), strict=True)]
        tasks.append(task(out / "团干部" / f"团干部信息_{k + 1}",
                          ("xlsx", "gbk", "xlsx", "utf-8-sig")[k % 4], tables.CADRE_HEADER,
                          columns, "团干部信息" if k == 1 else None))
    for k, part in enumerate(_chunks(len(p.transfers.status), EXPORT_LIMIT, 2)):
        fmt, ds = (("xlsx", 5), ("utf-8-sig", 0), ("xlsx", 0), ("gbk", 1))[k % 4]
        cols = tables.transfers(p, part, np.full(len(part), ds))
        tasks.append(task(out / "组织关系转接" / f"组织关系转接审批_{k + 1}", fmt,
                          tables.TRANSFER_HEADER, to_lists(cols, tables.TRANSFER_HEADER)))
    tasks.append(task(out / "报到" / "报到任务", "xlsx", tables.CAMPAIGN_HEADER,
                      to_lists(tables.campaigns(p, 5), tables.CAMPAIGN_HEADER)))
    r = p.reg
    for ci, (name, _, _) in enumerate(r.campaigns):
        cols = tables.roster(p, np.flatnonzero(r.roster_campaign == ci))
        tasks.append(task(out / "报到" / f"报到名单_{name}", ("xlsx", "utf-8-sig", "gbk")[ci % 3],
                          tables.ROSTER_HEADER, to_lists(cols, tables.ROSTER_HEADER)))
    return tasks


def write(p: Province, out: Path, progress, workers: int | None = None) -> tuple[int, dict]:
    tasks = member_tasks(p, out) + other_tasks(p, out)
    d, c, r = p.dirty, p.cadres, p.reg
    rows = {"members": len(p.members) + len(d.extra_src), "orgs": len(p.orgs),
            "cadres": len(c.org) + len(p.ghost_cadres), "transfers": len(p.transfers.status),
            "campaigns": len(r.campaigns), "roster": len(r.roster_person)}
    dtasks, rows["dues"] = branch_dues.tasks(p, out)
    big = sorted(dtasks, key=lambda t: -len(t[3][0]) if t[3] else 0)  # longest first
    batches = [[t] for t in big] + [tasks[i:i + 40] for i in range(0, len(tasks), 40)]
    # Starting worker processes costs about a second: not worth it for small runs.
    workers = workers or (min(4, os.cpu_count() or 1) if len(tasks) > 400 else 1)
    if workers <= 1:
        for i, b in enumerate(batches):
            write_batch(b)
            progress("write", i + 1, len(batches))
    else:
        ctx = multiprocessing.get_context("forkserver")
        with cf.ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            futures = [pool.submit(write_batch, b) for b in batches]
            for i, f in enumerate(cf.as_completed(futures)):
                f.result()
                progress("write", i + 1, len(batches))
    return len(tasks) + len(dtasks), rows
