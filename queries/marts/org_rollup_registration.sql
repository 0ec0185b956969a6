-- org_rollup_registration: campaign completion for each organization's subtree: roster entries
-- whose 所在团支部 is in the subtree, and how many of those people are active members registered
-- (approved: status 3, 4, 5) or pending (status 1).
-- Grain: one row per (campaign_id, organization with roster entries in its subtree). Parameters: none.
with roster_facts as (
    select
        r.campaign_id,
        r.branch_org_id as org_id,
        count(*) as roster,
        count(*) filter (where m.is_active and m.is_registered_approved) as approved,
        count(*) filter (where m.is_active and m.is_registration_pending) as pending
    from stg_roster r
    left join stg_members m on m.id_number = r.id_number
    group by r.campaign_id, r.branch_org_id
)

select
    t.seq,
    f.campaign_id,
    cl.ancestor_org_id as org_id,
    cast(sum(f.roster) as bigint) as roster,
    cast(sum(f.approved) as bigint) as approved,
    cast(sum(f.pending) as bigint) as pending
from roster_facts f
join org_closure cl on cl.org_id = f.org_id
join org_tree t on t.org_id = cl.ancestor_org_id
group by t.seq, f.campaign_id, cl.ancestor_org_id
order by t.seq, f.campaign_id
