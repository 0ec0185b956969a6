"""The app reads the published file read-only and picks up a newly published one by itself."""

import os

import duckdb
import pytest

from dashboard.store import DataStore, NoData


def _publish(path, value):
    tmp = path.with_name(path.name + ".tmp")
    con = duckdb.connect(str(tmp))
    con.execute("create table t as select ? as x", [value])
    con.close()
    os.replace(tmp, path)


def test_a_new_file_is_served_on_the_next_request_while_a_running_one_finishes(tmp_path):
    db = tmp_path / "zhtj.duckdb"
    _publish(db, 1)
    store = DataStore(db)
    with store.cursor() as old:
        assert old.execute("select x from t").fetchone() == (1,)
        _publish(db, 2)
        with store.cursor() as new:
            assert new.execute("select x from t").fetchone() == (2,)
        # the request that started before the swap still reads its own file
        assert old.execute("select x from t").fetchone() == (1,)


def test_values_cached_per_file_are_recomputed_for_a_new_file(tmp_path):
    db = tmp_path / "zhtj.duckdb"
    _publish(db, 1)
    store = DataStore(db)
    read = lambda cur: cur.execute("select x from t").fetchone()[0]  # noqa: E731
    assert store.cached("x", read) == 1
    _publish(db, 2)
    assert store.cached("x", read) == 2


def test_no_file_yet_is_a_clear_condition(tmp_path):
    store = DataStore(tmp_path / "missing.duckdb")
    with pytest.raises(NoData):
        store.generation()


def test_the_store_never_writes_the_file(tmp_path):
    db = tmp_path / "zhtj.duckdb"
    _publish(db, 1)
    with DataStore(db).cursor() as cur:
        with pytest.raises(duckdb.Error):
            cur.execute("insert into t values (5)")
        with pytest.raises(duckdb.Error):
            cur.execute("create table zhtj.main.y as select 1")
