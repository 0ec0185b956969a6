"""Sign-in lockout: too many failures in a window lock an account, or a client address, for a while.

Failures are kept in the accounts file, so a restart does not reset them. A refused attempt during
a lock is not counted again: a lock always ends on time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from accounts import db

SCHEMA = """
create table if not exists login_failures (
    key text not null,
    failed_at real not null
);
create index if not exists login_failures_key on login_failures (key, failed_at);
"""


@dataclass(frozen=True)
class Policy:
    per_account: int = 5  # failures of one account name within the window
    per_client: int = 20  # failures from one client address within the window
    window: float = 15 * 60  # seconds
    lock: float = 15 * 60  # seconds, counted from the last failure


class Lockout:
    def __init__(self, path: Path, policy: Policy = Policy(), clock=time.time) -> None:
        self.path = Path(path)
        self.policy = policy
        self.clock = clock
        db.create(self.path, SCHEMA)

    def _keys(self, name: str, client: str) -> list[tuple[str, int]]:
        return [(f"account:{name}", self.policy.per_account),
                (f"client:{client}", self.policy.per_client)]

    def locked_until(self, name: str, client: str) -> float | None:
        """The time (seconds since the epoch) the account or the address is locked until, or
        None when a sign-in may be tried."""
        now = self.clock()
        until = None
        with db.connect(self.path) as conn:
            for key, limit in self._keys(name, client):
                got = conn.execute("select count(*), max(failed_at) from login_failures "
                                   "where key = ? and failed_at > ?",
                                   (key, now - self.policy.window)).fetchone()
                if got[0] >= limit:
                    end = got[1] + self.policy.lock
                    if end > now:
                        until = max(until or 0, end)
        return until

    def failed(self, name: str, client: str) -> None:
        now = self.clock()
        with db.connect(self.path) as conn:
            conn.executemany("insert into login_failures values (?, ?)",
                             [(key, now) for key, _ in self._keys(name, client)])
            # Old failures no longer count for anything.
            conn.execute("delete from login_failures where failed_at < ?",
                         (now - max(self.policy.window, self.policy.lock) * 2,))

    def succeeded(self, name: str) -> None:
        """A right password clears the account's failures (not the address's)."""
        with db.connect(self.path) as conn:
            conn.execute("delete from login_failures where key = ?", (f"account:{name}",))
