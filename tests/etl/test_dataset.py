"""Demo data is marked: the generator's marker file makes the load record `dataset.is_demo`; hand-
written exports are not a demo; the marker is never read as an export."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from etl import dataset
from etl.extract import source_files
from etl.generate import generate
from etl.load import LoadSettings, load
from tests.etl.test_load import ORGS, members_rows, write_csv

AS_OF = dt.datetime(2024, 10, 8, 12, 0, 0)


def published(db: Path) -> tuple[bool, list[str]]:
    """(is_demo, the paths of the files read or skipped) of a published database."""
    with duckdb.connect(str(db), read_only=True) as con:
        demo = dataset.is_demo(con)
        paths = [r[0] for r in con.execute("select path from files").fetchall()]
    return demo, paths


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    generate(out, members=300, seed=3)
    return out


def test_generated_exports_load_as_demo_data_and_the_marker_is_no_input_file(generated, tmp_path):
    """The generator leaves its marker; the load records a demo, and neither reads the marker
    nor counts it as a skipped file."""
    assert (generated / dataset.MARKER).is_file()
    assert dataset.MARKER not in [p.name for p in source_files(generated)]
    result = load(LoadSettings(source=generated, db=tmp_path / "zhtj.duckdb", quiet=True,
                               as_of=AS_OF))
    demo, paths = published(tmp_path / "zhtj.duckdb")
    assert demo is True
    assert not [p for p in paths if dataset.MARKER in p]  # neither read nor skipped
    assert not [p for p, _, _ in result.skipped if dataset.MARKER in p]
    assert result.files == len(paths) == len(list(generated.rglob("*.*"))) - 1


def test_the_marker_counts_in_a_subfolder_as_a_zip_unpacks_it(generated, tmp_path):
    """A folder holding the generated folder (as a zip's top folder does) is still a demo."""
    shutil.copytree(generated, tmp_path / "upload" / "省级导出")
    assert dataset.source_is_demo(tmp_path / "upload")


def hand_written(folder: Path) -> Path:
    write_csv(folder / "orgs.csv", ORGS)
    write_csv(folder / "b1.csv", members_rows(4, "某大学计算机学院2024级1班团支部"))
    return folder


def test_hand_written_exports_are_not_demo_data(tmp_path):
    """Exports without the marker load as real data."""
    load(LoadSettings(source=hand_written(tmp_path / "exports"), db=tmp_path / "zhtj.duckdb",
                      quiet=True, as_of=AS_OF))
    assert published(tmp_path / "zhtj.duckdb")[0] is False


def test_the_next_load_without_the_marker_is_real_data_again(tmp_path):
    """The flag is the latest load's: real exports loaded over a demo database are not a demo."""
    source = hand_written(tmp_path / "exports")
    dataset.write_marker(source)
    db = tmp_path / "zhtj.duckdb"
    load(LoadSettings(source=source, db=db, quiet=True, as_of=AS_OF))
    assert published(db)[0] is True
    (source / dataset.MARKER).unlink()
    load(LoadSettings(source=source, db=db, quiet=True, as_of=AS_OF + dt.timedelta(days=7)))
    assert published(db)[0] is False


def test_a_database_loaded_before_the_table_existed_is_not_a_demo(tmp_path):
    """No `dataset` table: not a demo, and no error (the query dataset_kind is not run blind)."""
    with duckdb.connect(str(tmp_path / "old.duckdb")) as con:
        con.execute("create table loads (load_id integer)")
        assert dataset.is_demo(con) is False
        dataset.record(con, demo=True)
        assert dataset.is_demo(con) is True
