"""The parts of a help entry that come from the loaded database, not from the help files: the
entry-scope rules and the dues standard as the load applied them (a province's own settings
included), the seat quotas set, and the campaign in force for the organization in view. Plain
data ({"lines": [...], "columns": [...], "rows": [[...]]}), in Chinese or English."""

from __future__ import annotations

import datetime as dt

import queries

_YES = {"zh": "在录入范围内", "en": "in scope"}
_NO = {"zh": "不在录入范围", "en": "out of scope"}


def _pick(lang: str, zh, en):
    return en if lang == "en" else zh


def _month(d, lang: str) -> str:
    return f"{d.year}年{d.month}月" if lang != "en" else d.strftime("%b %Y")


def _day(d, lang: str) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if lang != "en" else d.strftime("%-d %b %Y")


def cadre_rules(cur, lang: str) -> dict:
    """Every rule the load applied, in the order they are tried, with its positions."""
    rules = [r for r in queries.rows("cadre_rule_list", cur) if r["is_active"]]
    settings = queries.rows("cadre_settings", cur)
    lines = [_pick(lang, "本次导入所用的团干部录入范围规则（按顺序判断，第一条符合的规则决定）：",
                   "The entry-scope rules this load applied (tried in order; the first that "
                   "matches decides):")]
    extra = settings[0]["branch_extra_labels"] if settings else None
    if extra:
        names = "、".join(extra) if lang != "en" else ", ".join(extra)
        lines.append(_pick(lang, f"本省设置：团支部除书记外还录入 {names}（规则 C6）。",
                           f"This province's setting: a branch also enters its {names} "
                           "(rule C6)."))
    else:
        lines.append(_pick(lang, "本省没有设置团支部额外录入的职务（规则 C6 不适用）。",
                           "This province's settings add no branch position (rule C6 is off)."))
    rows = [[r["rule_code"], _pick(lang, _YES["zh"], _YES["en"]) if r["is_in_scope"]
             else _pick(lang, _NO["zh"], _NO["en"]),
             _pick(lang, r["title_zh"], r["title_en"]),
             r["positions_zh"] or "", _pick(lang, r["source_zh"], r["source_en"])]
            for r in rules]
    columns = _pick(lang, ["规则", "范围", "内容", "职务", "依据"],
                    ["Rule", "Scope", "What it says", "Positions", "Source"])
    return {"lines": lines, "columns": columns, "rows": rows}


def dues_standard(cur, lang: str, month: dt.date | None) -> dict:
    """The version of the standard in force for the month (the latest with dues data), each
    category's amount a month, and the other versions' months."""
    table = queries.rows("dues_standard_table", cur)
    versions = sorted({r["version_month"] for r in table})
    if not versions:
        return {"lines": [_pick(lang, "本次导入没有团费标准。", "This load has no dues standard.")]}
    month = month or max(versions)
    in_force = max([v for v in versions if v <= month] or versions[:1])
    if in_force.year <= 1900:  # no [[dues_standard]] in the settings: DOMAIN.md §5's amounts
        which = _pick(lang, "默认标准（设置文件未修改）", "the default standard (no settings)")
    elif in_force == versions[0]:
        which = _pick(lang, f"{_month(in_force, lang)}起的版本（也适用于此前各月）",
                      f"the version from {_month(in_force, lang)} (also every month before)")
    else:
        which = _pick(lang, f"{_month(in_force, lang)}起的版本",
                      f"the version from {_month(in_force, lang)}")
    lines = [_pick(lang, f"{_month(month, lang)}适用的团费标准：{which}。",
                   f"The dues standard in force for {_month(month, lang)}: {which}.")]
    others = [v for v in versions if v != in_force and v.year > 1900]
    if others:
        listed = ("、" if lang != "en" else ", ").join(_month(v, lang) for v in others)
        lines.append(_pick(lang, f"其他版本自 {listed} 起。", f"Other versions from {listed}."))
    rows = [[_pick(lang, r["label_zh"], r["label_en"]),
             _pick(lang, f"{r['amount_yuan']:.2f} 元/月", f"¥{r['amount_yuan']:.2f} a month")]
            for r in table if r["version_month"] == in_force]
    columns = _pick(lang, ["类别", "每月应交"], ["Category", "Due a month"])
    return {"lines": lines, "columns": columns, "rows": rows}


def seat_quota(cur, lang: str) -> dict:
    """How many organizations have a seat quota in the settings the load applied."""
    settings = queries.rows("cadre_settings", cur)
    n = settings[0]["seat_quotas"] if settings else 0
    if not n:
        return {"lines": [_pick(lang, "本次导入的设置文件没有给任何组织设定企业号席位数。",
                                "The settings of this load give no organization a seat quota.")]}
    return {"lines": [_pick(lang, f"本次导入的设置文件为 {n} 个组织设定了企业号席位数。",
                            f"The settings of this load give {n} organizations a seat quota.")]}


def campaign(campaign_row: dict | None, as_of, lang: str, org_name: str) -> dict:
    """The campaign in force for the organization in view, its deadline and the days left."""
    if not campaign_row:
        return {"lines": [_pick(lang, f"{org_name}目前没有涉及本组织的报到任务。",
                                f"No registration campaign concerns {org_name}.")]}
    deadline = campaign_row["deadline"]
    days = (deadline - as_of.date()).days if as_of is not None else None
    left = ("" if days is None else
            _pick(lang, f"，距截止还有 {days} 天" if days >= 0 else f"，已过截止日期 {-days} 天",
                  f", {days} days left" if days >= 0 else f", {-days} days past it"))
    name = campaign_row["campaign"]
    return {"lines": [_pick(lang, f"{org_name}现行的报到任务：{name}，截止日期 "
                                  f"{_day(deadline, lang)}{left}。",
                            f"The campaign in force for {org_name}: {name}, deadline "
                            f"{_day(deadline, lang)}{left}.")]}


def part(kind: str | None, cur, lang: str, *, campaign_row=None, as_of=None, org_name="",
         dues_month=None) -> dict | None:
    """The dynamic part of an entry (its `dynamic` kind), or None."""
    if kind == "cadre_rules":
        return cadre_rules(cur, lang)
    if kind == "dues_standard":
        return dues_standard(cur, lang, dues_month)
    if kind == "seat_quota":
        return seat_quota(cur, lang)
    if kind == "campaign":
        return campaign(campaign_row, as_of, lang, org_name)
    return None
