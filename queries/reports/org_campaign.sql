-- org_campaign: the campaign one organization's figures use: :campaign when given, else the one
-- with the latest deadline (then smallest name) run by the organization, an ancestor or a
-- descendant. Grain: one row, or none. Parameters: :seq, :seq_last, :campaign (may be null).
select c.campaign_id, c.campaign, c.deadline, c.org_id
from stg_campaigns c
where (:campaign is not null and c.campaign = :campaign)
   or (:campaign is null
       and (c.org_seq between :seq and :seq_last or :seq between c.org_seq and c.org_seq_last))
order by c.deadline desc, c.campaign
limit 1
