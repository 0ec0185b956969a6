"""Alert rules as data: what each watches, its thresholds (overridable in the settings file's
`[notify.rules.<code>]`), its plain explanation, and the page that shows its items.

A rule's findings each have a key and a level: a finding is sent once while it stays at its
level, and again when its level rises (it got worse: another week waiting, a closer deadline) or
when it reopens after being fixed (notify/alerted.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from notify.errors import ConfigError


@dataclass(frozen=True)
class Rule:
    code: str
    name_zh: str
    name_en: str
    explain_zh: str  # {threshold} names are filled with the thresholds in force
    explain_en: str
    page: str  # where the items are shown: a path of the dashboard
    defaults: dict = field(default_factory=dict)

    def thresholds(self, overrides: dict | None = None) -> dict:
        values = dict(self.defaults)
        for key, value in (overrides or {}).items():
            if key not in values:
                raise ConfigError(f"规则 {self.code} 没有阈值 {key} / rule {self.code} has no "
                                  f"threshold {key!r} (known: {', '.join(values) or 'none'})")
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"规则 {self.code} 的阈值 {key} 应为非负数 / rule {self.code}: "
                                  f"{key} must be a number ≥ 0, not {value!r}")
            values[key] = value
        return values

    def explain(self, lang: str, overrides: dict | None = None) -> str:
        values = self.thresholds(overrides)
        text = self.explain_zh if lang == "zh" else self.explain_en
        return text.format(**{k: _shown(k, v) for k, v in values.items()})

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


def _shown(key: str, value) -> str:
    return f"{value:.0%}" if key.endswith(("_below", "_share")) else f"{value:g}"


RULES = (
    Rule("registration_deadline", "截止临近、报到完成率偏低的团支部",
         "Branches behind with the deadline near",
         "报到任务截止前 {days_left} 天内（或已过截止日期），审核通过人数仍低于名单 "
         "{completion_below} 的团支部。截止日越近越会再次提醒。",
         "Branches of a registration campaign whose deadline is {days_left} days away or fewer "
         "(or past) with fewer than {completion_below} of their roster approved. Sent again as "
         "the deadline comes closer.",
         "/registration", {"days_left": 7, "completion_below": 0.9}),
    Rule("registration_projection", "按目前进度将错过截止日期的下级组织",
         "Organizations projected to miss the deadline",
         "按近 7 天的审核通过速度推算，到截止日期仍无法完成报到的下级组织。",
         "Organizations below whose approvals of the last 7 days, continued, would not complete "
         "their roster by the deadline.",
         "/registration"),
    Rule("review_overdue", "超过 48 小时未审核的报到", "Registrations waiting over 48 hours",
         "团员提交报到超过 48 小时仍未审核（平台的及时响应要求）。每多等一周再次提醒。",
         "Registrations submitted more than 48 hours ago and not yet reviewed (the platform's "
         "timely-response rule). Sent again for every further week of waiting.",
         "/registration"),
    Rule("stuck_transfer", "在某一环节等待超过 7 天的组织关系转接",
         "Transfers waiting over 7 days at a step",
         "组织关系转接在当前审核环节等待超过 7 天，提醒需要审核的组织。每多等一周再次提醒。",
         "Transfers whose current review step has waited more than 7 days; the organization "
         "that must act is named. Sent again for every further week of waiting.",
         "/transfers"),
    Rule("cadre_out_of_scope", "新增的超范围团干部录入", "New cadre records outside the scope",
         "不符合团干部录入范围的团干部信息（每条只提醒一次，删除后再出现会再次提醒）。",
         "Cadre records outside the entry-scope rule (each once; again if it comes back after "
         "being removed).",
         "/cadres"),
    Rule("cadre_not_onboarded", "长期未入驻企业号的团干部", "In-scope cadres not onboarded",
         "应录入范围内、已超过 {days} 天仍未入驻企业号的团干部。",
         "In-scope cadres who have not joined the mobile app for more than {days} days.",
         "/cadres", {"days": 14}),
    Rule("arrears_6plus", "连续 6 个月及以上未交团费的团员", "Members 6 or more months in arrears",
         "最新团费月份连续 6 个月及以上未交团费的团员（可按规定认定为自行脱团，线上交费将被停止）。",
         "Members unpaid for 6 or more months in a row in the latest dues month (grounds for "
         "lapsing; online payment stops).",
         "/dues"),
    Rule("arrears_coming", "即将连续 6 个月未交团费的团员", "Members about to reach 6 months unpaid",
         "最新团费月份已连续 4 至 5 个月未交团费的团员。第 5 个月再次提醒。",
         "Members unpaid for 4 or 5 months in a row in the latest dues month. Sent again at 5.",
         "/dues"),
    Rule("no_recent_load", "数据长时间未更新", "No load for a while",
         "最近一次导入的数据已超过 {days} 天。",
         "The latest load's data is more than {days} days old.",
         "/quality", {"days": 8}),
    Rule("load_quality", "导入数据质量问题", "A load with many rejected rows",
         "最近一次导入有文件未能读取，或隔离的行超过读取行数的 {quarantined_share}。",
         "The latest load skipped files, or quarantined more than {quarantined_share} of the "
         "rows read.",
         "/quality", {"quarantined_share": 0.05}),
)
BY_CODE = {r.code: r for r in RULES}


def rule(code: str) -> Rule:
    try:
        return BY_CODE[code]
    except KeyError:
        raise ConfigError(f"没有这条提醒规则 / no alert rule named {code!r} (known: "
                          f"{', '.join(BY_CODE)})") from None


def overrides_from_settings(settings: dict) -> dict[str, dict]:
    """`[notify.rules.<code>]` tables of the settings file, checked against the rules."""
    table = (settings.get("notify") or {}).get("rules") or {}
    if not isinstance(table, dict):
        raise ConfigError("[notify.rules] 应为表 / [notify.rules] must be a table")
    checked = {}
    for code, values in table.items():
        if not isinstance(values, dict):
            raise ConfigError(f"[notify.rules.{code}] 应为表 / must be a table")
        rule(code).thresholds(values)  # raises on an unknown key or a bad value
        checked[code] = dict(values)
    return checked
