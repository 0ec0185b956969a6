-- stg_campaigns: the registration campaigns loaded; the running organization's subtree is the
-- campaign's scope. Grain: one row per campaign (name unique). Parameters: none.
select
    row_number() over (order by deadline, campaign) as campaign_id,
    campaign,
    deadline,
    org_id
from checked_campaigns
where disposition = 'loaded'
