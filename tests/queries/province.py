"""A small hand-written province shared by the mart and report tests: its tree and its facts.

Tree (pre-order, siblings by 团组织全称, which is not the order of their ids):

     seq  id   type  full name
      1   X    1     共青团另一省委员会            (a second root: 另 sorts before 示)
      2   XB   5       另一省某团支部
      3   P    1     共青团示例省委员会
      4   U    2       共青团某大学委员会
      5   G2   4         某大学数学学院团总支      (数 sorts before 计)
      6   B21  5           数学学院2024级1班团支部
      7   G1   4         某大学计算机学院团总支
      8   B11  5           计算机学院2024级1班团支部
      9   B12  5           计算机学院2024级2班团支部
     10   W    3       共青团某工业园区工作委员会
     11   B31  5         某公司团支部
"""

from __future__ import annotations

from tests.queries.conftest import make_id

ORGS = [
    {"org_id": "P", "org_type": "领导机关团组织", "full_name": "共青团示例省委员会"},
    {"org_id": "U", "parent_org_id": "P", "org_type": "团委", "full_name": "共青团某大学委员会"},
    {"org_id": "G1", "parent_org_id": "U", "org_type": "团总支", "full_name": "某大学计算机学院团总支"},
    {"org_id": "B11", "parent_org_id": "G1", "org_type": "团支部", "full_name": "计算机学院2024级1班团支部"},
    {"org_id": "B12", "parent_org_id": "G1", "org_type": "团支部", "full_name": "计算机学院2024级2班团支部"},
    {"org_id": "G2", "parent_org_id": "U", "org_type": "团总支", "full_name": "某大学数学学院团总支"},
    {"org_id": "B21", "parent_org_id": "G2", "org_type": "团支部", "full_name": "数学学院2024级1班团支部"},
    {"org_id": "W", "parent_org_id": "P", "org_type": "团工委", "full_name": "共青团某工业园区工作委员会"},
    {"org_id": "B31", "parent_org_id": "W", "org_type": "团支部", "full_name": "某公司团支部"},
    {"org_id": "X", "org_type": "领导机关团组织", "full_name": "共青团另一省委员会"},
    {"org_id": "XB", "parent_org_id": "X", "org_type": "团支部", "full_name": "另一省某团支部"},
]

NAME = {o["org_id"]: o["full_name"] for o in ORGS}

# org_id -> (seq, seq_last, depth, ancestor_ids) as org_tree must number them.
TREE = {
    "X": (1, 2, 0, ["X"]),
    "XB": (2, 2, 1, ["X", "XB"]),
    "P": (3, 11, 0, ["P"]),
    "U": (4, 9, 1, ["P", "U"]),
    "G2": (5, 6, 2, ["P", "U", "G2"]),
    "B21": (6, 6, 3, ["P", "U", "G2", "B21"]),
    "G1": (7, 9, 2, ["P", "U", "G1"]),
    "B11": (8, 8, 3, ["P", "U", "G1", "B11"]),
    "B12": (9, 9, 3, ["P", "U", "G1", "B12"]),
    "W": (10, 11, 1, ["P", "W"]),
    "B31": (11, 11, 2, ["P", "W", "B31"]),
}
SEQ = {org: t[0] for org, t in TREE.items()}

# Members: key -> ID number. The key doubles as the name.
M = {f"m{i}": make_id("20060101", i) for i in range(1, 11)}
STRANGER = make_id("20070101", 1)  # on a roster, but no member row

MEMBERS = [
    {"name": "m1", "id_number": M["m1"], "branch": NAME["B11"], "registration_status": "审核通过"},
    {"name": "m2", "id_number": M["m2"], "branch": NAME["B11"], "registration_status": "报到待审核"},
    {"name": "m3", "id_number": M["m3"], "branch": NAME["B11"], "registration_status": "修改资料待审核"},
    {"name": "m4", "id_number": M["m4"], "branch": NAME["B11"], "registration_status": "审核通过",
     "membership_status": "自行脱团"},
    {"name": "m5", "id_number": M["m5"], "branch": NAME["B11"], "registration_status": "报到被退回"},
    {"name": "m6", "id_number": M["m6"], "branch": NAME["B12"], "registration_status": "修改资料被退回"},
    {"name": "m7", "id_number": M["m7"], "branch": NAME["B12"], "registration_status": "报到被撤回"},
    {"name": "m8", "id_number": M["m8"], "branch": NAME["B21"], "registration_status": "报到待审核",
     "membership_status": "禁用"},
    {"name": "m9", "id_number": M["m9"], "branch": NAME["B31"], "registration_status": "审核通过"},
    {"name": "m10", "id_number": M["m10"], "branch": NAME["XB"], "registration_status": "3"},
    # Quarantined: the check character is wrong.
    {"name": "坏号", "id_number": M["m1"][:-1] + ("0" if M["m1"][-1] != "0" else "1"),
     "branch": NAME["B11"], "registration_status": "审核通过"},
]

C = {f"c{i}": make_id("19950101", i) for i in range(1, 9)}

CADRES = [
    {"name": "c1", "id_number": C["c1"], "org_id": "P", "position": "书记", "wecom_status": "是"},
    {"name": "c2", "id_number": C["c2"], "org_id": "P", "position": "其他", "wecom_status": "否"},
    {"name": "c3", "id_number": C["c3"], "org_id": "U", "position": "副书记", "wecom_status": "否"},
    {"name": "c4", "id_number": C["c4"], "org_id": "G1", "position": "工作人员", "wecom_status": "是"},
    {"name": "c5", "id_number": C["c5"], "org_id": "B11", "position": "书记", "wecom_status": "是"},
    {"name": "c6", "id_number": C["c6"], "org_id": "B11", "position": "组织委员", "wecom_status": "否",
     "is_operator": "是"},
    {"name": "c7", "id_number": C["c7"], "org_id": "B21", "position": "宣传委员", "wecom_status": "否",
     "is_operator": "是"},
    {"name": "c8", "id_number": C["c8"], "org_id": "XB", "position": "其他", "wecom_status": "是"},
]

T = {f"t{i}": make_id("20040101", i) for i in range(1, 9)}


def _transfer(key: str, from_org: str, to_org: str, status: str, **more) -> dict:
    return {"name": key, "id_number": T[key], "created_at": "2024-09-01 10:00:00",
            "from_org": from_org, "to_org": to_org, "status": status, **more}


TRANSFERS = [
    _transfer("t1", "B11", "B12", "转入团支部待审核"),             # inside G1
    _transfer("t2", "B11", NAME["B21"], "转出团支部待审核"),       # G1 -> G2, inside U
    _transfer("t3", "B12", "B31", "接转成功"),                     # U -> W, inside P
    _transfer("t4", "B21", "外省某团支部", "转出团支部上级待审核", destination_kind="转出省外"),
    _transfer("t5", "XB", "B11", "转入团支部上级待审核"),          # from the other root
    _transfer("t6", "B31", "B11", "转入团支部退回"),
    _transfer("t7", "B11", "B12", "已撤回"),
    _transfer("t8", "B11", "某县团委", "转出团支部退回", destination_kind="退回原籍"),
]


def _dues(member: str, month: str, branch: str, amount: str, paid: bool, **more) -> dict:
    return {"month": month, "name": member, "id_number": M[member], "branch": NAME[branch],
            "amount_due": amount, "paid_status": "已交" if paid else "未交", **more}


DUES = [
    # m1: unpaid every month from March to September (a run of 7).
    *[_dues("m1", f"2024-{mm:02d}", "B11", "0.20", False) for mm in range(3, 10)],
    # m2: pays in June, which ends the run.
    *[_dues("m2", f"2024-{mm:02d}", "B11", "0.20", mm == 6) for mm in range(3, 10)],
    # m6: no bill line in May, which ends the run.
    *[_dues("m6", f"2024-{mm:02d}", "B12", "3.00", False) for mm in (3, 4, 6, 7, 8, 9)],
    # m9: billed in B21 until June, then in B31 (a member who moved branch).
    *[_dues("m9", f"2024-{mm:02d}", "B21" if mm <= 6 else "B31", "5.00", False)
      for mm in range(4, 10)],
    _dues("m7", "2024-08", "B12", "3.00", True),
    _dues("m7", "2024-09", "B12", "3.00", True),
    _dues("m3", "2024-09", "B11", "0", True, voluntary_amount="2.00"),  # nothing due
    _dues("m5", "2024-09", "B11", "0.00", False),                       # nothing due, unpaid
    _dues("m10", "2024-09", "XB", "0.20", True, voluntary_amount="1.00"),
    # Quarantined: no member has this ID number.
    {"month": "2024-09", "name": "陌生人", "id_number": STRANGER, "branch": NAME["B11"],
     "amount_due": "0.20", "paid_status": "未交"},
]

CAMPAIGNS = [  # campaign_id is numbered by (deadline, name): 1 to 5 top to bottom
    {"campaign": "2023级新生报到", "deadline": "2023-10-31", "org_id": "U"},
    {"campaign": "2024级新生报到", "deadline": "2024-10-31", "org_id": "U"},
    {"campaign": "2024级转专业报到", "deadline": "2024/10/31", "org_id": "G2"},
    {"campaign": "计算机学院补报到", "deadline": "2024-12-31", "org_id": "G1"},
    {"campaign": "全省团员报到2025", "deadline": "2025-03-31", "org_id": "X"},
]
CAMPAIGN_ID = {c["campaign"]: i for i, c in enumerate(CAMPAIGNS, 1)}


def _roster(campaign: str, person: str, branch: str) -> dict:
    id_number = STRANGER if person == "stranger" else M[person]
    return {"campaign": campaign, "name": person, "id_number": id_number, "branch": NAME[branch]}


ROSTER = [
    _roster("2024级新生报到", "m1", "B11"),        # approved
    _roster("2024级新生报到", "m2", "B11"),        # pending
    _roster("2024级新生报到", "m4", "B11"),        # approved but no longer active
    _roster("2024级新生报到", "stranger", "B12"),  # not a member
    _roster("2024级新生报到", "m6", "B12"),        # approved (edit returned)
    _roster("2024级新生报到", "m8", "B21"),        # pending but disabled
    _roster("2024级新生报到", "m9", "B21"),        # approved; a member of B31, counted at B21
    _roster("2023级新生报到", "m3", "B11"),        # approved (edit pending)
    _roster("计算机学院补报到", "m5", "B11"),      # returned: neither
    _roster("计算机学院补报到", "m2", "B11"),      # pending
    _roster("全省团员报到2025", "m10", "XB"),      # approved
]

DATA = {"orgs": ORGS, "members": MEMBERS, "cadres": CADRES, "transfers": TRANSFERS,
        "dues": DUES, "campaigns": CAMPAIGNS, "roster": ROSTER}

QUARANTINED_ROWS = 2  # the member with a bad check character, the dues line of no member


def build_db(path, data: dict, *, as_of, previous=None) -> None:
    """A database file as a load publishes it: staging, marts, carried history, load record."""
    import duckdb

    from etl.history import carry_history, record_load
    from etl.load import build, prepare
    from tests.queries.conftest import create_raw

    con = duckdb.connect(str(path))
    try:
        prepare(con)
        create_raw(con, data)
        build(con, as_of=as_of)
        carry_history(con, previous)
        record_load(con, as_of=as_of, source="test", seconds=0)
    finally:
        con.close()
