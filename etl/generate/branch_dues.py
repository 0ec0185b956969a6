"""Dues in the branch layout: a file per month, its form varying by month, plus a supplement."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import dirty as D
from . import dues_rows, tables
from .model import Province
from .writers import to_lists

AMOUNTS = ("当月应交金额（元）", "自愿交费金额（元）", "累计未交团费总数")


def tasks(p: Province, out: Path) -> tuple[list[tuple], int]:
    """Write tasks for the 12 months, and the number of dues rows.

    Month j: format xlsx / csv GBK / csv UTF-8 with BOM (j % 3); a 月份 column in even months,
    otherwise only the title row names the month; no 身份证号码 when j % 4 == 1 (rows are then
    matched by 团员姓名 + 手机号码)."""
    from .branch_layout import FMTS, task
    out_tasks, n = [], 0
    for j, mo in enumerate(p.dues.months_iter()):
        y, mm = divmod(mo.month, 12)
        title = f"{y}年{mm + 1:02d}月团费交纳明细"
        fmt = FMTS[j % 3]
        has_month, has_id = j % 2 == 0, j % 4 != 1
        header = tuple(h for h in tables.DUES_HEADER
                       if (h != "月份" or has_month) and (h != "身份证号码" or has_id))
        order = np.lexsort((mo.member, mo.branch))  # by branch at billing time
        spoil = D.dues_month(np.random.default_rng([p.seed, 900 + j]), len(order),
                             len(p.dirty.ghosts))
        cols = dues_rows.dues(p, mo, order, spoil, lean=False, mstyle=j % 4)
        ghosts = dues_rows.ghost_dues(p, mo, p.dirty.ghosts[spoil["ghosts"]], False, j % 4)
        columns = [a + b for a, b in
                   zip(to_lists(cols, header), to_lists(ghosts, header), strict=True)]
        numbers = AMOUNTS if fmt == "xlsx" else ()
        shown = title if (not has_month or j % 4 == 0) else None
        out_tasks.append(task(out / "团费" / title, fmt, header, columns, shown, numbers))
        dup = to_lists(cols, header, spoil["duplicate"])
        out_tasks.append(task(out / "团费" / f"{title}_补充", "xlsx", header, dup, shown, AMOUNTS))
        n += len(order) + len(spoil["ghosts"]) + len(spoil["duplicate"])
        for reason, key in (("negative_amount", "negative"), ("unknown_label", "label"),
                            ("identical_duplicate", "duplicate"), ("unmatched_dues", "ghosts")):
            p.dirty.count(reason, len(spoil[key]))
    return out_tasks, n
