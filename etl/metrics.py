"""`zhtj metrics`: one organization's figures as CONTRACT.md §3 defines them, read from rollups."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import queries


class OrgNotFound(LookupError):
    """The organization id is not in the loaded tree."""


class CampaignNotFound(LookupError):
    """The named campaign does not exist."""


@contextlib.contextmanager
def connect(db: Path) -> Iterator:
    """A read-only SQLAlchemy connection to a published database."""
    from sqlalchemy import create_engine

    db = Path(db)
    if not db.exists():
        raise FileNotFoundError(str(db))
    engine = create_engine(f"duckdb:///{db}", connect_args={"read_only": True})
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


@contextlib.contextmanager
def connect_native(db: Path) -> Iterator:
    """A read-only DuckDB connection to a published database, without SQLAlchemy (a command that
    answers one question starts faster; queries.run and queries.rows accept it as they accept
    the SQLAlchemy one)."""
    import duckdb

    db = Path(db)
    if not db.exists():
        raise FileNotFoundError(str(db))
    con = duckdb.connect(str(db), read_only=True)
    try:
        yield con
    finally:
        con.close()


class _Row(dict):
    """A result row whose columns read as attributes."""

    __getattr__ = dict.__getitem__


def _rate(part, whole) -> float | None:
    return round(part / whole, 4) if whole else None


def _int(value) -> int:
    return int(value) if value is not None else 0


def _yuan(value) -> float:
    return round(float(value), 2) if value is not None else 0.0


def compute(conn, org_id: str, month: str | None = None, campaign: str | None = None) -> dict:
    """The §3 JSON object for one organization's subtree."""
    org = queries.rows("org_lookup", conn, org_id=org_id)
    if not org:
        raise OrgNotFound(org_id)
    o = _Row(org[0])
    seq, seq_last = int(o.seq), int(o.seq_last)
    m = _Row(queries.rows("org_metrics", conn, seq=seq)[0])
    return {
        "org_id": org_id,
        "org_name": o.full_name,
        "as_of": m.as_of.isoformat(timespec="seconds") if m.as_of is not None else None,
        "members_active": _int(m.members_active),
        "registration": _registration(conn, seq, seq_last, campaign),
        "reviews_pending": _int(m.reviews_pending),
        "cadres": {
            "records": _int(m.cadre_records),
            "in_scope": _int(m.cadres_in_scope),
            "out_of_scope": _int(m.cadres_out_of_scope),
            "onboarded_in_scope": _int(m.cadres_onboarded_in_scope),
            "onboarding_rate": _rate(_int(m.cadres_onboarded_in_scope), _int(m.cadres_in_scope)),
            "branches_without_cadre": _int(m.branches_without_cadre),
        },
        "dues": _dues(conn, seq, month),
        "transfers": {
            "pending_out": _int(m.transfers_pending_out),
            "pending_in": _int(m.transfers_pending_in),
            "completed": _int(m.transfers_completed),
            "returned": _int(m.transfers_returned),
        },
        "quarantined_rows": _int(m.quarantined_rows),
    }


def _registration(conn, seq: int, seq_last: int, campaign: str | None) -> dict | None:
    chosen = queries.rows("org_campaign", conn, seq=seq, seq_last=seq_last, campaign=campaign)
    if not chosen:
        if campaign is not None:
            raise CampaignNotFound(campaign)
        return None
    c = _Row(chosen[0])
    reg = queries.rows("org_registration", conn, seq=seq, campaign_id=int(c.campaign_id))
    roster, approved, pending = (0, 0, 0) if not reg else (
        _int(reg[0]["roster"]), _int(reg[0]["approved"]), _int(reg[0]["pending"]))
    return {
        "campaign": c.campaign,
        "deadline": c.deadline.isoformat() if c.deadline is not None else None,
        "roster": roster,
        "approved": approved,
        "pending": pending,
        "completion_approved": _rate(approved, roster),
        "completion_submitted": _rate(approved + pending, roster),
    }


def _dues(conn, seq: int, month: str | None) -> dict | None:
    first_day = dt.date.fromisoformat(f"{month}-01") if month else None
    d = _Row(queries.rows("org_dues_month", conn, seq=seq, month=first_day)[0])
    if d.dues_month is None:
        return None
    billed, paid = _int(d.billed_members), _int(d.paid_members)
    return {
        "month": d.dues_month.strftime("%Y-%m"),
        "billed_members": billed,
        "paid_members": paid,
        "compliance": _rate(paid, billed),
        "amount_due_yuan": _yuan(d.amount_due_yuan),
        "amount_paid_yuan": _yuan(d.amount_paid_yuan),
        "arrears_6plus_members": _int(d.arrears_6plus_members),
    }


def render_text(data: dict) -> str:
    """A short human-readable form of the figures."""
    lines = [f"{data['org_name']} ({data['org_id']})  截至 / as of {data['as_of']}",
             f"  在册团员 / active members: {data['members_active']:,}",
             f"  待审核 / reviews pending: {data['reviews_pending']:,}"]
    reg = data["registration"]
    if reg:
        lines.append(f"  报到 / registration {reg['campaign']} (截止 {reg['deadline']}): "
                     f"{reg['approved']}/{reg['roster']} approved, {reg['pending']} pending")
    c = data["cadres"]
    lines.append(f"  团干部 / cadres: {c['records']} records, {c['in_scope']} in scope, "
                 f"{c['out_of_scope']} out of scope, onboarding {c['onboarding_rate']}")
    d = data["dues"]
    if d:
        lines.append(f"  团费 / dues {d['month']}: {d['paid_members']}/{d['billed_members']} paid, "
                     f"6+ months unpaid: {d['arrears_6plus_members']}")
    t = data["transfers"]
    lines.append(f"  转接 / transfers: out {t['pending_out']}, in {t['pending_in']}, "
                 f"completed {t['completed']}, returned {t['returned']}")
    lines.append(f"  隔离行 / quarantined rows: {data['quarantined_rows']:,}")
    return "\n".join(lines)
