"""One digest per subscription and load: the findings to send, grouped by rule, in the
subscription's language, names masked as its role shows them on screen, mobiles only in the
@-mention fields, and a link to the page that shows each rule's items."""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import json
from urllib.parse import urlencode

from accounts.masking import mask_name
from etl.cadre_rules import POSITIONS_EN, position_label
from notify.findings import Finding, Scope
from notify.message import Message
from notify.rules import BY_CODE

LINES_PER_RULE = 30  # the rest is counted and reached by the link
STEPS = {"zh": {1: "转出团支部", 2: "转出团支部上级", 3: "转入团支部", 4: "转入团支部上级"},
         "en": {1: "sending branch", 2: "its superior", 3: "receiving branch",
                4: "receiving superior"}}
WORDS = {
    "zh": {"title": "智慧团建提醒", "as_of": "数据截至", "items": "项", "more": "另有 {n} 项，见详情",
           "link": "查看详情", "contact": "联系人", "days": "天", "none_contact": "无联系人",
           "demo": "演示数据"},
    "en": {"title": "League data alert", "as_of": "data as of", "items": "items",
           "more": "{n} more: see the page", "link": "Open the page", "contact": "contact",
           "days": "days", "none_contact": "no contact", "demo": "Demo data"},
}


def page_link(public_url: str, finding_rule: str, scope: Scope, lang: str,
              campaign: str | None = None) -> str:
    """The page that shows the rule's items, in the exact view (organization, campaign)."""
    params = {"org": scope.org_id}
    if campaign:
        params["campaign"] = campaign
    if lang != "zh":
        params["lang"] = lang
    return public_url.rstrip("/") + BY_CODE[finding_rule].page + "?" + urlencode(params)


def _person(f: Finding, reveal: bool) -> str:
    name = f.detail.get("name") or ""
    return name if reveal else mask_name(name)


def _position(code: str | None, lang: str) -> str:
    if not code:
        return ""
    return position_label(code) if lang == "zh" else POSITIONS_EN.get(code, code)


def line(f: Finding, lang: str, reveal: bool) -> str:
    """One finding as a markdown list line (no mobile, ever)."""
    d, zh = f.detail, lang == "zh"
    if f.rule in ("registration_deadline", "registration_projection"):
        left = d.get("days_left")
        when = (f"距截止 {left} 天" if zh else f"{left} days left") if left is not None and left >= 0 \
            else (f"截止 {d['deadline']}" if zh else f"deadline {d['deadline']}")
        text = (f"{f.org_name}：已通过 {d['approved']}/{d['roster']}（{d['completion']:.0%}），{when}"
                if zh else f"{f.org_name}: {d['approved']}/{d['roster']} approved "
                           f"({d['completion']:.0%}), {when}")
    elif f.rule in ("review_overdue", "stuck_transfer"):
        step = f"，{STEPS['zh'][d['step']]}" if zh and d.get("step") else \
            (f", at the {STEPS['en'][d['step']]}" if d.get("step") else "")
        text = (f"{f.org_name}：{_person(f, reveal)} 已等待 {d['days_waiting']} 天{step}" if zh
                else f"{f.org_name}: {_person(f, reveal)} waiting {d['days_waiting']} days{step}")
    elif f.rule in ("cadre_out_of_scope", "cadre_not_onboarded"):
        text = f"{f.org_name}{'：' if zh else ': '}{_person(f, reveal)} {_position(d['position'], lang)}"
    elif f.rule in ("arrears_6plus", "arrears_coming"):
        text = (f"{f.org_name}：{_person(f, reveal)} 连续 {d['months_unpaid']} 个月未交，"
                f"共 {d['amount_owed_yuan']} 元" if zh else
                f"{f.org_name}: {_person(f, reveal)} unpaid {d['months_unpaid']} months, "
                f"{d['amount_owed_yuan']} yuan")
    elif f.rule == "no_recent_load":
        text = (f"最近一次导入为 {d['as_of']:%Y-%m-%d}，已 {d['days']} 天未更新" if zh else
                f"the latest load is of {d['as_of']:%Y-%m-%d}, {d['days']} days ago")
    else:  # load_quality
        text = (f"{d['as_of']:%Y-%m-%d} 的导入：{d['files_skipped']} 个文件未读取，隔离 "
                f"{d['rows_quarantined']:,} 行（{d['quarantined_share']:.1%}）" if zh else
                f"the load of {d['as_of']:%Y-%m-%d}: {d['files_skipped']} file(s) skipped, "
                f"{d['rows_quarantined']:,} rows quarantined ({d['quarantined_share']:.1%})")
    w = WORDS[lang]
    if f.contact_name:
        contact = f.contact_name if reveal else mask_name(f.contact_name)
        text += f" · {w['contact']} {contact}"
    return "- " + text


def build(*, subscription_id: int, channel: str, lang: str, reveal: bool, scope: Scope,
          findings: list[Finding], load_id: int, as_of: dt.datetime, public_url: str,
          overrides: dict | None = None, is_demo: bool = False) -> Message | None:
    """The digest of the findings to send (None when there is none). A digest of demo data says
    so first in its title, so that no group mistakes it for real figures."""
    if not findings:
        return None
    w = WORDS[lang]
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    title = (f"【{w['demo']}】" if is_demo else "") + f"{w['title']} · {scope.org_name}"
    parts = [f"## {title}", f"{w['as_of']} {as_of:%Y-%m-%d %H:%M} · {len(findings)} {w['items']}"]
    shown: list[Finding] = []
    for code, found in by_rule.items():
        rule = BY_CODE[code]
        parts.append(f"### {rule.name(lang)}（{len(found)}）" if lang == "zh"
                     else f"### {rule.name(lang)} ({len(found)})")
        parts.append(f"> {rule.explain(lang, (overrides or {}).get(code))}")
        worst = heapq.nsmallest(LINES_PER_RULE, found, key=lambda f: f.order)
        parts += [line(f, lang, reveal) for f in worst]
        shown += worst
        if len(found) > LINES_PER_RULE:
            parts.append(w["more"].format(n=len(found) - LINES_PER_RULE))
        campaigns = {f.detail.get("campaign") for f in found} - {None}
        link = page_link(public_url, code, scope, lang,
                         campaign=next(iter(campaigns)) if len(campaigns) == 1 else None)
        parts.append(f"[{w['link']}]({link})")
    markdown = "\n".join(parts)
    # only the operators of the items the message names
    mentions = tuple(dict.fromkeys(f.contact_mobile for f in shown if f.contact_mobile))
    digest = hashlib.sha256(json.dumps([subscription_id, load_id, markdown, mentions],
                                       ensure_ascii=False).encode()).hexdigest()[:24]
    return Message(message_id=f"s{subscription_id}-l{load_id}-{digest}", channel=channel,
                   title=title, markdown=markdown, mentions=mentions, language=lang,
                   extra={"subscription_id": subscription_id, "load_id": load_id,
                          "org_id": scope.org_id, "org_name": scope.org_name,
                          "counts": {code: len(found) for code, found in by_rule.items()}})


def empty(sub, info: dict, *, channel: str) -> Message:
    """What a test sends when the subscription finds nothing now."""
    w = WORDS[sub.lang]
    text = "当前没有需要提醒的事项" if sub.lang == "zh" else "nothing to report now"
    title = (f"【{w['demo']}】" if info.get("is_demo") else "") + w["title"]
    return Message(message_id=f"e{sub.subscription_id}", channel=channel,
                   title=title, language=sub.lang,
                   markdown=f"## {title}\n{w['as_of']} {info['as_of']:%Y-%m-%d %H:%M} · {text}")
