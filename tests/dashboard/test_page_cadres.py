"""The cadres page's callbacks on the hand-written province."""

from __future__ import annotations

import csv
import io

import pytest

from dashboard.grids import download, rows_response
from dashboard.pages import cadres
from etl.metrics import compute, connect
from tests.dashboard.conftest import find, render_all, revealed, text


@pytest.mark.parametrize("org", ["P", "U", "B11"])
def test_cadre_cards_match_zhtj_metrics(store, province_db, org):
    with connect(province_db) as conn:
        m = compute(conn, org)["cadres"]
    page = render_all(store, "/cadres", f"?org={org}")
    assert text(find(page, "cad-in-scope-value")) == str(m["in_scope"])
    assert text(find(page, "cad-out-of-scope-value")) == str(m["out_of_scope"])
    assert text(find(page, "cad-no-cadre-value")) == str(m["branches_without_cadre"])
    rate = m["onboarding_rate"]
    assert text(find(page, "cad-onboarding-value")) == ("—" if rate is None else f"{rate:.1%}")


def test_each_detection_is_explained_with_its_rule(store):
    with revealed():
        got = rows_response(cadres.detections_spec(), store, "/cadres", "?org=U",
                            {"startRow": 0, "endRow": 100})
    by_name = {r["name"]: r for r in got["rowData"]}
    # c6, 组织委员 of B11, whose secretary c5 is onboarded: C4
    assert by_name["c6"]["rule_code"] == "C4"
    assert by_name["c6"]["explanation"] == "团支部仅需录入团支部书记：本支部书记已入驻，组织委员不应录入"
    # c4, 工作人员 of the 团总支 G1: B2
    assert by_name["c4"]["rule_code"] == "B2"
    assert got["rowCount"] == len(got["rowData"]) == 2


def test_detections_mask_names_unless_revealed(store):
    got = rows_response(cadres.detections_spec(), store, "/cadres", "?org=B11",
                        {"startRow": 0, "endRow": 10})
    assert [r["name"] for r in got["rowData"]] == ["c*"]


def test_rules_table_lists_every_active_rule(store):
    page = render_all(store, "/cadres", "?org=P&lang=en")
    rules = text(find(page, "cadres-rules-table"))
    for code in ("A1", "A2", "B1", "B2", "C1", "C2", "C3", "C4", "C5"):
        assert code in rules
    assert "C6" not in rules  # only with a settings file that allows more in branches


def test_followup_list_downloads_what_each_operator_must_fix(store):
    sent = download(cadres.followup_spec(), store, "/cadres", "?org=U", None, "csv")
    rows = list(csv.DictReader(io.StringIO(sent["content"].lstrip("\ufeff"))))
    assert sent["filename"].startswith("团干部整改清单_共青团某大学委员会_")
    actions = {(r["组织"], r["需要处理"]) for r in rows}
    assert any(org == "计算机学院2024级1班团支部" for org, _ in actions)
    assert all("*" in r["身份证号码"] or r["身份证号码"] == "" for r in rows)
