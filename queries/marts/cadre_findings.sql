-- cadre_findings: the cadre records out of scope (detections of the entry-scope rule), each
-- with its organization's place in the tree and names (org_name: 团组织全称; parent_name: its
-- parent's), the person (name, id_number, mobile: shown masked by the app), position (code word)
-- and position_label (Chinese), wecom_status (1 是, 2 已禁用, 4 否), is_onboarded (是 only),
-- is_operator, and the rule that put it out (rule_code) with its explanation in Chinese and
-- English, {position} filled with the position's label in that language (from cadre_rules and
-- cadre_positions). position_order is the position's display order; finding_no numbers the
-- rows in the table's order (reports sort and page on it, then fetch the page's rows).
-- Grain: one row per out-of-scope cadre record, ordered by seq, position_order, id_number.
-- Parameters: none.
with out_of_scope as (
    select *
    from cadre_scope
    where not is_in_scope
)

select
    row_number() over (order by t.seq, l.sort_order, c.id_number, c.position) as finding_no,
    t.seq,
    c.org_id,
    t.org_type,
    t.full_name as org_name,
    p.full_name as parent_name,
    c.name,
    c.id_number,
    c.mobile,
    c.position,
    coalesce(l.label_zh, c.position) as position_label,
    l.sort_order as position_order,
    c.wecom_status,
    c.is_onboarded,
    c.is_operator,
    c.rule_code,
    replace(r.explanation_zh, '{position}', coalesce(l.label_zh, c.position)) as explanation_zh,
    replace(r.explanation_en, '{position}', coalesce(l.label_en, c.position)) as explanation_en
from out_of_scope c
join org_tree t on t.org_id = c.org_id
left join org_tree p on p.org_id = t.parent_org_id
left join cadre_positions l on l.position = c.position
left join cadre_rules r on r.rule_code = c.rule_code
order by finding_no
