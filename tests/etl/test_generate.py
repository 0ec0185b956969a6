"""The demo-province generator: determinism, headers, valid IDs, sizes, statuses, dues, dirt."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from stdnum.cn import ric

from etl import labels
from etl.dataset import MARKER
from etl.generate import generate

MEMBERS = 2000
FIRST = {kind: {names[0] for names in cols.values()} for kind, cols in labels.HEADERS.items()}
CODED = {"报到资料状态": "registration_status", "政治面貌": "political_status",
         "职业": "occupation", "收入": "income_band", "团籍状态": "membership_status",
         "证件类型": "id_type", "组织类型": "org_type", "是否入驻企业号": "wecom_status",
         "团干部性质": "cadre_kind", "处理状态": "transfer_status", "转往": "destination_kind",
         "原因": "cause", "当月交纳状态": "paid_status"}


def read_rows(path: Path) -> list[list]:
    if path.suffix == ".xlsx":
        return [
            list(r) for r in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        ]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gbk")
    return list(csv.reader(io.StringIO(text)))


def read_table(path: Path) -> tuple[list[str], list[str], list[dict]]:
    """(title cells, header, rows as dicts); the header is the first row with 3+ cells."""
    rows = read_rows(path)
    top = next(i for i, r in enumerate(rows) if sum(c not in ("", None) for c in r) >= 3)
    header = [str(h) for h in rows[top]]
    titles = [str(c) for r in rows[:top] for c in r if c not in ("", None)]
    return titles, header, [dict(zip(header, r)) for r in rows[top + 1 :]]


def kind_of(header: list[str]) -> str:
    """The kind whose header names cover the file's header best."""
    return max(FIRST, key=lambda k: len(set(header) & FIRST[k]) - len(set(header) - FIRST[k]))


def parse_time(v) -> datetime.datetime | None:
    if v in ("", None):
        return None
    if isinstance(v, datetime.datetime):
        return v
    if isinstance(v, datetime.date):
        return datetime.datetime.combine(v, datetime.time())
    if isinstance(v, float):
        return datetime.datetime(1899, 12, 30) + datetime.timedelta(days=v)
    m = re.fullmatch(
        r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?(?: (\d{2}):(\d{2})(?::(\d{2}))?)?", v
    )
    if not m:
        raise ValueError(v)
    return datetime.datetime(*(int(x) for x in m.groups(default="0")))


def month_key(v) -> str:
    """2024-09, 2024.09, 2024年9月, 202409 or a title → '202409'."""
    y, m = re.match(r"(\d{4})[-./年]?(\d{1,2})", str(v)).groups()
    return f"{y}{int(m):02d}"


def load(folder: Path) -> dict[str, list[tuple[Path, list[str], list[str], list[dict]]]]:
    out: dict[str, list] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != MARKER:
            titles, header, rows = read_table(path)
            out.setdefault(kind_of(header), []).append((path, titles, header, rows))
    return out


@pytest.fixture(scope="module")
def branch(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("branch")
    return out, generate(out, members=MEMBERS, seed=7)


@pytest.fixture(scope="module")
def files(branch):
    return load(branch[0])


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_arguments_give_byte_identical_files(branch, tmp_path):
    """Two runs with the same arguments write the same files, byte for byte."""
    summary = generate(tmp_path, members=MEMBERS, seed=7)
    assert digest(tmp_path) == digest(branch[0])
    assert summary["rows"] == branch[1]["rows"]
    assert summary["files"] == branch[1]["files"] == len(digest(tmp_path)) - 1  # the marker


def test_the_files_are_marked_as_demo_data_and_name_no_real_place(branch, files):
    """Beside the exports lies the demo marker (it says 演示数据); the province is 示例省, and no
    organization is named after a real province, city or university."""
    marker = branch[0] / MARKER
    assert "演示数据" in marker.read_text(encoding="utf-8")
    names = [r["团组织全称"] for _, _, _, rows in files["orgs"] for r in rows]
    assert "共青团示例省委员会" in names
    real = ("广东", "广州", "深圳", "中山大学", "华南", "暨南", "东莞", "佛山", "汕头", "珠海")
    assert not [n for n in names if any(word in n for word in real)]
    outside = {r["转入团组织"] for _, _, _, rows in files["transfers"] for r in rows}
    assert not [n for n in outside if any(w in n for w in ("北京", "上海", "四川", "湖南"))]


def test_every_file_has_the_platform_headers_of_its_kind(files):
    """Each header is a first header name of its kind, and the required columns are there."""
    assert set(files) == set(labels.HEADERS)
    for kind, entries in files.items():
        index = labels.header_index(kind)
        for path, titles, header, _ in entries:
            assert set(header) <= FIRST[kind], path
            cols = {index[labels.normalize_header(h)] for h in header}
            for group in labels.REQUIRED[kind]:
                assert cols & set(group), (path, group)
            if kind == "dues" and "month" not in cols:
                assert re.fullmatch(r"\d{4}年\d{2}月团费交纳明细", titles[0]), path


def test_id_numbers_are_valid_except_the_deliberate_ones(branch, files):
    """Every ID number passes stdnum's check, except the members spoiled on purpose."""
    bad = Counter()
    for kind in ("members", "cadres", "transfers", "roster"):
        for _, _, _, rows in files[kind]:
            bad[kind] += sum(not ric.is_valid(str(r["身份证号码"])) for r in rows)
    assert bad["members"] == branch[1]["dirty_rows"]["bad_id_check"] > 0
    assert bad["cadres"] == bad["transfers"] == bad["roster"] == 0


def test_branches_hold_3_to_30_members_except_a_few_hollow_ones(branch, files):
    """Keeping each person's latest-reviewed row, branches have 3-30 members; a few are hollow."""
    branches = {
        r["团组织全称"]
        for _, _, _, rows in files["orgs"]
        for r in rows
        if r["组织类型"] == "团支部"
    }
    latest: dict[str, tuple] = {}
    for _, _, _, rows in files["members"]:
        for r in rows:
            if not ric.is_valid(str(r["身份证号码"])) or r["所在团支部"] not in branches:
                continue
            try:
                key = (parse_time(r["资料审核时间"]) or datetime.datetime.min, r["所在团支部"])
            except ValueError:
                continue
            latest[r["身份证号码"]] = max(latest.get(r["身份证号码"], key), key)
    size = Counter(b for _, b in latest.values())
    counts = [size.get(b, 0) for b in branches]
    assert max(counts) <= 30
    hollow = sum(c < 3 for c in counts)
    assert 0 < hollow <= 0.04 * len(branches)
    assert sum(counts) == MEMBERS - branch[1]["dirty_rows"]["bad_id_check"]


def test_coded_values_are_platform_labels_except_the_deliberate_ones(branch, files):
    """Coded columns hold labels of etl.labels (or nothing); the unknown ones are reported."""
    unknown = 0
    for entries in files.values():
        for _, _, header, rows in entries:
            for h in set(header) & set(CODED):
                table = labels.CODES[CODED[h]]
                unknown += sum(r[h] not in ("", None) and r[h] not in table for r in rows)
    assert unknown == branch[1]["dirty_rows"]["unknown_label"] > 0


def test_transfers_show_every_status_with_consistent_step_times(files):
    """All ten statuses occur; a review time exists exactly for the reviews reached."""
    rows = [r for _, _, _, rs in files["transfers"] for r in rs]
    status = {r["处理状态"] for r in rows}
    assert status == set(labels.CODES["transfer_status"])
    steps = ("转出团支部审核时间", "转出团支部上级审核时间", "转入团支部审核时间",
             "转入团支部上级审核时间")
    for r in rows:
        code = int(labels.CODES["transfer_status"][r["处理状态"]])
        have = [r[s] not in ("", None) for s in steps]
        if 1 <= code <= 4:
            assert have == [i < code - 1 for i in range(4)]
        if code >= 6:
            assert have == [i <= code - 6 for i in range(4)]
        if code == 5:
            assert r["完成时间"] not in ("", None) and have[:2] == [True, True]


def test_dues_cover_twelve_months_ending_before_as_of(files):
    """Dues files cover 2023-10 to 2024-09, one bill line per member and month."""
    months = set()
    for _, titles, header, rows in files["dues"]:
        if "月份" in header:
            months |= {month_key(r["月份"]) for r in rows}
        else:
            months.add(month_key(titles[0]))
    assert sorted(months) == [
        f"{y}{m:02d}"
        for y, m in [(2023, 10), (2023, 11), (2023, 12)] + [(2024, m) for m in range(1, 10)]
    ]


def test_dirty_rows_are_about_one_percent_and_reported_by_reason(branch, files):
    """Deliberately bad rows are 0.5-2% of all rows and every reason occurs."""
    summary = branch[1]
    dirty, rows = summary["dirty_rows"], summary["rows"]
    assert all(n > 0 for n in dirty.values()), dirty
    assert 0.005 <= sum(dirty.values()) / sum(rows.values()) <= 0.02
    written = {k: sum(len(e[3]) for e in entries) for k, entries in files.items()}
    assert written == rows


def test_bulk_layout_splits_files_at_the_row_limit(tmp_path):
    """Bulk CSV files hold at most max_rows rows; the members are split over several files."""
    summary = generate(tmp_path, members=MEMBERS, seed=7, layout="bulk", max_rows=500)
    found = load(tmp_path)
    for kind, entries in found.items():
        for path, titles, header, rows in entries:
            assert path.suffix == ".csv" and not titles and len(rows) <= 500
            assert set(header) <= FIRST[kind]
    assert len(found["members"]) >= MEMBERS // 500
    assert {k: sum(len(e[3]) for e in v) for k, v in found.items()} == summary["rows"]
    assert summary["files"] == sum(len(v) for v in found.values())


def test_dues_files_vary_as_real_exports_do(files):
    """Some dues files lack 身份证号码 or 月份, and members who moved are billed at the old branch."""
    headers = [set(h) for _, _, h, _ in files["dues"]]
    assert any("身份证号码" not in h for h in headers) and any("身份证号码" in h for h in headers)
    assert any("月份" not in h for h in headers) and any("月份" in h for h in headers)
    moved = sum(r["所在团支部"] != r["团员当前所属支部"] for _, _, _, rows in files["dues"]
                for r in rows)
    assert moved > 0


def test_freshmen_campaigns_run_to_a_deadline_23_days_after_as_of(files):
    """Each university's 2024 campaign ends 2024-10-31; its roster names freshman branches."""
    campaigns = [r for _, _, _, rows in files["campaigns"] for r in rows]
    current = [c for c in campaigns if c["任务名称"].endswith("2024级新生团员报到")]
    assert current and all(str(c["截止日期"])[:10] == "2024-10-31" for c in current)
    roster = [r for _, _, _, rows in files["roster"] for r in rows]
    assert all("2024级" in r["所在团支部"] for r in roster if "2024级" in r["任务名称"])
