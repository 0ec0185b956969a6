"""County codes of ID numbers, checked by python-stdnum for each (county, birth year) in the load."""

from __future__ import annotations

import duckdb
import pyarrow as pa
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

# ID-bearing raw columns whose numbers are validated (dues lines are matched, not validated).
ID_COLUMNS = ("raw_members", "raw_cadres", "raw_transfers", "raw_roster")


def _probe_number(prefix6: str, year: int) -> str:
    body = f"{prefix6}{year:04d}0101001"
    return body + ric.calc_check_digit(body + "0")


def place_is_known(prefix6: str, year: int) -> bool:
    """Whether stdnum knows this county code for people born in that year."""
    try:
        ric.get_birth_place(_probe_number(prefix6, year))
        return True
    except (ValidationError, KeyError, ValueError):
        return False


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
