"""The audit log: sign-ins, refusals, downloads and packs, account changes. Append-only: SQLite
triggers refuse every update and delete."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from accounts import db

SCHEMA = """
create table if not exists audit (
    id integer primary key autoincrement,
    at text not null,
    actor text,
    actor_org_id text,
    client text,
    action text not null,
    org_id text,
    detail text not null default '{}'
);
create trigger if not exists audit_no_update before update on audit
begin select raise(abort, 'the audit log is append-only'); end;
create trigger if not exists audit_no_delete before delete on audit
begin select raise(abort, 'the audit log is append-only'); end;
"""

ACTIONS = ("login_success", "login_failure", "logout", "refusal", "download", "pack",
           "account_add", "account_disable", "account_enable", "password_reset",
           # alerts (notify/): subscriptions changed, digests queued, sent or failed
           "subscription_add", "subscription_pause", "subscription_resume", "subscription_remove",
           "alert_queued", "alert_sent", "alert_failed",
           # loads from the browser (importer/): an upload received, cancelled, a load's result
           "upload", "upload_cancel", "import")


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        db.create(self.path, SCHEMA)

    def record(self, action: str, *, actor: str | None = None, actor_org_id: str | None = None,
               client: str | None = None, org_id: str | None = None, **detail) -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")
        with db.connect(self.path) as conn:
            conn.execute("insert into audit (at, actor, actor_org_id, client, action, org_id, "
                         "detail) values (?, ?, ?, ?, ?, ?, ?)",
                         (at, actor, actor_org_id, client, action, org_id,
                          json.dumps(detail, ensure_ascii=False, default=str)))

    # Written out in full: :every (1 = every entry) or the actor organizations as one JSON list.
    _ENTRIES = ("select * from audit where ? or actor_org_id in (select value from json_each(?)) "
                "order by id desc limit ? offset ?")
    _COUNT = ("select count(*) from audit "
              "where ? or actor_org_id in (select value from json_each(?))")

    @staticmethod
    def _scope(actor_org_ids) -> list:
        """Entries of accounts whose organization is one of actor_org_ids; None: every entry."""
        if actor_org_ids is None:
            return [1, "[]"]
        return [0, json.dumps(list(actor_org_ids))]

    def entries(self, *, offset: int = 0, limit: int = 50, actor_org_ids=None) -> list[dict]:
        """Newest first."""
        with db.connect(self.path) as conn:
            rows = conn.execute(self._ENTRIES, [*self._scope(actor_org_ids), int(limit),
                                                int(offset)]).fetchall()
        return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows]

    def count(self, *, actor_org_ids=None) -> int:
        with db.connect(self.path) as conn:
            return conn.execute(self._COUNT, self._scope(actor_org_ids)).fetchone()[0]

    _ABOUT = "select * from audit where action = ? and org_id = ? order by id desc limit ?"

    def about(self, action: str, org_id: str, *, limit: int = 50) -> list[dict]:
        """The latest entries of one action about one organization (e.g. the packs built for
        it), newest first."""
        with db.connect(self.path) as conn:
            rows = conn.execute(self._ABOUT, [action, org_id, int(limit)]).fetchall()
        return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows]

    def actor_org_ids(self) -> list[str]:
        with db.connect(self.path) as conn:
            return [r[0] for r in conn.execute(
                "select distinct actor_org_id from audit where actor_org_id is not null")]


# Export events (exports/audit.py) and the audit action each is.
EXPORT_EVENTS = {"chart_download": "download", "pack_build": "pack"}


def record(event: str, *, org_id: str | None = None, user=None, **detail) -> None:
    """The hook exports/audit.py calls for a chart download or a pack: an entry by the current
    request's account in the server's audit log."""
    from dashboard import access

    action = EXPORT_EVENTS.get(event, event)
    access.record(action, org_id=org_id, what=event if action != event else None, **detail)
