-- cadre_followup_items: what each organization's operator must fix about its cadres, one item
-- at a time: item_kind 'remove_out_of_scope' (a record out of scope; from cadre_findings),
-- 'onboard_in_scope' (a record in scope whose 是否入驻企业号 is not 是), 'add_cadre' (a 团支部
-- with no cadre record), 'over_quota' (its own onboarded records exceed its seat quota).
-- Each item carries the organization (seq, org_name: 团组织全称, parent_name); whom to contact:
-- the organization's cadre marked as its operator, else its 书记 (as in branch_contacts), among
-- several the in-scope, then the onboarded, then the smaller 身份证号码, then position; when the
-- organization has neither, its parent's, with is_parent_contact true (null fields when neither
-- has one); the action
-- (action_zh/en, from cadre_followup_kinds), the person of record items (name, id_number,
-- mobile: shown masked by the app; position, position_label, wecom_status, is_onboarded), the
-- rule (rule_code: the rule that put the record out of scope, or that puts it in scope; null for
-- add_cadre and over_quota) and the explanation in Chinese and English ({position} filled with
-- the position's label; over_quota's {quota}, {seats_used}, {seats_out_of_scope} with the
-- organization's figures). seat_quota, seats_used and seats_out_of_scope are set on over_quota
-- items only. kind_order is the kind's display order; item_no numbers the rows in the table's
-- order (reports sort and page on it, then fetch the page's rows).
-- Grain: one row per (organization, item), ordered by seq, kind_order, position_order,
-- id_number. Parameters: none.
with contacts as (
    select
        org_id,
        name,
        mobile,
        position,
        row_number() over (partition by org_id
                           order by is_operator desc, position = 'secretary' desc,
                                    is_in_scope desc, is_onboarded desc, id_number,
                                    position) as contact_rank
    from cadre_scope
    where is_operator or position = 'secretary'
),

first_contacts as (
    select org_id, name as contact_name, mobile as contact_mobile, position as contact_position
    from contacts
    where contact_rank = 1
),

record_items as (
    select
        org_id,
        case when is_in_scope then 'onboard_in_scope' else 'remove_out_of_scope' end as item_kind,
        name, id_number, mobile, position, wecom_status, is_onboarded, rule_code
    from cadre_scope
    where not is_in_scope or not is_onboarded
),

org_items as (
    select
        org_id,
        case when is_without_cadre then 'add_cadre' else 'over_quota' end as item_kind,
        case when is_over_quota then seat_quota end as seat_quota,
        case when is_over_quota then own_seats_used end as seats_used,
        case when is_over_quota then own_seats_out_of_scope end as seats_out_of_scope
    from org_rollup_cadres
    where is_without_cadre or is_over_quota
),

items as (
    select
        org_id, item_kind, name, id_number, mobile, position, wecom_status, is_onboarded,
        rule_code,
        null::integer as seat_quota, null::bigint as seats_used,
        null::bigint as seats_out_of_scope
    from record_items
    union all
    select
        org_id, item_kind, null, null, null, null, null, null, null,
        seat_quota, seats_used, seats_out_of_scope
    from org_items
)

select
    row_number() over (order by t.seq, f.sort_order, l.sort_order, i.id_number, i.position)
        as item_no,
    t.seq,
    i.org_id,
    t.org_type,
    t.full_name as org_name,
    p.full_name as parent_name,
    coalesce(k.contact_name, pk.contact_name) as contact_name,
    coalesce(k.contact_mobile, pk.contact_mobile) as contact_mobile,
    coalesce(k.contact_position, pk.contact_position) as contact_position,
    k.org_id is null and pk.org_id is not null as is_parent_contact,
    i.item_kind,
    f.sort_order as kind_order,
    f.action_zh,
    f.action_en,
    i.name,
    i.id_number,
    i.mobile,
    i.position,
    l.label_zh as position_label,
    l.sort_order as position_order,
    i.wecom_status,
    i.is_onboarded,
    i.rule_code,
    replace(replace(replace(replace(coalesce(r.explanation_zh, f.explanation_zh),
        '{position}', coalesce(l.label_zh, i.position, '')),
        '{quota}', coalesce(cast(i.seat_quota as varchar), '')),
        '{seats_used}', coalesce(cast(i.seats_used as varchar), '')),
        '{seats_out_of_scope}', coalesce(cast(i.seats_out_of_scope as varchar), ''))
        as explanation_zh,
    replace(replace(replace(replace(coalesce(r.explanation_en, f.explanation_en),
        '{position}', coalesce(l.label_en, i.position, '')),
        '{quota}', coalesce(cast(i.seat_quota as varchar), '')),
        '{seats_used}', coalesce(cast(i.seats_used as varchar), '')),
        '{seats_out_of_scope}', coalesce(cast(i.seats_out_of_scope as varchar), ''))
        as explanation_en,
    i.seat_quota,
    i.seats_used,
    i.seats_out_of_scope
from items i
join org_tree t on t.org_id = i.org_id
left join org_tree p on p.org_id = t.parent_org_id
left join first_contacts k on k.org_id = i.org_id
left join first_contacts pk on pk.org_id = t.parent_org_id
left join cadre_followup_kinds f on f.item_kind = i.item_kind
left join cadre_positions l on l.position = i.position
left join cadre_rules r on r.rule_code = i.rule_code
order by item_no
