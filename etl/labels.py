"""The one place where the platform's Chinese headers and labels map to our columns and codes.

Where real exports differ from these tables, change them here and nothing else.
"""

from __future__ import annotations

import re

# Each kind: canonical column -> header names seen in exports (the first is what the platform
# writes, and what the demo generator writes). Column order here is the raw table's order.
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "orgs": {
        "org_id": ("组织ID", "组织编号"),
        "parent_org_id": ("上级组织ID", "上级组织编号"),
        "org_type": ("组织类型",),
        "full_name": ("团组织全称", "组织全称"),
        "short_name": ("团组织简称", "组织简称"),
        "industry": ("行业类别", "单位所属行业类别"),
        "is_graduating": ("是否毕业班",),
    },
    "members": {
        "name": ("姓名",),
        "id_number": ("身份证号码", "身份证号", "证件号码"),
        "branch": ("所在团支部",),
        "branch_org_id": ("所在团支部ID",),
        "registration_status": ("报到资料状态",),
        "registered_at": ("申请报到时间",),
        "reviewed_at": ("资料审核时间",),
        "mobile": ("手机号码", "手机号"),
        "id_type": ("证件类型",),
        "political_status": ("政治面貌",),
        "education": ("全日制学历", "最高学历"),
        "occupation": ("职业",),
        "income_band": ("收入",),
        "joined_month": ("入团年月", "入团时间"),
        "member_number": ("团员编号",),
        "membership_status": ("团籍状态",),
    },
    "cadres": {
        "name": ("姓名",),
        "id_number": ("身份证号码", "身份证号", "证件号码"),
        "org": ("所在组织",),
        "org_id": ("组织ID",),
        "position": ("团内现任职务",),
        "wecom_status": ("是否入驻企业号",),
        "is_operator": ("是否本组织运营者",),
        "cadre_kind": ("团干部性质",),
        "in_post_since": ("任现职年月",),
        "mobile": ("手机号码", "手机号"),
    },
    "transfers": {
        "name": ("姓名",),
        "id_number": ("身份证号码", "身份证号", "证件号码"),
        "created_at": ("申请时间", "申请日期"),
        "from_org": ("转出团组织", "转出团支部"),
        "to_org": ("转入团组织", "转入团支部"),
        "status": ("处理状态",),
        "completed_at": ("完成时间",),
        "destination_kind": ("转往",),
        "cause": ("原因", "转接原因"),
        "from_branch_reviewed_at": ("转出团支部审核时间",),
        "from_superior_reviewed_at": ("转出团支部上级审核时间",),
        "to_branch_reviewed_at": ("转入团支部审核时间",),
        "to_superior_reviewed_at": ("转入团支部上级审核时间",),
    },
    "dues": {
        "month": ("月份", "账单月份"),
        "name": ("团员姓名",),
        "branch": ("所在团支部",),
        "amount_due": ("当月应交金额（元）", "当月应交金额"),
        "paid_status": ("当月交纳状态",),
        "mobile": ("手机号码", "手机号"),
        "id_number": ("身份证号码", "身份证号"),
        "current_branch": ("团员当前所属支部",),
        "voluntary_amount": ("自愿交费金额（元）", "自愿交费金额"),
        "unpaid_total": ("累计未交团费总数",),
        "political_status": ("政治面貌",),
    },
    "campaigns": {
        "campaign": ("任务名称",),
        "deadline": ("截止日期",),
        "org_id": ("组织ID",),
    },
    "roster": {
        "campaign": ("任务名称",),
        "name": ("姓名",),
        "id_number": ("身份证号码", "身份证号"),
        "branch": ("所在团支部",),
    },
}

# Required columns per kind: each entry is a group, any one column of which suffices.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "orgs": (("org_id",), ("parent_org_id",), ("org_type",), ("full_name",)),
    "members": (("name",), ("id_number",), ("branch", "branch_org_id"), ("registration_status",)),
    "cadres": (("name",), ("id_number",), ("org", "org_id"), ("position",), ("wecom_status",)),
    "transfers": (
        ("name",), ("id_number",), ("created_at",), ("from_org",), ("to_org",), ("status",),
    ),
    # 月份 may instead come from a title row such as "2024年09月团费交纳明细".
    "dues": (("name",), ("branch",), ("amount_due",), ("paid_status",)),
    "campaigns": (("campaign",), ("deadline",), ("org_id",)),
    "roster": (("campaign",), ("name",), ("id_number",), ("branch",)),
}

KIND_LABELS = {
    "orgs": ("组织", "organizations"),
    "members": ("团员", "members"),
    "cadres": ("团干部", "cadres"),
    "transfers": ("组织关系转接", "transfers"),
    "dues": ("团费明细", "dues detail"),
    "campaigns": ("报到任务", "registration campaigns"),
    "roster": ("报到名单", "registration roster"),
}

# Coded columns: key -> {label or code as written in a file: our code}. Codes written as digits
# are accepted too. Keys are referenced by the staging SQL through the label_codes table.
CODES: dict[str, dict[str, str]] = {
    "org_type": {
        "领导机关团组织": "1", "领导机关": "1",
        "团委": "2", "03TW": "2",
        "团工委": "3", "04TGW": "3",
        "团总支": "4", "02TZZ": "4",
        "团支部": "5", "01TZB": "5", "06BYBTZB": "5",
        "毕业班团支部": "5", "流动团员团支部": "5", "临时团支部": "5", "学社衔接临时团支部": "5",
    },
    "registration_status": {
        "报到被撤回": "0", "报到待审核": "1", "报到被退回": "2", "审核通过": "3",
        "修改资料待审核": "4", "修改资料被退回": "5",
    },
    "membership_status": {
        "正常": "0", "禁用": "1", "满28周岁离团": "2", "满28周岁离团待审核": "3",
        "自行脱团": "4", "自行脱团待审核": "5", "自愿退团": "6", "自愿退团待审核": "7",
        "开除团籍": "8", "开除团籍待审核": "9",
    },
    "id_type": {"普通居民身份证": "1", "居民身份证": "1", "境外身份证": "2"},
    "political_status": {"共青团员": "1", "团员": "1", "中共党员": "2", "中共预备党员": "3"},
    "occupation": {
        "国有企业职工": "1", "非公企业职工": "2", "机关事业单位职工": "3", "社会组织员工": "4",
        "农民": "5", "学生": "6", "自由职业者": "7",
        "高校教职工": "8", "中职教职工": "9", "普通高中教职工": "10", "初中教职工": "11",
        "小学教职工": "12", "其他学校教职工": "13", "其他": "14",
    },
    "income_band": {
        "2000元以下": "1", "<2000元": "1",
        "2000-5000元": "2", "2000—5000元": "2",
        "5000-8000元": "3", "5000—8000元": "3",
        "8000-10000元": "4", "8000—10000元": "4",
        "10000元以上": "5", ">10000元": "5",
    },
    # 团内现任职务 codes are numbered differently for leading bodies and for other organizations;
    # labels are the same everywhere. Our codes are words.
    "position_leading": {
        "书记": "secretary", "副书记": "deputy", "常委": "standing", "委员": "member",
        "工作人员": "staff", "候补委员": "alternate",
        "1": "secretary", "2": "deputy", "3": "standing", "4": "member", "5": "staff",
        "6": "alternate",
    },
    "position_other": {
        "书记": "secretary", "副书记": "deputy", "组织委员": "organization",
        "宣传委员": "publicity", "文体委员": "culture", "生产委员": "production",
        "权益委员": "rights", "志愿委员": "volunteer", "其他": "other",
        "1": "secretary", "2": "deputy", "3": "organization", "4": "publicity", "5": "culture",
        "6": "production", "7": "rights", "8": "volunteer", "9": "other",
    },
    "wecom_status": {"是": "1", "已禁用": "2", "否": "4", "已入驻": "1", "未入驻": "4"},
    "yes_no": {"是": "1", "否": "0", "1": "1", "2": "0", "0": "0"},
    "cadre_kind": {"专职": "1", "兼职": "2", "挂职": "3"},
    "transfer_status": {
        "已撤回": "0", "转出团支部待审核": "1", "转出团支部上级待审核": "2",
        "转入团支部待审核": "3", "转入团支部上级待审核": "4", "接转成功": "5",
        "转出团支部退回": "6", "转出团支部上级退回": "7", "转入团支部退回": "8",
        "转入团支部上级退回": "9",
    },
    "destination_kind": {"省内": "1", "转出省外": "2", "省外": "2", "退回原籍": "3"},
    "cause": {"就业或工作调动": "1", "升学或转学": "2", "其他": "3"},
    "paid_status": {"已交": "1", "未交": "0", "已交纳": "1", "未交纳": "0"},
}

# Valid numeric codes of each coded column (a file may carry codes instead of labels).
NUMERIC_CODES: dict[str, range | tuple[int, ...]] = {
    "org_type": range(1, 6),
    "registration_status": range(0, 6),
    "membership_status": range(0, 10),
    "id_type": range(1, 3),
    "political_status": range(1, 4),
    "occupation": range(1, 15),
    "income_band": range(1, 6),
    "wecom_status": (1, 2, 4),
    "cadre_kind": range(1, 4),
    "transfer_status": range(0, 10),
    "destination_kind": range(1, 4),
    "cause": range(1, 4),
    "paid_status": range(0, 2),
}

# The label the platform writes for each code (first label listed above), for exports.
def label_for(key: str, code: str) -> str:
    for label, c in CODES[key].items():
        if c == code and not label.isdigit():
            return label
    return code


_HEADER_NOISE = re.compile(r"[\s*＊:：]")


def normalize_header(text: object) -> str:
    """Header cell as compared: no spaces, no required-field stars, half-width parentheses."""
    s = "" if text is None else str(text)
    s = _HEADER_NOISE.sub("", s)
    return s.replace("(", "（").replace(")", "）")


def header_index(kind: str) -> dict[str, str]:
    """Normalized header -> canonical column for one kind."""
    return {normalize_header(h): col for col, names in HEADERS[kind].items() for h in names}


def label_code_rows() -> list[tuple[str, str, str]]:
    """(key, label, code) rows for the label_codes table the staging SQL joins on."""
    rows = [(key, label, code) for key, table in CODES.items() for label, code in table.items()]
    have = {(k, lbl) for k, lbl, _ in rows}
    for key, codes in NUMERIC_CODES.items():
        for c in codes:
            if (key, str(c)) not in have:
                rows.append((key, str(c), str(c)))
    return rows
