"""The navigator's search, the report org_search: names, pinyin and pinyin initials, best first."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

import queries
from etl.metrics import connect
from tests.queries import province
from tests.queries.province import SEQ, TREE

AS_OF = dt.datetime(2024, 10, 8, 12, 0, 0)
ALL = {"seq": 1, "seq_last": 11}

# A second tree for the order of the results (seq in brackets, pre-order by full name):
#   [1] R  共青团测试大学委员会                        depth 0
#   [2] I    IT部团支部                               depth 1
#   [3] N    信息与计算机学院团总支                     depth 1   contains 计算机学院
#   [4] U    某分校团委                               depth 1
#   [5] C      某分校计算机学院团总支 (简称 计算机学院)  depth 2   short name is 计算机学院
#   [6] A    计算机学院校友会团支部                     depth 1   starts with 计算机学院
RANKED_ORGS = [
    {"org_id": "R", "org_type": "团委", "full_name": "共青团测试大学委员会"},
    {"org_id": "A", "parent_org_id": "R", "org_type": "团支部", "full_name": "计算机学院校友会团支部"},
    {"org_id": "N", "parent_org_id": "R", "org_type": "团总支", "full_name": "信息与计算机学院团总支"},
    {"org_id": "U", "parent_org_id": "R", "org_type": "团委", "full_name": "某分校团委"},
    {"org_id": "C", "parent_org_id": "U", "org_type": "团总支", "full_name": "某分校计算机学院团总支",
     "short_name": "计算机学院"},
    {"org_id": "I", "parent_org_id": "R", "org_type": "团支部", "full_name": "IT部团支部"},
]


@pytest.fixture(scope="module")
def db_files(tmp_path_factory):
    root = tmp_path_factory.mktemp("org_search")
    province.build_db(root / "province.duckdb", {"orgs": province.ORGS}, as_of=AS_OF)
    province.build_db(root / "ranked.duckdb", {"orgs": RANKED_ORGS}, as_of=AS_OF)
    return root


@pytest.fixture(scope="module", params=["sqlalchemy", "duckdb"])
def conns(request, db_files):
    """Both ways a query runs: a SQLAlchemy connection (`zhtj metrics`), a native DuckDB one
    (the dashboard)."""
    if request.param == "duckdb":
        cons = [duckdb.connect(str(db_files / f), read_only=True)
                for f in ("province.duckdb", "ranked.duckdb")]
        yield cons
        for c in cons:
            c.close()
    else:
        with connect(db_files / "province.duckdb") as p, connect(db_files / "ranked.duckdb") as r:
            yield [p, r]


def search(conn, q: str, limit: int = 20, **scope) -> list[str]:
    got = queries.run("org_search", conn, q=q, limit=limit, **(scope or ALL))
    assert list(got.columns) == ["seq", "org_id", "full_name", "short_name", "depth"]
    return list(got["org_id"])


@pytest.mark.parametrize("q, expected", [
    ("jsj", ["B11", "B12", "G1"]),          # initials: 计算机学院.. starts with jsj, 某大学计算机.. has it
    ("计算机", ["B11", "B12", "G1"]),        # the name, starting with it first
    ("shuxue", ["B21", "G2"]),              # full pinyin
    ("shu xue", ["B21", "G2"]),             # spaces typed between syllables
    ("sxxy", ["B21", "G2"]),
    ("共青团示例省委员会", ["P"]),
    ("gqt", ["X", "P", "U", "W"]),          # all initials prefixes: by depth, then tree order
    ("团支部", ["XB", "B31", "B21", "B11", "B12"]),  # no prefix: by depth, then tree order
    ("2024级2班", ["B12"]),
    ("物理", []),
    ("%", []),                              # not a LIKE pattern
])
def test_org_search_finds_names_pinyin_and_initials(conns, q, expected):
    """Any part of the full name, its pinyin or its initials; prefixes first, then shallower."""
    assert search(conns[0], q) == expected


@pytest.mark.parametrize("org_id, q, expected", [
    ("U", "jsj", ["B11", "B12", "G1"]),
    ("G2", "jsj", []),                      # outside the subtree
    ("G1", "jsj", ["B11", "B12", "G1"]),
    ("X", "tzb", ["XB"]),
    ("P", "tzb", ["B31", "B21", "B11", "B12"]),
])
def test_org_search_stays_inside_the_scope(conns, org_id, q, expected):
    """Only organizations with seq in :seq .. :seq_last are found."""
    seq, seq_last, _, _ = TREE[org_id]
    assert search(conns[0], q, seq=seq, seq_last=seq_last) == expected


def test_org_search_returns_at_most_limit_rows(conns):
    """:limit cuts the best-first list."""
    assert search(conns[0], "团支部", limit=2) == ["XB", "B31"]
    assert search(conns[0], "团支部", limit=1, seq=SEQ["P"], seq_last=TREE["P"][1]) == ["B31"]


def test_org_search_returns_the_names_and_depth(conns):
    """Full name, short name (the full name when none was given) and depth of each match."""
    got = queries.rows("org_search", conns[0], q="jsjxy2024j2", limit=5, **ALL)
    assert got == [{"seq": 9, "org_id": "B12", "full_name": "计算机学院2024级2班团支部",
                    "short_name": "计算机学院2024级2班团支部", "depth": 3}]


@pytest.mark.parametrize("q, expected", [
    ("计算机学院", ["C", "A", "N"]),  # exact short name, then a name starting with it, then contains
    ("jsj", ["A", "N", "C"]),         # initials prefix first, then by depth
    ("it", ["I"]),                    # Latin letters in a name (IT部), found in lowercase
])
def test_org_search_puts_exact_names_first_then_prefixes(conns, q, expected):
    """An exact full or short name beats a prefix, and a prefix beats a shallower contains."""
    got = search(conns[1], q, seq=1, seq_last=6)
    assert got[:len(expected)] == expected
    if q == "计算机学院":
        assert got == expected
