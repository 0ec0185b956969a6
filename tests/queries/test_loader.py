"""queries.run / queries.rows: the same answer on SQLAlchemy and native DuckDB connections, and a
`:name` in a comment is never taken for a parameter."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

import queries
from etl.metrics import connect
from tests.queries import province


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("loader") / "zhtj.duckdb"
    province.build_db(path, province.DATA, as_of=dt.datetime(2024, 10, 8, 12))
    return path


def test_a_parameter_named_only_in_the_header_comment_is_not_required(db):
    assert ":reason" in queries.header("quarantine_by_reason")  # named in the header only
    with connect(db) as conn:
        over_sqlalchemy = queries.rows("quarantine_by_reason", conn)
    native = duckdb.connect(str(db), read_only=True)
    try:
        assert queries.rows("quarantine_by_reason", native) == over_sqlalchemy
    finally:
        native.close()
    assert sum(r["quarantined_rows"] for r in over_sqlalchemy) == province.QUARANTINED_ROWS


@pytest.mark.parametrize("name", queries.names())
def test_both_connection_kinds_bind_the_same_parameters(name):
    _, native = queries.native(name)
    compiled = set(queries._compiled(name, ()).compile().params)
    assert compiled == set(native)


def test_a_query_that_builds_on_another_takes_its_body_and_parameters(db):
    """progress_counts includes progress_items ({{progress_items}}): one definition, its
    parameters bound with the outer query's, on both connection kinds."""
    assert "{{progress_items}}" in queries.sql("progress_counts")
    assert "{{" not in queries._body("progress_counts")
    params = dict(seq=3, seq_last=11, from_load=None, to_load=1)
    with connect(db) as conn:
        over_sqlalchemy = queries.rows("progress_counts", conn, **params)
    native = duckdb.connect(str(db), read_only=True)
    try:
        assert queries.rows("progress_counts", native, **params) == over_sqlalchemy
    finally:
        native.close()
    assert len(over_sqlalchemy) == 7
