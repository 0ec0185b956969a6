-- org_contacts: the cadre to contact about each organization's follow-up items (the one an
-- alert @-mentions): its cadre marked as its operator (是否本组织运营者), else its 书记 (position
-- 'secretary'); among several, the smaller 身份证号码, then position (as branch_contacts chooses
-- for branches). Organizations with neither have no row.
-- Grain: one row per organization with a contact, ordered by seq. Parameters: none.
with contacts as (
    select
        org_id,
        name,
        mobile,
        position,
        row_number() over (partition by org_id
                           order by is_operator desc, position = 'secretary' desc, id_number,
                                    position) as contact_rank
    from stg_cadres
    where is_operator or position = 'secretary'
)

select
    t.seq,
    t.org_id,
    c.name as contact_name,
    c.mobile as contact_mobile,
    c.position as contact_position
from contacts c
join org_tree t on t.org_id = c.org_id
where c.contact_rank = 1
order by t.seq
