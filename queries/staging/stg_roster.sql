-- stg_roster: who is expected to register in each campaign, and in which branch.
-- Grain: one row per (campaign_id, id_number). Parameters: none.
select
    campaign_id,
    name,
    id_number,
    branch_org_id
from checked_roster
where disposition = 'loaded'
