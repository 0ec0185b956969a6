"""Alert once: a finding is sent while it is new to the subscription or worse than when it was
last sent; a finding that disappears (fixed) is forgotten, so that it alerts again if it reopens."""

from __future__ import annotations

from pathlib import Path

from accounts import db
from notify.findings import Finding


def to_send(path: Path, subscription_id: int, findings: list[Finding]) -> list[Finding]:
    """The findings the subscription has not been told of at their level."""
    with db.connect(path) as conn:
        told = {(r["rule"], r["item_key"]): r["level"] for r in conn.execute(
            "select rule, item_key, level from alerted where subscription_id = ?",
            (subscription_id,))}
    return [f for f in findings if (f.rule, f.key) not in told or f.level > told[(f.rule, f.key)]]


def remember(path: Path, subscription_id: int, rules: tuple[str, ...], findings: list[Finding],
             load_id: int) -> None:
    """After the messages are in the outbox: keep what was told, forget what was fixed (a rule's
    finding absent from this evaluation), in one transaction."""
    with db.connect(path) as conn:
        conn.execute("begin immediate")
        try:
            present = {(f.rule, f.key) for f in findings}
            for r in conn.execute("select rule, item_key from alerted where subscription_id = ?",
                                  (subscription_id,)).fetchall():
                if r["rule"] in rules and (r["rule"], r["item_key"]) not in present:
                    conn.execute("delete from alerted where subscription_id = ? and rule = ? "
                                 "and item_key = ?", (subscription_id, r["rule"], r["item_key"]))
            conn.executemany(
                "insert into alerted values (?, ?, ?, ?, ?) on conflict (subscription_id, rule, "
                "item_key) do update set level = max(level, excluded.level), "
                "load_id = excluded.load_id",
                [(subscription_id, f.rule, f.key, f.level, load_id) for f in findings])
            conn.execute("commit")
        except BaseException:
            conn.execute("rollback")
            raise
