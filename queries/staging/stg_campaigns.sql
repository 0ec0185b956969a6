-- stg_campaigns: the registration campaigns loaded; the running organization's subtree is the
-- campaign's scope (org_seq .. org_seq_last). Grain: one row per campaign (name unique). Parameters: none.
select
    row_number() over (order by c.deadline, c.campaign) as campaign_id,
    c.campaign,
    c.deadline,
    c.org_id,
    t.seq as org_seq,
    t.seq_last as org_seq_last
from checked_campaigns c
join org_tree t on t.org_id = c.org_id
where c.disposition = 'loaded'
