-- org_registration: one campaign's roster and registrations inside one organization's subtree
-- (absent when no roster entry lies in it). Grain: one row, or none.
-- Parameters: :seq, :campaign_id.
select roster, approved, pending
from org_rollup_registration
where seq = :seq and campaign_id = :campaign_id
