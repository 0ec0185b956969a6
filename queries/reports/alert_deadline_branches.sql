-- alert_deadline_branches: the lagging branches (followup_items 'lagging_branch') of campaigns
-- whose deadline is at most :days_left days after the as-of date (or already past), whose
-- completion (approved / roster) is below :completion_below, in one organization's subtree;
-- with the campaign's deadline, the days left (negative once past) and the branch's contact.
-- Grain: one row per (campaign, branch), ordered by days_left, completion, seq. Parameters:
-- :seq, :seq_last, :days_left, :completion_below.
with load_day as (
    select cast(as_of as date) as as_of_date from current_load
)

select
    f.item_key,
    t.seq,
    f.org_id,
    t.full_name as org_name,
    f.campaign,
    c.deadline,
    date_diff('day', d.as_of_date, c.deadline) as days_left,
    f.roster,
    f.approved,
    round(f.approved / f.roster, 4) as completion,
    k.contact_name,
    k.contact_mobile
from followup_items f
cross join load_day d
join stg_campaigns c on c.campaign = f.campaign
join org_tree t on t.org_id = f.org_id
left join org_contacts k on k.org_id = f.org_id
where f.kind = 'lagging_branch'
  and t.seq between :seq and :seq_last
  and date_diff('day', d.as_of_date, c.deadline) <= :days_left
  and f.approved / f.roster < :completion_below
order by days_left, completion, t.seq
