-- org_children_metrics: the figures of each organization one or two levels below :seq (the tree
-- chart and the overview's ranking): members, reviews, cadres, transfers, the campaign's completion
-- (:campaign_id, may be null), dues compliance of :dues_month (may be null) and the members
-- failing a data-quality check (members_flagged).
-- Grain: one row per organization with depth in (:depth + 1 .. :depth + :levels) inside
-- :seq .. :seq_last, in tree order. Parameters: :seq, :seq_last, :depth, :levels, :campaign_id,
-- :dues_month.
with nodes as (
    select seq, org_id, parent_org_id, org_type, full_name, short_name, depth
    from org_tree
    where seq > :seq and seq <= :seq_last and depth between :depth + 1 and :depth + :levels
)

select
    n.seq,
    n.org_id,
    n.parent_org_id,
    n.org_type,
    n.full_name,
    coalesce(n.short_name, n.full_name) as org_name,
    n.depth,
    r.branches,
    r.members_active,
    r.reviews_pending,
    r.cadre_records,
    r.cadres_in_scope,
    r.cadres_out_of_scope,
    r.cadres_onboarded_in_scope,
    r.cadres_onboarded_in_scope / nullif(r.cadres_in_scope, 0) as onboarding_rate,
    r.branches_without_cadre,
    r.transfers_pending_out,
    r.transfers_pending_in,
    r.transfers_pending_out + r.transfers_pending_in as transfers_pending,
    g.roster,
    g.approved,
    g.pending,
    g.approved / nullif(g.roster, 0) as completion_approved,
    (g.approved + g.pending) / nullif(g.roster, 0) as completion_submitted,
    d.billed_members as dues_billed_members,
    d.paid_members as dues_paid_members,
    d.paid_members / nullif(d.billed_members, 0) as dues_compliance,
    q.members_flagged
from nodes n
join org_rollup r on r.seq = n.seq
left join org_rollup_registration g on g.seq = n.seq and g.campaign_id = :campaign_id
left join org_rollup_dues d on d.seq = n.seq and d.dues_month = :dues_month
left join org_rollup_quality q on q.seq = n.seq
order by n.seq
