"""County codes of ID numbers, checked by python-stdnum for each (county, birth year) in the load."""

from __future__ import annotations

import functools

import duckdb
import pyarrow as pa
from stdnum import numdb

# ID-bearing raw columns whose numbers are validated (dues lines are matched, not validated).
ID_COLUMNS = ("raw_members", "raw_cadres", "raw_transfers", "raw_roster")


@functools.lru_cache(maxsize=None)
def _county_years(prefix6: str) -> tuple[tuple[int | None, int | None], ...]:
    """The years stdnum's county table gives a code, one (start, end) per county it names
    ((None, None): any year); empty if it names none. One look-up per code: a load has a few
    hundred codes but thousands of (code, year) pairs, and each look-up scans the table."""
    results = numdb.get("cn/loc").info(prefix6)
    info = {k: v for _, props in results for k, v in props.items()}
    spans = []
    for county in info["county"].split(",") if "county" in info else ():
        if not county.startswith("["):
            spans.append((None, None))
            continue
        start, end = county[1:].split("]")[0].split("-")
        spans.append((int(start) if start else None, int(end) if end else None))
    return tuple(spans)


def place_is_known(prefix6: str, year: int) -> bool:
    """Whether stdnum knows this county code for people born in that year: what
    stdnum.cn.ric.get_birth_place decides for such a number (a county without years, or one
    assigned in that year), without building a number per pair."""
    if not 1 <= year <= 9999:
        return False  # no date: get_birth_date refuses it
    return any((start is None or year >= start) and (end is None or year <= end)
               for start, end in _county_years(prefix6))


def ric_combos_sql() -> str:
    """The distinct (prefix6, birth_year) of the ID numbers in the raw tables (DuckDB's SQL; the
    Spark load translates it)."""
    # norm_id is costly at ten million rows: only numbers not starting with ten digits need it.
    union = " union ".join(
        f"select distinct case when regexp_full_match(left(id_number, 10), '\\d{{10}}') "
        f"then left(id_number, 10) else left(norm_id(id_number), 10) end as head from {t}"
        for t in ID_COLUMNS
    )
    return (f"select distinct substr(head, 1, 6) as prefix6, "
            f"cast(substr(head, 7, 4) as integer) as birth_year "
            f"from ({union}) where regexp_full_match(head, '\\d{{10}}')")


def build_ric_places(con: duckdb.DuckDBPyConnection) -> int:
    """Create ric_places(prefix6, birth_year, is_known) for every combination in the raw tables."""
    combos = con.execute(ric_combos_sql()).fetchall()
    # One insert of a registered Arrow table: executemany costs ~0.7 ms a row (2.3 s for the
    # demo province's 3,294 combinations), this a few milliseconds.
    frame = pa.table({
        "prefix6": pa.array([p for p, _ in combos], pa.string()),
        "birth_year": pa.array([y for _, y in combos], pa.int32()),
        "is_known": pa.array([place_is_known(p, y) for p, y in combos], pa.bool_()),
    })
    con.register("ric_places_frame", frame)
    try:
        con.execute("create or replace table ric_places as "
                    "select prefix6, birth_year, is_known from ric_places_frame")
    finally:
        con.unregister("ric_places_frame")
    return len(combos)
