"""Every .sql file under queries/ has a header comment stating its grain, and a test naming it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import queries

TESTS = Path(__file__).resolve().parents[1]
SQL_FILES = sorted(queries.ROOT.rglob("*.sql"))
IDS = [str(p.relative_to(queries.ROOT)) for p in SQL_FILES]


def leading_comment(path: Path) -> list[str]:
    """The file's first lines, as long as they are `--` comments."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("--"):
            break
        lines.append(line)
    return lines


def test_the_query_folders_are_all_found():
    """The walk sees macros.sql and every staging, mart and report query."""
    assert "macros.sql" in IDS
    for group in queries.GROUPS:
        assert any(i.startswith(f"{group}/") for i in IDS), group


@pytest.mark.parametrize("path", SQL_FILES, ids=IDS)
def test_each_sql_file_starts_with_a_header_stating_its_grain(path):
    """The file opens with a `--` comment block; outside macros.sql it contains 'Grain:'."""
    header = leading_comment(path)
    assert header, f"{path.name} has no leading -- header comment"
    if path.name != "macros.sql":
        assert any("Grain:" in line for line in header), f"{path.name}: header states no Grain:"


def _test_texts() -> dict[Path, str]:
    here = Path(__file__).resolve()
    return {p: p.read_text(encoding="utf-8") for p in sorted(TESTS.rglob("test_*.py"))
            if p.resolve() != here}


@pytest.mark.parametrize("path", SQL_FILES, ids=IDS)
def test_each_sql_file_is_named_in_a_test(path):
    """Some test file under tests/ (this one aside) names the query, as a whole word."""
    word = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(path.stem)}(?![A-Za-z0-9_])")
    naming = [p.name for p, text in _test_texts().items() if word.search(text)]
    assert naming, f"no test under tests/ names {path.stem}"
