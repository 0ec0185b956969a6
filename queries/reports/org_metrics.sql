-- org_metrics: the subtree figures of one organization that need no month or campaign, with the
-- load's as-of time and its total of quarantined rows.
-- Grain: one row. Parameters: :seq (the organization's tree position, from org_lookup).
select
    r.org_id,
    r.members_active,
    r.members_approved,
    r.members_pending,
    r.reviews_pending,
    r.cadre_records,
    r.cadres_in_scope,
    r.cadres_out_of_scope,
    r.cadres_onboarded_in_scope,
    r.branches_without_cadre,
    r.transfers_pending_out,
    r.transfers_pending_in,
    r.transfers_completed,
    r.transfers_returned,
    l.as_of,
    l.rows_quarantined as quarantined_rows
from org_rollup r
cross join current_load l
where r.seq = :seq
