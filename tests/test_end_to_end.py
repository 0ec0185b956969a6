"""End to end: a generated province loaded by `zhtj etl` answers as the pandas approach does."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bench.pandas_reference import Reference, compute_all

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
MEMBERS, SEED = 3_000, 7
AS_OF = "2024-10-08T12:00:00"


def zhtj(*args: str) -> str:
    """Run the zhtj command as a user would; its stdout."""
    script = Path(sys.executable).parent / "zhtj"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "etl.cli"]
    done = subprocess.run([*cmd, *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, f"zhtj {' '.join(args)} exited {done.returncode}:\n{done.stderr}"
    return done.stdout


@dataclass
class Province:
    files: Path
    db: Path
    reference: Reference
    orgs: dict[str, str]  # role -> org_id


def members_per_org(ref: Reference) -> pd.Series:
    """Loaded members in each organization's subtree, by organization id."""
    per_branch = ref.members["branch_id"].value_counts()
    return pd.Series({o: int(per_branch.reindex(list(ref.subtree(o))).fillna(0).sum())
                      for o in ref.orgs["org_id"]})


def pick_orgs(ref: Reference) -> dict[str, str]:
    """One organization per role, the most populous of its kind, so every figure has data."""
    orgs = ref.orgs.set_index("org_id")
    size = members_per_org(ref)

    def biggest(mask: pd.Series) -> str:
        ids = orgs.index[mask.to_numpy()]
        assert len(ids), "the generated province lacks an organization of this kind"
        return size.reindex(ids).sort_values(ascending=False, kind="stable").index[0]

    root = biggest(orgs["parent_org_id"].isna())
    city = biggest(orgs["parent_org_id"].eq(root) & orgs["org_type"].eq("1"))
    university = biggest(orgs["org_type"].eq("2") & (
        orgs["industry"].eq("普通高等院校") | orgs["full_name"].str.contains("大学")))
    college = biggest(orgs["parent_org_id"].eq(university) & orgs["org_type"].ne("5"))
    branch = biggest(orgs.index.isin(list(ref.subtree(college))) & orgs["org_type"].eq("5"))
    enterprise = biggest(orgs["org_type"].eq("3") & (
        orgs["industry"].fillna("").str.contains("企业") | orgs["full_name"].str.contains("企业")))
    return {"root": root, "city": city, "university": university, "college": college,
            "branch": branch, "enterprise": enterprise}


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Province:
    # Under pytest-xdist the workers share one run directory: build the province once for all.
    shared = os.environ.get("PYTEST_XDIST_WORKER") is not None
    base = tmp_path_factory.getbasetemp().parent if shared else tmp_path_factory.mktemp("e2e")
    files, db = base / "province" / "files", base / "province" / "zhtj.duckdb"
    with open(base / "province.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not db.exists():
            zhtj("generate", "--members", str(MEMBERS), "--seed", str(SEED), "--out", str(files))
            zhtj("etl", str(files), "--db", str(db), "--allow-skipped", "--quiet", "--as-of", AS_OF)
    reference = compute_all(files)
    return Province(files, db, reference, pick_orgs(reference))


def flat(data: dict | None, prefix: str = "") -> dict[str, object]:
    """Nested figures as {"cadres.in_scope": 3, ...}; a null section stays one key."""
    if data is None:
        return {prefix.rstrip("."): None}
    out = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def differences(label: str, ours: dict, reference: dict) -> list[str]:
    a, b = flat({k: v for k, v in ours.items() if k != "as_of"}), flat(reference)
    b.pop("as_of", None)
    out = []
    for key in sorted(set(a) | set(b)):
        x, y = a.get(key, "<absent>"), b.get(key, "<absent>")
        same = (abs(x - y) < 1e-9 if isinstance(x, float) and isinstance(y, float) else x == y)
        if not same or type(x) is not type(y) and not {type(x), type(y)} <= {int, float}:
            out.append(f"{label} {key}: zhtj={x!r} reference={y!r}")
    return out


def metrics_json(db: Path, org: str, *options: str) -> dict:
    return json.loads(zhtj("metrics", "--db", str(db), "--org", org, *options, "--json"))


def test_metrics_equal_the_pandas_reference_for_every_kind_of_organization(province):
    """`zhtj metrics --json` matches the reference field by field (as_of excepted)."""
    ref = province.reference
    problems = []
    for role, org in province.orgs.items():
        problems += differences(f"{role} ({org})", metrics_json(province.db, org), ref.metrics(org))
    assert not problems, "\n".join(problems)


def test_metrics_equal_the_reference_for_an_earlier_month_and_another_campaign(province):
    """--month and --campaign choose the same figures in both."""
    ref, root = province.reference, province.orgs["root"]
    months = sorted(ref.dues["month"].unique())
    campaigns = sorted(ref.campaigns["campaign"])
    assert len(months) >= 7 and campaigns, "the province needs dues history and campaigns"
    problems = differences(f"root --month {months[-2]}",
                           metrics_json(province.db, root, "--month", months[-2]),
                           ref.metrics(root, month=months[-2]))
    university = province.orgs["university"]
    for name in campaigns[:3]:
        problems += differences(f"university --campaign {name}",
                                metrics_json(province.db, university, "--campaign", name),
                                ref.metrics(university, campaign=name))
    assert not problems, "\n".join(problems)


def load_log(db: Path) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select file_id, kind, coalesce(rows_read, 0) as rows_read, rows_loaded, "
            "rows_quarantined, rows_merged from load_log").df()


def test_every_file_reconciles_and_the_totals_match_the_reference(province):
    """Per file, read = loaded + quarantined + merged; per kind, the totals are the reference's."""
    log = load_log(province.db)
    unbalanced = log[log.rows_read != log.rows_loaded + log.rows_quarantined + log.rows_merged]
    assert unbalanced.empty, unbalanced.to_string()

    fates = province.reference.dispositions
    expected = pd.DataFrame({
        "rows_read": fates.groupby("kind").size(),
        "rows_loaded": fates[fates.disposition == "loaded"].groupby("kind").size(),
        "rows_quarantined": fates[fates.disposition.isin(["invalid", "duplicate"])]
        .groupby("kind").size(),
        "rows_merged": fates[fates.disposition == "merged"].groupby("kind").size(),
    }).fillna(0).astype(int)
    actual = log.dropna(subset=["kind"]).groupby("kind")[list(expected.columns)].sum()
    actual = actual.reindex(expected.index.union(actual.index)).fillna(0).astype(int)
    expected = expected.reindex(actual.index).fillna(0).astype(int)
    assert actual.equals(expected), f"load_log:\n{actual}\nreference:\n{expected}"


def test_loading_the_same_files_again_gives_identical_metrics(province, tmp_path):
    """A second load of the same input (same --as-of) over the first answers exactly as it."""
    from etl.metrics import compute, connect

    def answers(db: Path) -> dict:
        with connect(db) as conn:
            return {org: compute(conn, org) for org in province.orgs.values()}

    # A copy, so that the other tests (maybe in another worker) keep reading the first load.
    again = tmp_path / "again.duckdb"
    shutil.copyfile(province.db, again)
    zhtj("etl", str(province.files), "--db", str(again), "--allow-skipped", "--quiet",
         "--as-of", AS_OF)
    assert answers(again) == answers(province.db)
