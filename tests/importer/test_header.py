"""The header's 导入数据 link (and the badge of a running load) is there for an admin of the whole
tree, or for any admin while nothing is loaded; for no one else."""

from __future__ import annotations

import pytest

from accounts.store import Account
from dashboard.context import Context
from dashboard.shell import account_area
from dashboard.view import View


def ids(component) -> set[str]:
    found = {getattr(component, "id", None)}
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found |= ids(child)
    return found


@pytest.mark.parametrize("role,whole_tree,problem,shown", [
    ("admin", True, None, True),
    ("admin", False, None, False),      # the admin of a college
    ("operator", True, None, False),
    ("viewer", True, None, False),
    ("admin", False, "no_data", True),  # nothing loaded yet: any admin
    ("viewer", False, "no_data", False),
])
def test_the_import_link_is_for_admins_of_the_root(role, whole_tree, problem, shown):
    ctx = Context(View(), account=Account(name="a", org_id="X", role=role), problem=problem,
                  home=None if problem else {"seq": 1, "seq_last": 9, "org_id": "X",
                                             "whole_tree": whole_tree})
    found = ids(account_area(ctx, "zh"))
    assert ("import-link" in found) is shown and ("import-indicator" in found) is shown
