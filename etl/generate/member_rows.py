"""Member rows: each member's own row (with deliberate faults) and the extra dirty rows."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import dirty as D
from . import names
from .formats import coded, dt_cells, month_cells, repeat
from .model import Province
from .tables import Columns, full_names


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
    return {
        "姓名": pe.name(person),
        "手机号码": pe.mobile_text(person),
        "证件类型": repeat("普通居民身份证", len(src)),
        "身份证号码": pa.array(ids).cast(pa.string()),
        "政治面貌": political,
        "全日制学历": pa.array(list(names.EDUCATION)).take(pa.array(m.education[src])),
        "职业": coded("occupation", m.occupation[src]),
        "收入": coded("income_band", m.income[src], empty=(0,)),
        "入团年月": month_cells(m.joined[src], mstyle),
        "申请报到时间": registered,
        "资料审核时间": dt_cells(rev, dstyle),
        "报到资料状态": status,
        "所在团支部": branch,
        "团员编号": pc.if_else(
            pa.array(number == 0),
            pa.nulls(len(src), pa.string()),
            pa.array(number).cast(pa.string()),
        ),
        "团籍状态": member_status,
    }


def members(
    p: Province, idx: np.ndarray, dstyle: np.ndarray, mstyle: np.ndarray, blank: np.ndarray
) -> Columns:
    """Member rows (with their deliberate faults), per-row styles."""
    m = p.members
    return _member_cols(p, idx, m.person[idx], full_names(p).take(pa.array(m.branch[idx])),
                        np.zeros(len(idx), dtype=np.int64), p.dirty.mutation[idx], dstyle, mstyle,
                        blank)


def extra_members(
    p: Province, which: np.ndarray, dstyle: np.ndarray, mstyle: np.ndarray, blank: np.ndarray
) -> Columns:
    """Extra member rows: unknown branch, the same person in another branch, identical copies."""
    d = p.dirty
    src, kind = d.extra_src[which], d.extra_kind[which]
    branch = full_names(p).take(pa.array(d.extra_branch[which]))
    branch = pc.if_else(pa.array(kind == D.UNKNOWN_ORG),
                        pc.replace_substring(branch, "团支部", "临时团支部"), branch)
    return _member_cols(p, src, d.extra_person[which], branch, d.extra_shift[which],
                        np.zeros(len(src), dtype=np.int8), dstyle, mstyle, blank)
