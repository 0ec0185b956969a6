"""Rows of each file kind as columns keyed by the platform's Chinese headers."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import dirty as D
from . import names
from .dues import Month
from .formats import coded, dt_cells, fen_text, month_cells, repeat
from .model import Province

Columns = dict[str, "pa.Array | np.ndarray"]
ORG_HEADER = ("组织ID", "上级组织ID", "组织类型", "团组织全称", "团组织简称", "行业类别", "是否毕业班")
MEMBER_HEADER = ("姓名", "手机号码", "证件类型", "身份证号码", "政治面貌", "全日制学历", "职业", "收入",
                 "入团年月", "申请报到时间", "资料审核时间", "报到资料状态", "所在团支部", "团员编号",
                 "团籍状态")
CADRE_HEADER = ("姓名", "身份证号码", "所在组织", "团内现任职务", "是否入驻企业号", "是否本组织运营者",
                "团干部性质", "任现职年月", "手机号码")
TRANSFER_HEADER = ("姓名", "身份证号码", "申请时间", "转出团组织", "转入团组织", "处理状态", "完成时间",
                   "转往", "原因", "转出团支部审核时间", "转出团支部上级审核时间", "转入团支部审核时间",
                   "转入团支部上级审核时间")
CAMPAIGN_HEADER = ("任务名称", "截止日期", "组织ID")
ROSTER_HEADER = ("任务名称", "姓名", "身份证号码", "所在团支部")
DUES_HEADER = ("月份", "团员姓名", "政治面貌", "手机号码", "身份证号码", "所在团支部", "团员当前所属支部",
               "当月应交金额（元）", "自愿交费金额（元）", "当月交纳状态", "累计未交团费总数")
DUES_LEAN = ("月份", "团员姓名", "所在团支部", "当月应交金额（元）", "当月交纳状态", "身份证号码",
             "自愿交费金额（元）")


def full_names(p: Province) -> pa.Array:
    if not hasattr(p, "_full"):
        p._full = pa.array(p.orgs.full)
    return p._full


def orgs(p: Province, idx: np.ndarray) -> Columns:
    o = p.orgs
    ids = pa.array(o.ids)
    parent = o.a_parent[idx]
    return {"组织ID": ids.take(pa.array(idx)),
            "上级组织ID": pc.if_else(pa.array(parent < 0), "", ids.take(pa.array(np.maximum(parent, 0)))),
            "组织类型": coded("org_type", o.a_otype[idx]),
            "团组织全称": full_names(p).take(pa.array(idx)),
            "团组织简称": pa.array(o.short).take(pa.array(idx)),
            "行业类别": pa.array(o.industry).take(pa.array(idx)),
            "是否毕业班": pa.array(o.grad).take(pa.array(idx))}


def _member_cols(p: Province, src: np.ndarray, person: np.ndarray, branch: pa.Array,
                 shift: np.ndarray, mut: np.ndarray, dstyle: np.ndarray, mstyle: np.ndarray,
                 blank: np.ndarray) -> Columns:
    m, r, pe = p.members, p.reg, p.people
    reg = np.where(r.registered[src] >= 0, r.registered[src] - shift, -1)
    rev = np.where(r.reviewed[src] >= 0, r.reviewed[src] - shift, -1)
    ids = pe.id_number[person]
    ids = np.where(mut == D.BAD_ID, D.spoil_id(ids), ids)
    registered = dt_cells(reg, dstyle)
    bad_date = np.flatnonzero(mut == D.BAD_DATE)
    registered[bad_date] = np.array(D.BAD_DATES, dtype=object)[bad_date % len(D.BAD_DATES)]
    status = coded("registration_status", r.status[src]).to_numpy(zero_copy_only=False)
    political = coded("political_status", m.political[src]).to_numpy(zero_copy_only=False)
    bad = np.flatnonzero(mut == D.BAD_LABEL)
    status[bad[::2]] = D.BAD_LABELS["registration_status"]
    political[bad[1::2]] = D.BAD_LABELS["political_status"]
    ms = p.membership[src]
    member_status = coded("membership_status", ms).to_numpy(zero_copy_only=False)
    member_status[(ms == 0) & blank] = None
    number = m.number[src]
    return {"姓名": pe.name(person), "手机号码": pe.mobile_text(person),
            "证件类型": repeat("普通居民身份证", len(src)), "身份证号码": pa.array(ids).cast(pa.string()),
            "政治面貌": political,
            "全日制学历": pa.array(list(names.EDUCATION)).take(pa.array(m.education[src])),
            "职业": coded("occupation", m.occupation[src]),
            "收入": coded("income_band", m.income[src], empty=(0,)),
            "入团年月": month_cells(m.joined[src], mstyle),
            "申请报到时间": registered, "资料审核时间": dt_cells(rev, dstyle),
            "报到资料状态": status, "所在团支部": branch,
            "团员编号": pc.if_else(pa.array(number == 0), pa.nulls(len(src), pa.string()),
                               pa.array(number).cast(pa.string())),
            "团籍状态": member_status}


def members(p: Province, idx: np.ndarray, dstyle: np.ndarray, mstyle: np.ndarray,
            blank: np.ndarray) -> Columns:
    """Member rows (with their deliberate faults), per-row styles."""
    m = p.members
    return _member_cols(p, idx, m.person[idx], full_names(p).take(pa.array(m.branch[idx])),
                        np.zeros(len(idx), dtype=np.int64), p.dirty.mutation[idx], dstyle, mstyle,
                        blank)


def extra_members(p: Province, which: np.ndarray, dstyle: np.ndarray, mstyle: np.ndarray,
                  blank: np.ndarray) -> Columns:
    """Extra member rows: unknown branch, the same person in another branch, identical copies."""
    d = p.dirty
    src, kind = d.extra_src[which], d.extra_kind[which]
    branch = full_names(p).take(pa.array(d.extra_branch[which]))
    branch = pc.if_else(pa.array(kind == D.UNKNOWN_ORG),
                        pc.replace_substring(branch, "团支部", "临时团支部"), branch)
    return _member_cols(p, src, d.extra_person[which], branch, d.extra_shift[which],
                        np.zeros(len(src), dtype=np.int8), dstyle, mstyle, blank)


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
            "是否本组织运营者": pa.array(np.where(c.operator[idx], "是", "否")),
            "团干部性质": kind, "任现职年月": month_cells(c.since[idx], mstyle),
            "手机号码": pe.mobile_text(person)}


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
    return {"任务名称": names_.take(pa.array(r.roster_campaign[idx])), "姓名": p.people.name(person),
            "身份证号码": p.people.id_text(person),
            "所在团支部": full_names(p).take(pa.array(r.roster_branch[idx]))}


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
        cols.update({"政治面貌": coded("political_status", m.political[member]),
                     "手机号码": pe.mobile_text(person),
                     "团员当前所属支部": full.take(pa.array(m.branch[member])),
                     "累计未交团费总数": fen_text(mo.unpaid_total[rows])})
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
        cols.update({"政治面貌": repeat("共青团员", n), "手机号码": pe.mobile_text(ghosts),
                     "团员当前所属支部": cols["所在团支部"], "累计未交团费总数": fen_text(fen)})
    return cols
