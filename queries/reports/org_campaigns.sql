-- org_campaigns: the campaigns that concern one organization (run by it, an ancestor or a
-- descendant), latest deadline first, with the organization's roster in each (0 when none).
-- Grain: one row per campaign. Parameters: :seq, :seq_last.
select
    c.campaign_id,
    c.campaign,
    c.deadline,
    c.org_id,
    coalesce(g.roster, 0) as roster
from stg_campaigns c
left join org_rollup_registration g on g.seq = :seq and g.campaign_id = c.campaign_id
where c.org_seq between :seq and :seq_last or :seq between c.org_seq and c.org_seq_last
order by c.deadline desc, c.campaign
