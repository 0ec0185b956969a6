"""Rows of organizations, cadres, transfers, campaigns and rosters, as columns keyed by header."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import dirty as D
from .formats import coded, dt_cells, month_cells
from .headers import (
    CADRE_HEADER,
    CAMPAIGN_HEADER,
    DUES_HEADER,
    DUES_LEAN,
    MEMBER_HEADER,
    ORG_HEADER,
    ROSTER_HEADER,
    TRANSFER_HEADER,
)
from .model import Province

__all__ = ["CADRE_HEADER", "CAMPAIGN_HEADER", "DUES_HEADER", "DUES_LEAN", "MEMBER_HEADER",
           "ORG_HEADER", "ROSTER_HEADER", "TRANSFER_HEADER"]

Columns = dict[str, "pa.Array | np.ndarray"]


def full_names(p: Province) -> pa.Array:
    if not hasattr(p, "_full"):
        p._full = pa.array(p.orgs.full)
    return p._full


def orgs(p: Province, idx: np.ndarray) -> Columns:
    o = p.orgs
    ids = pa.array(o.ids)
    parent = o.a_parent[idx]
    return {
        "组织ID": ids.take(pa.array(idx)),
        "上级组织ID": pc.if_else(
            pa.array(parent < 0), "", ids.take(pa.array(np.maximum(parent, 0)))
        ),
        "组织类型": coded("org_type", o.a_otype[idx]),
        "团组织全称": full_names(p).take(pa.array(idx)),
        "团组织简称": pa.array(o.short).take(pa.array(idx)),
        "行业类别": pa.array(o.industry).take(pa.array(idx)),
        "是否毕业班": pa.array(o.grad).take(pa.array(idx)),
    }


def cadres(p: Province, idx: np.ndarray, mstyle: np.ndarray) -> Columns:
    c, pe = p.cadres, p.people
    person = c.person[idx]
    wecom = coded("wecom_status", c.wecom[idx]).to_numpy(zero_copy_only=False)
    kind = coded("cadre_kind", c.kind[idx]).to_numpy(zero_copy_only=False)
    bad = np.flatnonzero(np.isin(idx, p.bad_cadres))
    wecom[bad[::2]] = D.BAD_LABELS["wecom_status"]
    kind[bad[1::2]] = D.BAD_LABELS["cadre_kind"]
    return {"姓名": pe.name(person), "身份证号码": pe.id_text(person),
            "所在组织": full_names(p).take(pa.array(c.org[idx])),
            "团内现任职务": pa.array(c.position[idx]), "是否入驻企业号": wecom,
            "是否本组织运营者": pa.array(np.where(c.operator[idx], "是", "否")), "团干部性质": kind,
            "任现职年月": month_cells(c.since[idx], mstyle), "手机号码": pe.mobile_text(person)}


def ghost_cadres(p: Province, mstyle: np.ndarray) -> Columns:
    """Copies of some cadre rows naming an organization that does not exist."""
    cols = cadres(p, p.ghost_cadres, mstyle)
    cols["所在组织"] = pc.binary_join_element_wise(cols["所在组织"], "筹备组", "")
    return cols


def transfers(p: Province, idx: np.ndarray, dstyle: np.ndarray) -> Columns:
    t, pe = p.transfers, p.people
    full = full_names(p)
    created = dt_cells(t.created[idx], dstyle)
    bad = np.flatnonzero(np.isin(idx, p.bad_transfer_dates))
    created[bad] = np.array(D.BAD_DATES, dtype=object)[bad % len(D.BAD_DATES)]
    to = pc.if_else(pa.array(t.to_org[idx] < 0), pa.array(t.to_text[idx]),
                    full.take(pa.array(np.maximum(t.to_org[idx], 0))))
    cols = {"姓名": pe.name(t.person[idx]), "身份证号码": pe.id_text(t.person[idx]),
            "申请时间": created, "转出团组织": full.take(pa.array(t.from_org[idx])),
            "转入团组织": to, "处理状态": coded("transfer_status", t.status[idx]),
            "完成时间": dt_cells(t.completed[idx], dstyle),
            "转往": coded("destination_kind", t.dest[idx]), "原因": coded("cause", t.cause[idx])}
    for j, h in enumerate(TRANSFER_HEADER[9:]):
        cols[h] = dt_cells(t.steps[idx, j], dstyle)
    return cols


def campaigns(p: Province, dstyle: int) -> Columns:
    rows = p.reg.campaigns
    days = np.array([np.datetime64(d, "s").astype(np.int64) for _, d, _ in rows], dtype=np.int64)
    return {"任务名称": pa.array([r[0] for r in rows], type=pa.string()),
            "截止日期": dt_cells(days, np.full(len(rows), dstyle)),
            "组织ID": pa.array([p.orgs.ids[r[2]] for r in rows], type=pa.string())}


def roster(p: Province, idx: np.ndarray) -> Columns:
    r = p.reg
    names_ = pa.array([c[0] for c in r.campaigns], type=pa.string())
    person = r.roster_person[idx]
    return {"任务名称": names_.take(pa.array(r.roster_campaign[idx])),
            "姓名": p.people.name(person), "身份证号码": p.people.id_text(person),
            "所在团支部": full_names(p).take(pa.array(r.roster_branch[idx]))}
