"""Hand-written rows for the data-quality marts and reports: each member sits on one boundary.

Tree (pre-order, siblings by 团组织全称):

     seq  id   type  full name
      1   P    1     共青团测试省委员会
      2   U    2       共青团某大学委员会          (大 sorts before 工)
      3   GA   4         A学院团总支
      4   A1   5           A学院1班团支部
      5   A2   5           A学院2班团支部
      6   GB   4         B学院团总支
      7   B1   5           B学院1班团支部
      8   W    3       共青团某工业园区工作委员会
      9   W1   5         某公司团支部

The as-of time is 2024-10-08 12:00: a member born 1996-10-08 turns 28 that day.
"""

from __future__ import annotations

import datetime as dt

from tests.queries.conftest import make_id

AS_OF = dt.datetime(2024, 10, 8, 12, 0, 0)

ORGS = [
    {"org_id": "P", "org_type": "领导机关团组织", "full_name": "共青团测试省委员会"},
    {"org_id": "U", "parent_org_id": "P", "org_type": "团委", "full_name": "共青团某大学委员会"},
    {"org_id": "GA", "parent_org_id": "U", "org_type": "团总支", "full_name": "A学院团总支",
     "short_name": "A院"},
    {"org_id": "A1", "parent_org_id": "GA", "org_type": "团支部", "full_name": "A学院1班团支部"},
    {"org_id": "A2", "parent_org_id": "GA", "org_type": "团支部", "full_name": "A学院2班团支部"},
    {"org_id": "GB", "parent_org_id": "U", "org_type": "团总支", "full_name": "B学院团总支"},
    {"org_id": "B1", "parent_org_id": "GB", "org_type": "团支部", "full_name": "B学院1班团支部"},
    {"org_id": "W", "parent_org_id": "P", "org_type": "团工委",
     "full_name": "共青团某工业园区工作委员会"},
    {"org_id": "W1", "parent_org_id": "W", "org_type": "团支部", "full_name": "某公司团支部"},
]
NAME = {o["org_id"]: o["full_name"] for o in ORGS}
# org_id -> (seq, seq_last)
TREE = {"P": (1, 9), "U": (2, 7), "GA": (3, 5), "A1": (4, 4), "A2": (5, 5), "GB": (6, 7),
        "B1": (7, 7), "W": (8, 9), "W1": (9, 9)}

# key -> birth date (YYYYMMDD) of the ID number; the key doubles as the member's name.
BIRTH = {
    "turns28today": "19961008",   # 28 on the as-of date: over_28
    "turns28tomorrow": "19961009",  # still 27
    "cadre30": "19940101",        # 30 but a cadre: may stay
    "lapsed30": "19940101",       # 30, already 满28周岁离团: not active, not checked
    "leap28": "19960229",         # turned 28 on 2024-02-29: over_28
    "join14": "20100331",         # 14 on the last day of 2024-03, the joining month
    "join13": "20100401",         # a day short: under_14_at_joining
    "joinmonth": "20100302",      # 14 within the joining month: may have joined after it
    "n2016": "20020101",          # joined 2016-12 without a number: not required
    "n2017": "20020101",          # joined 2017-01 without a number: member_number_missing
    "nswap17": "20020101",        # joined 2017, number 2018…: allowed swap
    "nswap18": "20030101",        # joined 2018, number 2017…: allowed swap
    "nyear": "20040101",          # joined 2019, number 2018…: member_number_year
    "nok": "20050101",            # joined 2020, number 2020…
    "nnojoin": "20050101",        # no joining month: no number check
    "n2016wrong": "20010101",     # joined 2016 with a 2019… number: not checked before 2017
    "two": "19950101",            # 29, joined 2017-03, no number: over_28 and number missing
    "dup": "20060101",            # kept in B1, active duplicate in A2: active_in_two_branches
    "dupsame": "20060101",        # duplicate in the same branch A1: not flagged
    "duplapsed": "20060101",      # duplicate in A1 lapsed: not flagged
    "dupkeptlapsed": "20060101",  # kept row lapsed (A2), active duplicate in B1: not checked
    "plain": "20060101",          # nothing wrong
}
ID = {k: make_id(b, i) for i, (k, b) in enumerate(BIRTH.items(), 1)}
OVERSEAS = "H12345678"
CADRE_ID = make_id("19950101", 900)


def member(key: str, branch: str, **more) -> dict:
    row = {"name": key, "id_number": ID.get(key), "branch": NAME[branch],
           "registration_status": "审核通过", "mobile": "1380000" + f"{len(key):04d}"}
    row.update(more)
    return row


MEMBERS = [
    member("turns28today", "A1"),
    member("turns28tomorrow", "A1"),
    member("cadre30", "A2"),
    member("lapsed30", "A2", membership_status="满28周岁离团"),
    member("leap28", "W1"),
    member("join14", "A1", joined_month="2024-03", member_number="202400000001"),
    member("join13", "A2", joined_month="2024年3月", member_number="202400000002"),
    member("joinmonth", "B1", joined_month="202403", member_number="202400000003"),
    member("n2016", "B1", joined_month="2016-12"),
    member("n2017", "B1", joined_month="2017-01"),
    member("nswap17", "B1", joined_month="2017-05", member_number="201812345678"),
    member("nswap18", "B1", joined_month="2018-05", member_number="201712345678"),
    member("nyear", "A2", joined_month="2019-03", member_number="201812345678"),
    member("nok", "A2", joined_month="2020-06", member_number="202012345678"),
    member("nnojoin", "A2"),
    member("n2016wrong", "A2", joined_month="2016-05", member_number="201912345678"),
    member("two", "W1", joined_month="2017-03"),
    member("plain", "W1"),
    {"name": "overseas", "id_type": "境外身份证", "id_number": OVERSEAS, "branch": NAME["W1"],
     "registration_status": "审核通过", "joined_month": "2019-01",
     "member_number": "201900000009"},
    # Two branches' files list "dup": the later reviewed row (B1) is kept.
    member("dup", "B1", reviewed_at="2024-09-05", file_id=2, row_no=30),
    member("dup", "A2", reviewed_at="2024-09-01", file_id=12, row_no=2),
    # The same branch twice, with another mobile: a duplicate, but one branch.
    member("dupsame", "A1", reviewed_at="2024-09-05", file_id=2, row_no=31),
    member("dupsame", "A1", reviewed_at="2024-09-01", mobile="13900000000", file_id=12,
           row_no=3),
    # The other branch's row says 自行脱团: not active there.
    member("duplapsed", "W1", reviewed_at="2024-09-05", file_id=2, row_no=32),
    member("duplapsed", "A1", reviewed_at="2024-09-01", membership_status="自行脱团",
           file_id=12, row_no=4),
    # The kept row is lapsed: the member is not active, so not checked.
    member("dupkeptlapsed", "A2", reviewed_at="2024-09-05", membership_status="自行脱团",
           file_id=2, row_no=33),
    member("dupkeptlapsed", "B1", reviewed_at="2024-09-01", file_id=12, row_no=5),
    # An identical second row is merged, not quarantined.
    member("plain", "W1", file_id=12, row_no=6),
    # Quarantined rows of their own: a bad check character, two unknown 政治面貌 labels.
    {"name": "bad", "id_number": ID["plain"][:17] + ("0" if ID["plain"][17] != "0" else "1"),
     "branch": NAME["A1"], "registration_status": "审核通过", "file_id": 12, "row_no": 7},
    member("plain", "A1", id_number=make_id("20060101", 801), political_status="群众",
           file_id=12, row_no=8),
    member("plain", "A1", id_number=make_id("20060101", 802), political_status="学生",
           file_id=12, row_no=9),
]

CADRES = [
    {"name": "cadre30", "id_number": ID["cadre30"], "org_id": "A2", "position": "书记",
     "wecom_status": "是"},
    {"name": "nobody", "id_number": CADRE_ID, "org_id": "NOPE", "position": "书记",
     "wecom_status": "是"},  # quarantined: no such organization
]

DATA = {"orgs": ORGS, "members": MEMBERS, "cadres": CADRES}

# member_checks in order: (name, branch, check_code, detail)
CHECKS = [
    ("turns28today", "A1", "over_28", "1996-10-08 (28)"),
    ("nyear", "A2", "member_number_year", "2019-03: 201812345678"),
    ("join13", "A2", "under_14_at_joining", "2010-04-01 → 2024-03 (13)"),
    ("n2017", "B1", "member_number_missing", "2017-01"),
    ("dup", "B1", "active_in_two_branches", "A学院2班团支部"),
    ("two", "W1", "over_28", "1995-01-01 (29)"),
    ("two", "W1", "member_number_missing", "2017-03"),
    ("leap28", "W1", "over_28", "1996-02-29 (28)"),
]

# org_rollup_quality: org_id -> (members_checked, over_28, under_14_at_joining, id_birth_mismatch,
# member_number_missing, member_number_year, active_in_two_branches, dues_standard_mismatch,
# flags_total, members_flagged); no member here has a category the dues standard knows, so no
# bill is compared with it (tests/queries/test_dues.py covers that check).
ROLLUP = {
    "P": (21, 3, 1, 0, 2, 1, 1, 0, 8, 7),
    "U": (16, 1, 1, 0, 1, 1, 1, 0, 5, 5),
    "GA": (10, 1, 1, 0, 0, 1, 0, 0, 3, 3),
    "A1": (4, 1, 0, 0, 0, 0, 0, 0, 1, 1),
    "A2": (6, 0, 1, 0, 0, 1, 0, 0, 2, 2),
    "GB": (6, 0, 0, 0, 1, 0, 1, 0, 2, 2),
    "B1": (6, 0, 0, 0, 1, 0, 1, 0, 2, 2),
    "W": (5, 2, 0, 0, 1, 0, 0, 0, 3, 2),
    "W1": (5, 2, 0, 0, 1, 0, 0, 0, 3, 2),
}
