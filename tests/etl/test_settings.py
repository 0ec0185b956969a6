"""The settings file (etl/settings.py): what it accepts, how it fails, what a load keeps of it."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from etl.settings import Settings, SettingsError, read_settings
from tests.queries.conftest import make_id

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str, name: str = "settings.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_the_defaults():
    """Without --settings: no extra branch positions, no seat quotas."""
    assert read_settings(None) == Settings()


def test_an_empty_file_means_the_defaults(tmp_path):
    path = write(tmp_path, "")
    assert read_settings(path) == Settings(source=path)


def test_the_example_file_at_the_repo_root_reads_as_the_defaults():
    """settings.example.toml ships with every setting at its default."""
    got = read_settings(REPO / "settings.example.toml")
    assert (got.branch_extra_positions, got.seats) == ((), {})


@pytest.mark.parametrize("written, codes", [
    ('["副书记"]', ("deputy",)),
    ('["deputy"]', ("deputy",)),
    ('["副书记", "组织委员", "deputy"]', ("deputy", "organization")),  # duplicates dropped
    ('["委员", "其他"]', ("member", "other")),
    ("[]", ()),
])
def test_branch_positions_are_read_as_labels_or_code_words(tmp_path, written, codes):
    """Chinese labels (副书记) and the internal words (deputy) name the same position."""
    path = write(tmp_path, f"[cadre_scope]\nbranch_extra_positions = {written}\n")
    assert read_settings(path).branch_extra_positions == codes


def test_seat_quotas_are_read_by_organization_id(tmp_path):
    """Quoted ids (the national platform's) and bare numeric ids (Guangdong's) are both keys."""
    path = write(tmp_path, '[seats]\n"r-2YnBmLIMECcGXXcr0BRg==" = 30\n12345 = 0\n')
    assert read_settings(path).seats == {"r-2YnBmLIMECcGXXcr0BRg==": 30, "12345": 0}


@pytest.mark.parametrize("text, key, reason_en", [
    ("[cadre]\nx = 1\n", "[cadre]", "unknown section"),
    ("cadre_scope = 1\n", "cadre_scope", "must be a table"),
    ("[cadre_scope]\nbranch_positions = []\n", "cadre_scope.branch_positions", "unknown key"),
    ("[cadre_scope]\nbranch_extra_positions = \"副书记\"\n", "cadre_scope.branch_extra_positions",
     "must be a list of position names"),
    ("[cadre_scope]\nbranch_extra_positions = [\"班长\"]\n", "cadre_scope.branch_extra_positions",
     "unknown position: 班长"),
    ("[cadre_scope]\nbranch_extra_positions = [\"2\"]\n", "cadre_scope.branch_extra_positions",
     "unknown position: 2"),
    ("[cadre_scope]\nbranch_extra_positions = [\"书记\"]\n", "cadre_scope.branch_extra_positions",
     "always in scope"),
    ("[seats]\nP = -1\n", "seats.P", "whole number >= 0"),
    ("[seats]\nP = 2.5\n", "seats.P", "whole number >= 0"),
    ("[seats]\nP = \"30\"\n", "seats.P", "whole number >= 0"),
    ("[seats]\nP = true\n", "seats.P", "whole number >= 0"),
    ("[seats\n", "-", "not valid TOML"),
    ("[dues_standard]\nfrom = \"2024-01\"\n", "dues_standard", "must be written [[dues_standard]]"),
    ("[[dues_standard]]\nstudent = 0.2\n", "dues_standard[1].from", "missing the month"),
    ("[[dues_standard]]\nfrom = \"2024-13\"\n", "dues_standard[1].from", "must be written"),
    ("[[dues_standard]]\nfrom = 202401\n", "dues_standard[1].from", "must be written"),
    ("[[dues_standard]]\nfrom = \"2024-01\"\nstudents = 0.2\n", "dues_standard[1].students",
     "unknown key"),
    ("[[dues_standard]]\nfrom = \"2024-01\"\nstudent = -0.2\n", "dues_standard[1].student",
     "number of yuan >= 0"),
    ("[[dues_standard]]\nfrom = \"2024-01\"\nstudent = \"0.2\"\n", "dues_standard[1].student",
     "number of yuan >= 0"),
    ("[[dues_standard]]\nfrom = \"2024-01\"\n[[dues_standard]]\nfrom = \"2024年1月\"\n",
     "dues_standard[2].from", "the same month twice"),
])
def test_bad_settings_fail_with_one_bilingual_line_naming_file_and_key(tmp_path, text, key,
                                                                       reason_en):
    """The message names the file and the key, in Chinese and English, on one line."""
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as err:
        read_settings(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"设置文件 {path} 的 {key}：")
    assert f" / settings file {path}, {key}: " in message
    assert reason_en in message


def test_the_dues_standard_defaults_to_domain_section_5():
    """Without [[dues_standard]]: one version, students 0.20 ... over 10,000 a month 20."""
    (only,) = read_settings(None).dues_standard
    assert dict(only.amounts) == {
        "student": D("0.20"), "farmer": D("0.50"), "income_under_2000": D("3"),
        "income_2000_5000": D("5"), "income_5000_8000": D("10"), "income_8000_10000": D("15"),
        "income_over_10000": D("20")}


def test_dues_standard_versions_are_ordered_and_carry_over_what_they_leave_out(tmp_path):
    """Versions in any order; each lists what changed; months as 2024-07 or 2018年9月."""
    path = write(tmp_path, '[[dues_standard]]\nfrom = "2024-07"\nstudent = 0.3\n'
                           '[[dues_standard]]\nfrom = "2018年9月"\nfarmer = 0.2\n')
    first, second = read_settings(path).dues_standard
    assert (first.from_month, second.from_month) == (dt.date(2018, 9, 1), dt.date(2024, 7, 1))
    assert (first.amount("student"), first.amount("farmer")) == (D("0.20"), D("0.20"))
    assert (second.amount("student"), second.amount("farmer")) == (D("0.30"), D("0.20"))
    assert second.amount("income_over_10000") == D("20")


def test_a_missing_settings_file_is_an_error(tmp_path):
    with pytest.raises(SettingsError, match="file not found"):
        read_settings(tmp_path / "nope.toml")


# --- through a whole load ---------------------------------------------------------------------
ORGS = [("组织ID", "上级组织ID", "组织类型", "团组织全称"),
        ("P", "", "领导机关团组织", "共青团某省委员会"),
        ("B1", "P", "团支部", "某团支部")]
CADRES = [("姓名", "身份证号码", "组织ID", "团内现任职务", "是否入驻企业号", "是否本组织运营者"),
          ("甲", make_id("19950101", 1), "B1", "书记", "是", "否"),
          ("乙", make_id("19950101", 2), "B1", "副书记", "是", "否")]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    src = tmp_path / "exports"
    src.mkdir()
    for name, rows in (("orgs.csv", ORGS), ("cadres.csv", CADRES)):
        with open(src / name, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
    return src


def zhtj(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], cwd=REPO,
                          capture_output=True, text=True)


def test_a_bad_settings_file_stops_the_load_and_keeps_the_old_database(source, tmp_path):
    """Exit 2 with one line naming the file and key; the previous database is untouched."""
    db = tmp_path / "zhtj.duckdb"
    assert zhtj("etl", str(source), "--db", str(db), "--quiet").returncode == 0
    before = db.read_bytes()
    bad = write(tmp_path, "[cadre_scope]\nbranch_extra_positions = [\"班长\"]\n")
    run = zhtj("etl", str(source), "--db", str(db), "--quiet", "--settings", str(bad))
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "cadre_scope.branch_extra_positions" in lines[0] and "unknown position: 班长" in lines[0]
    assert db.read_bytes() == before


def test_a_load_keeps_the_effective_settings_and_warns_of_unknown_organizations(source,
                                                                                tmp_path):
    """setting_cadre_scope, seat_quota and setting_warnings are in the published database; a quota
    for an organization not in the load is a warning on stderr, not a failure."""
    db = tmp_path / "zhtj.duckdb"
    path = write(tmp_path, '[cadre_scope]\nbranch_extra_positions = ["副书记"]\n'
                           '[seats]\nB1 = 1\nGONE = 3\n')
    run = zhtj("etl", str(source), "--db", str(db), "--quiet", "--settings", str(path))
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip() == (
        f"警告 / warning: 设置文件 {path} 的 seats.GONE：组织不存在，该席位设置未使用 / "
        f"settings file {path}, seats.GONE: organization not found; the quota is not used")
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select * from setting_cadre_scope").fetchall() == [
            (str(path), ["deputy"], ["副书记"])]
        assert con.execute("select * from seat_quota order by org_id").fetchall() == [
            ("B1", 1), ("GONE", 3)]
        # The setting reached the rules: the deputy is in scope by C6, and B1 is over its quota.
        assert con.execute("select name, is_in_scope, rule_code from cadre_scope order by name"
                           ).fetchall() == [("乙", True, "C6"), ("甲", True, "C1")]
        assert con.execute("select is_over_quota from org_rollup_cadres where org_id = 'B1'"
                           ).fetchall() == [(True,)]
    finally:
        con.close()
