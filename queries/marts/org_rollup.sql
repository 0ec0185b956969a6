-- org_rollup: the figures of CONTRACT.md §2 that need no month or campaign, for each
-- organization's whole subtree (itself and everything under it): members, reviews, cadres and
-- the entry-scope rule, branches, transfers.
-- Grain: one row per organization. Parameters: none.
with member_facts as (
    select
        branch_org_id as org_id,
        count(*) as members_total,
        count(*) filter (where is_active) as members_active,
        count(*) filter (where is_active and is_registered_approved) as members_approved,
        count(*) filter (where is_active and is_registration_pending) as members_pending,
        count(*) filter (where is_active and registration_status in (1, 4)) as reviews_pending
    from stg_members
    group by branch_org_id
),

cadre_facts as (
    select
        org_id,
        count(*) as cadre_records,
        count(*) filter (where is_in_scope) as cadres_in_scope,
        count(*) filter (where is_in_scope and is_onboarded) as cadres_onboarded_in_scope
    from cadre_scope
    group by org_id
),

own as (
    select
        t.org_id,
        1 as orgs,
        case when t.is_branch then 1 else 0 end as branches,
        case when t.is_branch and c.org_id is null then 1 else 0 end as branches_without_cadre,
        coalesce(m.members_total, 0) as members_total,
        coalesce(m.members_active, 0) as members_active,
        coalesce(m.members_approved, 0) as members_approved,
        coalesce(m.members_pending, 0) as members_pending,
        coalesce(m.reviews_pending, 0) as reviews_pending,
        coalesce(c.cadre_records, 0) as cadre_records,
        coalesce(c.cadres_in_scope, 0) as cadres_in_scope,
        coalesce(c.cadres_onboarded_in_scope, 0) as cadres_onboarded_in_scope
    from org_tree t
    left join member_facts m on m.org_id = t.org_id
    left join cadre_facts c on c.org_id = t.org_id
),

rolled as (
    select
        cl.ancestor_org_id as org_id,
        cast(sum(o.orgs) as bigint) as orgs,
        cast(sum(o.branches) as bigint) as branches,
        cast(sum(o.branches_without_cadre) as bigint) as branches_without_cadre,
        cast(sum(o.members_total) as bigint) as members_total,
        cast(sum(o.members_active) as bigint) as members_active,
        cast(sum(o.members_approved) as bigint) as members_approved,
        cast(sum(o.members_pending) as bigint) as members_pending,
        cast(sum(o.reviews_pending) as bigint) as reviews_pending,
        cast(sum(o.cadre_records) as bigint) as cadre_records,
        cast(sum(o.cadres_in_scope) as bigint) as cadres_in_scope,
        cast(sum(o.cadres_onboarded_in_scope) as bigint) as cadres_onboarded_in_scope
    from org_closure cl
    join own o on o.org_id = cl.org_id
    group by cl.ancestor_org_id
),

transfer_from as (
    select t.transfer_id, t.status, cl.ancestor_org_id as org_id
    from stg_transfers t
    join org_closure cl on cl.org_id = t.from_org_id
),

transfer_to as (
    select t.transfer_id, t.status, cl.ancestor_org_id as org_id
    from stg_transfers t
    join org_closure cl on cl.org_id = t.to_org_id
),

transfer_touch as (
    select
        coalesce(f.org_id, o.org_id) as org_id,
        coalesce(f.status, o.status) as status,
        f.transfer_id is not null as from_inside,
        o.transfer_id is not null as to_inside
    from transfer_from f
    full outer join transfer_to o on o.transfer_id = f.transfer_id and o.org_id = f.org_id
),

transfer_facts as (
    select
        org_id,
        count(*) filter (where status between 1 and 4 and from_inside and not to_inside) as transfers_pending_out,
        count(*) filter (where status between 1 and 4 and to_inside and not from_inside) as transfers_pending_in,
        count(*) filter (where status = 5) as transfers_completed,
        count(*) filter (where status between 6 and 9) as transfers_returned,
        count(*) filter (where status = 0) as transfers_withdrawn
    from transfer_touch
    group by org_id
)

select
    t.seq,
    r.org_id,
    r.orgs,
    r.branches,
    r.members_total,
    r.members_active,
    r.members_approved,
    r.members_pending,
    r.reviews_pending,
    r.cadre_records,
    r.cadres_in_scope,
    r.cadre_records - r.cadres_in_scope as cadres_out_of_scope,
    r.cadres_onboarded_in_scope,
    r.branches_without_cadre,
    coalesce(x.transfers_pending_out, 0) as transfers_pending_out,
    coalesce(x.transfers_pending_in, 0) as transfers_pending_in,
    coalesce(x.transfers_completed, 0) as transfers_completed,
    coalesce(x.transfers_returned, 0) as transfers_returned,
    coalesce(x.transfers_withdrawn, 0) as transfers_withdrawn
from rolled r
join org_tree t on t.org_id = r.org_id
left join transfer_facts x on x.org_id = r.org_id
order by t.seq
