"""The data-quality page's callbacks on the hand-written province."""

from __future__ import annotations

import csv
import io

from dashboard.grids import download, rows_response
from dashboard.pages import quality
from tests.dashboard.conftest import find, render_all, text
from tests.queries import province


def test_quarantine_reconciles_and_every_row_is_listed(store):
    page = render_all(store, "/quality", "?org=P")
    assert "已核对" in text(find(page, "quality-reconcile"))
    got = rows_response(quality.quarantine_spec(), store, "/quality", "?org=P",
                        {"startRow": 0, "endRow": 100})
    assert got["rowCount"] == province.QUARANTINED_ROWS == len(got["rowData"])
    id_values = [r["value"] for r in got["rowData"] if r["column_name"] == "身份证号码"]
    assert id_values and all("*" in v for v in id_values)  # ID numbers never in full


def test_quarantine_download_in_english(store):
    sent = download(quality.quarantine_spec(), store, "/quality", "?org=P&lang=en", None,
                    "csv")
    rows = list(csv.DictReader(io.StringIO(sent["content"].lstrip("\ufeff"))))
    assert len(rows) == province.QUARANTINED_ROWS
    assert set(rows[0]) == {"File", "Row", "Kind", "Column", "Value", "Reason"}


def test_member_checks_cards_and_children(store):
    page = render_all(store, "/quality", "?org=P")
    for check in quality.CHECKS:
        assert find(page, f"q-{check.replace('_', '-')}-value") is not None
    assert find(page, "quality-children-table") is not None
    assert "导入记录" in text(page) and find(page, "quality-loads-table") is not None


def test_member_list_masks_personal_data(store):
    got = rows_response(quality.members_spec(), store, "/quality", "?org=P",
                        {"startRow": 0, "endRow": 100})
    for row in got["rowData"]:
        assert row["id_number"] == "" or "*" in row["id_number"]
