"""The hand-written province loaded three times (tests/followups/history.py)."""

from __future__ import annotations

import pytest

from tests.followups import history


@pytest.fixture(scope="session")
def three_loads(tmp_path_factory):
    return history.build(tmp_path_factory.mktemp("three_loads"))
