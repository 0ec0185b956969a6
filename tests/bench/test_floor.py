"""bench.floor: the engine's own read time of a folder, counting what DuckDB's plain CSV reader
takes as it is and naming what it refuses."""

from __future__ import annotations

from bench import floor


def test_the_floor_reads_utf8_csv_files_and_names_the_ones_it_cannot(tmp_path):
    (tmp_path / "团员").mkdir()
    (tmp_path / "团员" / "members_0001.csv").write_text(
        "姓名,身份证号码\n张三,440102199611290002\n李四,440102199611290010\n王五,x\n",
        encoding="utf-8")
    (tmp_path / "团费.csv").write_bytes("姓名,金额\n".encode("gbk") + "张三,0.5\n".encode("gbk"))
    (tmp_path / "组织.xlsx").write_bytes(b"PK\x03\x04 not read: only CSV files count")
    got = floor.measure(tmp_path)
    assert (got.files, got.rows) == (1, 3)
    assert got.not_read == ["团费.csv"]
    assert got.bytes == (tmp_path / "团员" / "members_0001.csv").stat().st_size
    assert got.seconds > 0
