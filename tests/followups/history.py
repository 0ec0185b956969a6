"""The hand-written province (tests/queries/province.py) loaded three times, a week apart, with
progress between the loads: the databases the progress page, the pack's "since the last meeting"
part and followups are tested on.

    load 1  2024-10-08  the province as tests/queries/test_followup.py has it (m2 waits over 48
                        hours for review, m3 47 hours)
    load 2  2024-10-15  c2 (其他 at P, out of scope) removed; m3 now waits over 48 hours
    load 3  2024-10-22  c6 (a committee member at B11, out of scope) removed; c9 (其他 at G2,
                        out of scope) added; t1 (stuck at B12) completed

Load 1 is 14 days before load 3: every item open since load 1 is open over 14 days at load 3.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.queries import province
from tests.queries.conftest import make_id
from tests.queries.test_followup import DATA

AS_OF = {1: dt.datetime(2024, 10, 8, 12), 2: dt.datetime(2024, 10, 15, 12),
         3: dt.datetime(2024, 10, 22, 12)}
C9 = {"name": "c9", "id_number": make_id("19950101", 9), "org_id": "G2", "position": "其他",
      "wecom_status": "否"}


def _without(rows: list[dict], *names: str) -> list[dict]:
    return [r for r in rows if r["name"] not in names]


def data(load: int) -> dict:
    """The export files' rows of one load."""
    if load == 1:
        return DATA
    if load == 2:
        return {**DATA, "cadres": _without(DATA["cadres"], "c2")}
    transfers = [{**r, "status": "接转成功"} if r["name"] == "t1" else r
                 for r in DATA["transfers"]]
    return {**DATA, "cadres": [*_without(DATA["cadres"], "c2", "c6"), C9],
            "transfers": transfers}


def build(folder: Path, loads: int = 3) -> Path:
    """The database after `loads` loads (each carrying the history of the one before)."""
    previous = None
    for load in range(1, loads + 1):
        path = folder / f"load{load}.duckdb"
        province.build_db(path, data(load), as_of=AS_OF[load], previous=previous)
        previous = path
    return previous
