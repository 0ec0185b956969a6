-- snapshot_registration: this load's campaign completion per organization, dated, to append to
-- history_registration (campaigns by name, as ids are renumbered by every load).
-- Grain: one row per (campaign, organization) for the current load. Parameters: none.
select
    l.load_id,
    l.as_of,
    c.campaign,
    r.org_id,
    r.roster,
    r.approved,
    r.pending
from org_rollup_registration r
join stg_campaigns c on c.campaign_id = r.campaign_id
cross join current_load l
