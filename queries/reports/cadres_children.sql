-- cadres_children: the cadre figures of each child organization's subtree (as in cadres_summary),
-- worst first: onboarding_rate ascending (children with nothing in scope, whose rate is null,
-- last), then more out-of-scope records first, then seq. org_name is the 简称, else the 全称.
-- Grain: one row per child organization (parent_org_id = :org_id).
-- Parameters: :org_id, :seq, :seq_last (its tree range, from org_lookup).
with children as (
    select seq, org_id, org_type, coalesce(short_name, full_name) as org_name, full_name
    from org_tree
    where seq > :seq and seq <= :seq_last and parent_org_id = :org_id
),

figures as (
    select
        c.seq,
        c.org_id,
        c.org_type,
        c.org_name,
        c.full_name,
        r.orgs,
        r.branches,
        r.cadre_records,
        r.cadres_in_scope,
        r.cadres_out_of_scope,
        r.cadres_onboarded_in_scope,
        r.cadres_onboarded_in_scope / nullif(r.cadres_in_scope, 0) as onboarding_rate,
        r.branches_without_cadre,
        r.hollow_committees,
        r.hollow_branches,
        r.seats_used,
        r.seats_out_of_scope,
        r.orgs_with_quota,
        r.orgs_over_quota
    from children c
    join org_rollup_cadres r on r.seq = c.seq
    where r.seq > :seq and r.seq <= :seq_last
)

select
    seq,
    org_id,
    org_type,
    org_name,
    full_name,
    orgs,
    branches,
    cadre_records,
    cadres_in_scope,
    cadres_out_of_scope,
    cadres_onboarded_in_scope,
    onboarding_rate,
    branches_without_cadre,
    hollow_committees,
    hollow_branches,
    seats_used,
    seats_out_of_scope,
    orgs_with_quota,
    orgs_over_quota
from figures
order by onboarding_rate asc nulls last, cadres_out_of_scope desc, seq
