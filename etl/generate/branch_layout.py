"""The layout users get from the platform: one member file per branch, a few files per other kind,
one dues file per month; varied formats, encodings, title rows and date forms."""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from pathlib import Path

import numpy as np

from . import dirty as D
from . import names, tables
from .model import Province
from .writers import to_lists, write_batch

FMTS = ("xlsx", "gbk", "utf-8-sig")
EXPORT_LIMIT = 10_000  # the platform exports at most this many rows a file


def _styles(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Per-file habits: format, date style, month style, blank 团籍状态, title row."""
    fmt = rng.choice(3, n, p=[0.9, 0.06, 0.04])
    xlsx_d = rng.choice(6, n, p=[0.45, 0.12, 0.05, 0.05, 0.05, 0.28])
    csv_d = rng.choice(5, n, p=[0.6, 0.15, 0.1, 0.1, 0.05])
    return {"fmt": fmt, "date": np.where(fmt == 0, xlsx_d, csv_d), "month": rng.choice(4, n, p=[.6, .15, .15, .1]),
            "blank": rng.random(n) < 0.5, "title": rng.random(n) < 0.3}


def _chunks(n: int, limit: int, at_least: int) -> list[np.ndarray]:
    parts = max(at_least if n >= at_least else 1, -(-n // limit))
    return [a for a in np.array_split(np.arange(n), parts) if len(a)]


def plan(p: Province, out: Path) -> tuple[list[tuple], dict[str, int]]:
    """Every file as a write task, and rows per kind."""
    rng = np.random.default_rng([p.seed, 77])
    o, m, d = p.orgs, p.members, p.dirty
    tasks: list[tuple] = []
    rows: dict[str, int] = {}
    city_name = {int(c[1]): c[0] for c in names.CITIES}
    # Members: one file per branch (its members plus misplaced rows), styled per branch file.
    st = _styles(rng, len(o))
    b_of = m.branch
    cols = tables.members(p, np.arange(len(m)), st["date"][b_of], st["month"][b_of], st["blank"][b_of])
    lists = to_lists(cols, tables.MEMBER_HEADER)
    placed = d.extra_file >= 0
    f_of = np.where(placed, d.extra_file, b_of[d.extra_src])
    ecols = tables.extra_members(p, np.arange(len(d.extra_src)), st["date"][f_of],
                                 st["month"][f_of], st["blank"][f_of])
    elists = to_lists(ecols, tables.MEMBER_HEADER)
    starts = np.searchsorted(b_of, o.branches)
    ends = np.searchsorted(b_of, o.branches, side="right")
    extra_at: dict[int, list[int]] = {}
    for i in np.flatnonzero(placed).tolist():
        extra_at.setdefault(int(d.extra_file[i]), []).append(i)
    for b, s, e in zip(o.branches.tolist(), starts.tolist(), ends.tolist()):
        ex = extra_at.get(b, [])
        if s == e and not ex:
            continue
        columns = [col[s:e] + [ecol[i] for i in ex] for col, ecol in zip(lists, elists)]
        fmt = FMTS[st["fmt"][b]]
        path = out / "团员" / city_name[o.city[b]] / f"{o.full[b]}.{'xlsx' if fmt == 'xlsx' else 'csv'}"
        title = f"{o.short[b]}团员信息" if st["title"][b] else None
        tasks.append((path, fmt, tables.MEMBER_HEADER, columns, title, ()))
    copies = np.flatnonzero(~placed)
    for k, part in enumerate(np.array_split(copies, max(1, -(-len(copies) // 200)))):
        if len(part):
            columns = [[ecol[i] for i in part.tolist()] for ecol in elists]
            tasks.append((out / "团员" / "补充导出" / f"团员信息补充导出_{k + 1}.xlsx", "xlsx",
                          tables.MEMBER_HEADER, columns, None, ()))
    rows["members"] = len(m) + len(d.extra_src)
    # Organizations, cadres, transfers, campaigns, rosters: a few files each.
    for k, part in enumerate(_chunks(len(o), EXPORT_LIMIT, 2)):
        fmt = ("xlsx", "utf-8-sig")[k % 2]
        tasks.append((out / "组织" / f"组织架构_{k + 1}.{'xlsx' if k % 2 == 0 else 'csv'}", fmt,
                      tables.ORG_HEADER, to_lists(tables.orgs(p, part), tables.ORG_HEADER), None, ()))
    rows["orgs"] = len(o)
    c = p.cadres
    parts = _chunks(len(c.org), EXPORT_LIMIT, 3)
    for k, part in enumerate(parts):
        fmt = ("xlsx", "gbk", "xlsx", "utf-8-sig")[k % 4]
        ms = np.full(len(part), k % 4)
        columns = to_lists(tables.cadres(p, part, ms), tables.CADRE_HEADER)
        if k == len(parts) - 1:
            ghost = to_lists(tables.ghost_cadres(p, np.full(len(p.ghost_cadres), k % 4)),
                             tables.CADRE_HEADER)
            columns = [a + b for a, b in zip(columns, ghost)]
        tasks.append((out / "团干部" / f"团干部信息_{k + 1}.{'xlsx' if fmt == 'xlsx' else 'csv'}", fmt,
                      tables.CADRE_HEADER, columns, "团干部信息" if k == 1 else None, ()))
    rows["cadres"] = len(c.org) + len(p.ghost_cadres)
    t = p.transfers
    for k, part in enumerate(_chunks(len(t.status), EXPORT_LIMIT, 2)):
        fmt, ds = (("xlsx", 5), ("utf-8-sig", 0), ("xlsx", 0), ("gbk", 1))[k % 4]
        columns = to_lists(tables.transfers(p, part, np.full(len(part), ds)), tables.TRANSFER_HEADER)
        tasks.append((out / "组织关系转接" / f"组织关系转接审批_{k + 1}.{'xlsx' if fmt == 'xlsx' else 'csv'}",
                      fmt, tables.TRANSFER_HEADER, columns, None, ()))
    rows["transfers"] = len(t.status)
    tasks.append((out / "报到" / "报到任务.xlsx", "xlsx", tables.CAMPAIGN_HEADER,
                  to_lists(tables.campaigns(p, 5), tables.CAMPAIGN_HEADER), None, ()))
    rows["campaigns"] = len(p.reg.campaigns)
    r = p.reg
    for ci, (name, _, _) in enumerate(r.campaigns):
        part = np.flatnonzero(r.roster_campaign == ci)
        fmt = ("xlsx", "utf-8-sig", "gbk")[ci % 3]
        tasks.append((out / "报到" / f"报到名单_{name}.{'xlsx' if fmt == 'xlsx' else 'csv'}", fmt,
                      tables.ROSTER_HEADER, to_lists(tables.roster(p, part), tables.ROSTER_HEADER),
                      None, ()))
    rows["roster"] = len(r.roster_person)
    return tasks, rows


def dues_tasks(p: Province, out: Path) -> tuple[list[tuple], int]:
    """One file per month (plus a small supplement repeating some rows), varied per month."""
    tasks, n = [], 0
    for j, mo in enumerate(p.dues.months_iter()):
        y, mm = divmod(mo.month, 12)
        title = f"{y}年{mm + 1:02d}月团费交纳明细"
        fmt = FMTS[j % 3]
        has_month, has_id = j % 2 == 0, j % 4 != 1
        header = tuple(h for h in tables.DUES_HEADER
                       if (h != "月份" or has_month) and (h != "身份证号码" or has_id))
        order = np.lexsort((mo.member, mo.branch))
        spoil = D.dues_month(np.random.default_rng([p.seed, 900 + j]), len(order), len(p.dirty.ghosts))
        cols = tables.dues(p, mo, order, spoil, lean=False, mstyle=j % 4)
        ghosts = tables.ghost_dues(p, mo, p.dirty.ghosts[spoil["ghosts"]], False, j % 4)
        columns = [a + b for a, b in zip(to_lists(cols, header), to_lists(ghosts, header))]
        numbers = ("当月应交金额（元）", "自愿交费金额（元）", "累计未交团费总数") if fmt == "xlsx" else ()
        ext = "xlsx" if fmt == "xlsx" else "csv"
        show_title = title if (not has_month or j % 4 == 0) else None
        tasks.append((out / "团费" / f"{title}.{ext}", fmt, header, columns, show_title, numbers))
        dup = to_lists(cols, header, spoil["duplicate"])
        tasks.append((out / "团费" / f"{title}_补充.xlsx", "xlsx", header, dup, show_title, numbers))
        n += len(order) + len(spoil["ghosts"]) + len(spoil["duplicate"])
        for reason, key in (("negative_amount", "negative"), ("unknown_label", "label"),
                            ("identical_duplicate", "duplicate"), ("unmatched_dues", "ghosts")):
            p.dirty.count(reason, len(spoil[key]))
    return tasks, n


def write(p: Province, out: Path, progress, workers: int | None = None) -> tuple[int, dict]:
    tasks, rows = plan(p, out)
    dtasks, rows["dues"] = dues_tasks(p, out)
    big = sorted(dtasks, key=lambda t: -len(t[3][0]) if t[3] else 0)
    batches = [[t] for t in big] + [tasks[i:i + 40] for i in range(0, len(tasks), 40)]
    total = len(batches)
    # Starting worker processes costs about a second: not worth it for small runs.
    workers = workers or (min(4, os.cpu_count() or 1) if len(tasks) > 400 else 1)
    if workers <= 1:
        for i, b in enumerate(batches):
            write_batch(b)
            progress("write", i + 1, total)
    else:
        ctx = multiprocessing.get_context("forkserver")
        with cf.ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            futures = [pool.submit(write_batch, b) for b in batches]
            for i, f in enumerate(cf.as_completed(futures)):
                f.result()
                progress("write", i + 1, total)
    return len(tasks) + len(dtasks), rows
