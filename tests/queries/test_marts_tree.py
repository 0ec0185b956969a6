"""org_tree and org_closure: pre-order numbering, subtree ranges, depth and ancestors."""

from __future__ import annotations

import pytest

from tests.queries import province
from tests.queries.conftest import rows, run_pipeline


@pytest.fixture(scope="module")
def con():
    return run_pipeline({"orgs": province.ORGS})


# A root with two siblings of the same full name, a chain ten levels deep, and an orphan.
EDGE_ORGS = [
    {"org_id": "R", "org_type": "领导机关团组织", "full_name": "共青团某市委员会"},
    {"org_id": "s-b", "parent_org_id": "R", "org_type": "团支部", "full_name": "同名团支部"},
    {"org_id": "s-a", "parent_org_id": "R", "org_type": "团支部", "full_name": "同名团支部"},
    *[{"org_id": f"L{i}", "parent_org_id": "R" if i == 1 else f"L{i - 1}", "org_type": "团委",
       "full_name": f"第{i:02d}层团委"} for i in range(1, 11)],
    {"org_id": "O", "parent_org_id": "nowhere", "org_type": "团支部", "full_name": "孤儿团支部"},
    {"org_id": "O-child", "parent_org_id": "O", "org_type": "团支部", "full_name": "孤儿的下级"},
]


@pytest.fixture(scope="module")
def edge_con():
    return run_pipeline({"orgs": EDGE_ORGS})


def test_org_tree_numbers_the_province_in_pre_order_by_full_name(con):
    """Siblings are ordered by full name (not id), every parent comes before its subtree."""
    got = rows(con, "select org_id from org_tree order by seq")
    assert [r[0] for r in got] == ["X", "XB", "P", "U", "G2", "B21", "G1", "B11", "B12", "W", "B31"]


@pytest.mark.parametrize("org_id", list(province.TREE))
def test_org_tree_places_each_organization(con, org_id):
    """seq, seq_last, depth, ancestors (root first, self last) and root of one organization."""
    got = rows(con, "select seq, seq_last, depth, ancestor_ids, root_org_id from org_tree "
                    "where org_id = ?", [org_id])
    seq, seq_last, depth, ancestors = province.TREE[org_id]
    assert got == [(seq, seq_last, depth, ancestors, ancestors[0])]


@pytest.mark.parametrize("org_id", list(province.TREE))
def test_org_tree_gives_the_tree_positions_of_the_ancestors(con, org_id):
    """ancestor_seqs lists the seq of each ancestor, root first, in step with ancestor_ids."""
    got = rows(con, "select ancestor_seqs from org_tree where org_id = ?", [org_id])
    assert got == [([province.SEQ[a] for a in province.TREE[org_id][3]],)]


@pytest.mark.parametrize("org_id, parent, org_type, is_branch, short_name", [
    ("P", None, 1, False, "共青团示例省委员会"),
    ("U", "P", 2, False, "共青团某大学委员会"),
    ("W", "P", 3, False, "共青团某工业园区工作委员会"),
    ("G1", "U", 4, False, "某大学计算机学院团总支"),
    ("B11", "G1", 5, True, "计算机学院2024级1班团支部"),
])
def test_org_tree_carries_parent_type_and_names(con, org_id, parent, org_type, is_branch,
                                                short_name):
    """Parent, type, is_branch (type 5 only), and the short name defaulting to the full name."""
    got = rows(con, "select parent_org_id, org_type, is_branch, full_name, short_name "
                    "from org_tree where org_id = ?", [org_id])
    assert got == [(parent, org_type, is_branch, province.NAME[org_id], short_name)]


@pytest.mark.parametrize("org_id, subtree", [
    ("X", {"X", "XB"}),
    ("P", {"P", "U", "G1", "G2", "B11", "B12", "B21", "W", "B31"}),
    ("U", {"U", "G1", "G2", "B11", "B12", "B21"}),
    ("G1", {"G1", "B11", "B12"}),
    ("W", {"W", "B31"}),
    ("B12", {"B12"}),
])
def test_org_tree_subtree_is_the_range_seq_to_seq_last(con, org_id, subtree):
    """The organizations numbered seq .. seq_last are exactly the organization's subtree."""
    got = rows(con, "select d.org_id from org_tree o join org_tree d "
                    "on d.seq between o.seq and o.seq_last where o.org_id = ?", [org_id])
    assert {r[0] for r in got} == subtree


def test_org_tree_orders_same_named_siblings_by_id_and_numbers_deep_chains(edge_con):
    """Equal full names fall back to org_id; a ten-level chain gets depths 1..10 and one range."""
    got = rows(edge_con, "select seq, seq_last, org_id, depth from org_tree order by seq")
    assert got == [
        (1, 13, "R", 0),
        (2, 2, "s-a", 1),
        (3, 3, "s-b", 1),
        *[(3 + i, 13, f"L{i}", i) for i in range(1, 11)],
    ]


def test_org_tree_leaves_out_organizations_that_cannot_be_placed(edge_con):
    """An organization whose parent is missing, and everything under it, is not in the tree."""
    assert rows(edge_con, "select org_id from org_tree where org_id in ('O', 'O-child')") == []


def test_org_tree_gives_deep_organizations_their_whole_ancestry(edge_con):
    """The tenth level lists all its ancestors, root first."""
    got = rows(edge_con, "select ancestor_ids from org_tree where org_id = 'L10'")
    assert got == [(["R", *[f"L{i}" for i in range(1, 11)]],)]


@pytest.mark.parametrize("org_id, ancestors", [
    ("X", [("X", 0)]),
    ("XB", [("X", 1), ("XB", 0)]),
    ("P", [("P", 0)]),
    ("U", [("P", 1), ("U", 0)]),
    ("B21", [("P", 3), ("U", 2), ("G2", 1), ("B21", 0)]),
    ("B11", [("P", 3), ("U", 2), ("G1", 1), ("B11", 0)]),
    ("B31", [("P", 2), ("W", 1), ("B31", 0)]),
])
def test_org_closure_pairs_each_organization_with_its_ancestors(con, org_id, ancestors):
    """Every ancestor at its distance, the organization itself at distance 0."""
    got = rows(con, "select ancestor_org_id, distance from org_closure where org_id = ? "
                    "order by distance desc", [org_id])
    assert got == ancestors


@pytest.mark.parametrize("ancestor, descendants", [
    ("G1", [("B11", 1), ("B12", 1), ("G1", 0)]),
    ("W", [("B31", 1), ("W", 0)]),
    ("U", [("B11", 2), ("B12", 2), ("B21", 2), ("G1", 1), ("G2", 1), ("U", 0)]),
])
def test_org_closure_lists_each_subtree(con, ancestor, descendants):
    """From the ancestor's side: its whole subtree with distances."""
    got = rows(con, "select org_id, distance from org_closure where ancestor_org_id = ? "
                    "order by org_id", [ancestor])
    assert got == descendants


@pytest.mark.parametrize("org_id", list(province.TREE))
def test_org_closure_carries_tree_positions_of_both_ends(con, org_id):
    """ancestor_seq and seq are the org_tree positions of ancestor_org_id and org_id."""
    got = rows(con, "select ancestor_org_id, ancestor_seq, seq from org_closure where org_id = ? "
                    "order by distance desc", [org_id])
    assert got == [(a, province.SEQ[a], province.SEQ[org_id]) for a in province.TREE[org_id][3]]


def test_org_closure_has_one_row_per_pair(con):
    """No pair is repeated: one row per (ancestor, organization), depth + 1 per organization."""
    got = rows(con, "select count(*), count(distinct (ancestor_org_id, org_id)) from org_closure")
    assert got == [(29, 29)]


def test_org_closure_reaches_ten_levels_up(edge_con):
    """The deepest organization of the chain has the root at distance 10."""
    got = rows(edge_con, "select ancestor_org_id, distance from org_closure "
                         "where org_id = 'L10' and distance >= 9 order by distance")
    assert got == [("L1", 9), ("R", 10)]
