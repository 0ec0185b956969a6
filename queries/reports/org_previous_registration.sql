-- org_previous_registration: one campaign's roster and registrations inside one organization's
-- subtree as the previous load snapshotted them (history_registration, campaigns by name).
-- Grain: one row, or none. Parameters: :org_id, :campaign.
select h.load_id, h.as_of, h.roster, h.approved, h.pending
from history_registration h
where h.org_id = :org_id
  and h.campaign = :campaign
  and h.load_id < (select load_id from current_load)
order by h.load_id desc
limit 1
