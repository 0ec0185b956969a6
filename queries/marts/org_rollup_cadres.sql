-- org_rollup_cadres: the cadres page's figures for each organization, its own and its whole
-- subtree's (itself and everything under it), from cadre_scope (the entry-scope rule),
-- stg_members and seat_quota (the settings file's mobile-app seats).
-- Own: own_members_active (active members, 团籍状态 正常), own_cadre_records, own_seats_used (its
-- records with 是否入驻企业号 = 是, in scope or not), own_seats_out_of_scope (those out of scope),
-- seat_quota (null: none set), is_over_quota (own_seats_used > seat_quota), is_without_cadre (a
-- 团支部 with no cadre record: 无团干团支部), is_hollow_committee (not a 团支部 and no organization
-- under it: 空心团委), is_hollow_branch (a 团支部 with fewer than 3 active members: 空心团支部).
-- Subtree: orgs, branches, cadre_records, cadres_in_scope, cadres_out_of_scope,
-- cadres_onboarded_in_scope, branches_without_cadre (the same figures as org_rollup),
-- hollow_committees, hollow_branches, seats_used, seats_out_of_scope, orgs_with_quota,
-- orgs_over_quota (counts of the flags and sums of the own figures above).
-- Grain: one row per organization, ordered by seq. Parameters: none.
with member_facts as (
    select
        branch_org_id as org_id,
        count(*) filter (where is_active) as members_active
    from stg_members
    group by branch_org_id
),

cadre_facts as (
    select
        org_id,
        count(*) as cadre_records,
        count(*) filter (where is_in_scope) as cadres_in_scope,
        count(*) filter (where is_in_scope and is_onboarded) as cadres_onboarded_in_scope,
        count(*) filter (where is_onboarded) as seats_used,
        count(*) filter (where is_onboarded and not is_in_scope) as seats_out_of_scope
    from cadre_scope
    group by org_id
),

quotas as (
    select org_id, max(seats) as seats
    from seat_quota
    group by org_id
),

own as (
    select
        t.seq,
        t.seq_last,
        t.org_id,
        t.is_branch,
        coalesce(m.members_active, 0) as own_members_active,
        coalesce(c.cadre_records, 0) as own_cadre_records,
        coalesce(c.cadres_in_scope, 0) as own_cadres_in_scope,
        coalesce(c.cadres_onboarded_in_scope, 0) as own_cadres_onboarded_in_scope,
        coalesce(c.seats_used, 0) as own_seats_used,
        coalesce(c.seats_out_of_scope, 0) as own_seats_out_of_scope,
        q.seats as seat_quota,
        coalesce(q.seats is not null and coalesce(c.seats_used, 0) > q.seats, false)
            as is_over_quota,
        t.is_branch and c.org_id is null as is_without_cadre,
        not t.is_branch and t.seq_last = t.seq as is_hollow_committee,
        t.is_branch and coalesce(m.members_active, 0) < 3 as is_hollow_branch
    from org_tree t
    left join member_facts m on m.org_id = t.org_id
    left join cadre_facts c on c.org_id = t.org_id
    left join quotas q on q.org_id = t.org_id
),

rolled as (
    select
        cl.ancestor_org_id as org_id,
        count(*) as orgs,
        count(*) filter (where o.is_branch) as branches,
        cast(sum(o.own_cadre_records) as bigint) as cadre_records,
        cast(sum(o.own_cadres_in_scope) as bigint) as cadres_in_scope,
        cast(sum(o.own_cadres_onboarded_in_scope) as bigint) as cadres_onboarded_in_scope,
        count(*) filter (where o.is_without_cadre) as branches_without_cadre,
        count(*) filter (where o.is_hollow_committee) as hollow_committees,
        count(*) filter (where o.is_hollow_branch) as hollow_branches,
        cast(sum(o.own_seats_used) as bigint) as seats_used,
        cast(sum(o.own_seats_out_of_scope) as bigint) as seats_out_of_scope,
        count(o.seat_quota) as orgs_with_quota,
        count(*) filter (where o.is_over_quota) as orgs_over_quota
    from org_closure cl
    join own o on o.org_id = cl.org_id
    group by cl.ancestor_org_id
)

select
    o.seq,
    o.seq_last,
    o.org_id,
    o.own_members_active,
    o.own_cadre_records,
    o.own_seats_used,
    o.own_seats_out_of_scope,
    o.seat_quota,
    o.is_over_quota,
    o.is_without_cadre,
    o.is_hollow_committee,
    o.is_hollow_branch,
    r.orgs,
    r.branches,
    r.cadre_records,
    r.cadres_in_scope,
    r.cadre_records - r.cadres_in_scope as cadres_out_of_scope,
    r.cadres_onboarded_in_scope,
    r.branches_without_cadre,
    r.hollow_committees,
    r.hollow_branches,
    r.seats_used,
    r.seats_out_of_scope,
    r.orgs_with_quota,
    r.orgs_over_quota
from own o
join rolled r on r.org_id = o.org_id
order by o.seq
