"""Dues bill lines of one month as columns, with their deliberate faults and ghost rows."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from . import dirty as D
from .dues import Month
from .formats import coded, fen_text, month_cells, repeat
from .model import Province
from .tables import Columns, full_names


def dues(p: Province, mo: Month, rows: np.ndarray, spoil: dict, lean: bool, mstyle: int) -> Columns:
    """Bill lines `rows` of a month; spoil gives row positions (within rows) to fault."""
    m, pe = p.members, p.people
    member = mo.member[rows]
    person = m.person[member]
    amount = mo.amount[rows].copy()
    amount[spoil.get("negative", [])] = -np.maximum(amount[spoil.get("negative", [])], 500)
    paid = pa.array(np.where(mo.paid[rows], "已交", "未交")).to_numpy(zero_copy_only=False)
    paid[spoil.get("label", [])] = D.BAD_LABELS["paid_status"]
    n = len(rows)
    full = full_names(p)
    cols = {"月份": month_cells(np.full(n, mo.month), np.full(n, mstyle)),
            "团员姓名": pe.name(person), "所在团支部": full.take(pa.array(mo.branch[rows])),
            "当月应交金额（元）": fen_text(amount), "当月交纳状态": paid,
            "身份证号码": pe.id_text(person), "自愿交费金额（元）": fen_text(mo.voluntary[rows])}
    if not lean:
        cols.update(
            {"政治面貌": coded("political_status", m.political[member]),
             "手机号码": pe.mobile_text(person),
             "团员当前所属支部": full.take(pa.array(m.branch[member])),
             "累计未交团费总数": fen_text(mo.unpaid_total[rows])}
        )
    return cols


def ghost_dues(p: Province, mo: Month, ghosts: np.ndarray, lean: bool, mstyle: int) -> Columns:
    """Bill lines naming people who are no member (they match no member row)."""
    pe = p.people
    n = len(ghosts)
    branch = p.orgs.branches[(ghosts * 7919) % len(p.orgs.branches)]
    fen = np.full(n, 500)
    cols = {"月份": month_cells(np.full(n, mo.month), np.full(n, mstyle)),
            "团员姓名": pe.name(ghosts), "所在团支部": full_names(p).take(pa.array(branch)),
            "当月应交金额（元）": fen_text(fen), "当月交纳状态": repeat("未交", n),
            "身份证号码": pe.id_text(ghosts), "自愿交费金额（元）": fen_text(fen * 0)}
    if not lean:
        cols.update(
            {"政治面貌": repeat("共青团员", n), "手机号码": pe.mobile_text(ghosts),
             "团员当前所属支部": cols["所在团支部"], "累计未交团费总数": fen_text(fen)}
        )
    return cols
