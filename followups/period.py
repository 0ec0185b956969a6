"""The period a progress report covers: from an earlier load A to the latest load B."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import queries
from etl.followup import NoLoad, periods
from etl.history import kept_starts


@dataclass(frozen=True)
class Load:
    load_id: int
    as_of: dt.datetime


@dataclass(frozen=True)
class Period:
    """A (start; None when there is no earlier load to compare with) and B (end: the latest
    load). previous_id is the load before B: the period the load kept (progress_item_states and
    its rollups) is the one from it."""

    end: Load
    start: Load | None
    previous_id: int | None
    kept_ids: tuple[int, ...] = ()  # the starts whose item states the load kept


    @property
    def from_load(self) -> int | None:
        return self.start.load_id if self.start else None

    @property
    def is_kept(self) -> bool:
        """Whether the load kept this period's figures (read them; else compute them)."""
        return self.from_load == self.previous_id

    @property
    def states_kept(self) -> bool:
        """Whether the load kept this period's item states (the lists read them; the figures of
        an earlier period than the previous load's are still computed)."""
        return self.is_kept or self.from_load in self.kept_ids

    def params(self) -> dict:
        """The bound parameters the progress reports take for the period."""
        return {"from_load": self.from_load, "to_load": self.end.load_id,
                "is_kept": self.is_kept, "states_kept": self.states_kept}


def loads(conn) -> list[Load]:
    """Every load of the database's history, latest first."""
    return [Load(int(r["load_id"]), r["as_of"]) for r in queries.rows("load_history", conn)]


def choose(conn, *, since: dt.date | None = None, from_load: int | None = None,
           history: list[Load] | None = None) -> Period:
    """The period ending at the latest load and starting at `from_load` when that is an earlier
    load, else at the latest load on or before `since` (none when there is no such load, as
    `zhtj progress --since` says), else at the load before the latest. history: loads(conn)
    when the caller keeps it. Raises NoLoad on an empty history."""
    history = loads(conn) if history is None else history
    if not history:
        raise NoLoad("no load yet")
    end = history[0]
    previous = history[1] if len(history) > 1 else None
    earlier = {load.load_id: load for load in history[1:]}
    if from_load in earlier:
        start = earlier[from_load]
    elif since is not None:
        a, _ = periods(conn, since)
        start = Load(int(a["load_id"]), a["as_of"]) if a else None
    else:
        start = previous
    return Period(end=end, start=start, previous_id=previous.load_id if previous else None,
                  kept_ids=tuple(kept_starts([load.load_id for load in history[1:]])))
