-- cadre_org_gaps: the organizations that lack people, by kind (from org_rollup_cadres):
-- 'no_cadre' (a 团支部 with no cadre record: 无团干团支部), 'hollow_committee' (not a 团支部, and
-- no organization under it: 空心团委), 'hollow_branch' (a 团支部 with fewer than 3 active
-- members: 空心团支部). A branch may have two kinds. full_name is the 团组织全称, parent_name its
-- parent's; members is the organization's own active members (团籍状态 正常; 0 for a committee);
-- kind_order is the order of the kinds above; gap_no numbers the rows in the table's order.
-- Grain: one row per (organization, kind), ordered by seq, kind_order. Parameters: none.
with flagged as (
    select seq, own_members_active, is_without_cadre, is_hollow_committee, is_hollow_branch
    from org_rollup_cadres
    where is_without_cadre or is_hollow_committee or is_hollow_branch
),

kinds as (
    select seq, own_members_active as members, 'no_cadre' as kind, 1 as kind_order
    from flagged
    where is_without_cadre
    union all
    select seq, own_members_active, 'hollow_committee', 2
    from flagged
    where is_hollow_committee
    union all
    select seq, own_members_active, 'hollow_branch', 3
    from flagged
    where is_hollow_branch
)

select
    row_number() over (order by k.seq, k.kind_order) as gap_no,
    k.seq,
    t.org_id,
    t.org_type,
    t.full_name,
    p.full_name as parent_name,
    k.kind,
    k.kind_order,
    k.members
from kinds k
join org_tree t on t.seq = k.seq
left join org_tree p on p.org_id = t.parent_org_id
order by gap_no
