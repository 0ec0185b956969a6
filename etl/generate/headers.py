"""The Chinese header rows written for each kind (first names in etl.labels.HEADERS)."""

from __future__ import annotations

# fmt: off
ORG_HEADER = (
    "组织ID", "上级组织ID", "组织类型", "团组织全称", "团组织简称", "行业类别", "是否毕业班",
)
MEMBER_HEADER = (
    "姓名", "手机号码", "证件类型", "身份证号码", "政治面貌", "全日制学历", "职业", "收入",
    "入团年月", "申请报到时间", "资料审核时间", "报到资料状态", "所在团支部", "团员编号", "团籍状态",
)
CADRE_HEADER = (
    "姓名", "身份证号码", "所在组织", "团内现任职务", "是否入驻企业号",
    "是否本组织运营者", "团干部性质", "任现职年月", "手机号码",
)
TRANSFER_HEADER = (
    "姓名", "身份证号码", "申请时间", "转出团组织", "转入团组织",
    "处理状态", "完成时间", "转往", "原因", "转出团支部审核时间",
    "转出团支部上级审核时间", "转入团支部审核时间", "转入团支部上级审核时间",
)
CAMPAIGN_HEADER = ("任务名称", "截止日期", "组织ID")
ROSTER_HEADER = ("任务名称", "姓名", "身份证号码", "所在团支部")
DUES_HEADER = (
    "月份", "团员姓名", "政治面貌", "手机号码", "身份证号码",
    "所在团支部", "团员当前所属支部", "当月应交金额（元）", "自愿交费金额（元）", "当月交纳状态",
    "累计未交团费总数",
)
# Bulk dues rows are lean: the optional columns are left out where 身份证号码 is present.
DUES_LEAN = (
    "月份", "团员姓名", "所在团支部", "当月应交金额（元）",
    "当月交纳状态", "身份证号码", "自愿交费金额（元）",
)
# fmt: on
