"""bench.spill: a load under a small memory limit, in a scratch folder thrown away after, and
its line in the benchmark's report."""

from __future__ import annotations

import pytest

from bench import spill
from etl.generate import generate


def test_a_load_under_a_memory_limit_is_timed_and_leaves_nothing_behind(tmp_path):
    files, scratch = tmp_path / "files", tmp_path / "scratch"
    scratch.mkdir()
    generate(files, members=600, seed=3, layout="bulk", max_rows=500)
    got = spill.measure(files, "300MB", scratch=scratch)
    assert got.limit == "300MB" and got.seconds > 0 and got.peak_rss > 0
    assert list(scratch.iterdir()) == []
    text = spill.render(got, got.seconds / 2, 10**9, "600 members")
    assert "under a 300MB memory limit" in text
    assert "2.00× the full load's time" in text


def test_a_limit_the_load_cannot_read_is_reported_with_the_commands_message(tmp_path):
    generate(tmp_path / "files", members=100, seed=3)
    with pytest.raises(RuntimeError, match="--memory-limit lots"):
        spill.measure(tmp_path / "files", "lots")
