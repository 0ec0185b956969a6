-- org_previous: one organization's figures as the previous load snapshotted them (history_org),
-- for the "since previous load" changes; none when this is the first load or the organization
-- was not in the previous one. Grain: one row, or none. Parameters: :org_id.
select
    h.load_id,
    h.as_of,
    h.members_active,
    h.members_approved,
    h.members_pending,
    h.reviews_pending,
    h.cadres_in_scope,
    h.cadres_out_of_scope,
    h.cadres_onboarded_in_scope,
    h.transfers_pending_out,
    h.transfers_pending_in,
    h.dues_month,
    h.dues_billed_members,
    h.dues_paid_members
from history_org h
where h.org_id = :org_id
  and h.load_id < (select load_id from current_load)
order by h.load_id desc
limit 1
