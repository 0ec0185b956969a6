-- alert_items: the open follow-up items of one kind in one organization's subtree, as the
-- latest load left them (progress_item_states' default period, against the previous load), with
-- what an alert says of each: the organization's name, the contact to @-mention (org_contacts),
-- days the item has been open (since open_since) and, for items that wait (review_overdue,
-- stuck_transfer), days waiting (since waiting_since), both in whole days to the as-of date.
-- Only items open at least :min_days_open days (0: all).
-- Grain: one row per open item of :kind in :seq .. :seq_last, ordered by seq, item_key.
-- Parameters: :seq, :seq_last, :kind, :min_days_open.
with load_day as (
    select cast(as_of as date) as as_of_date from current_load
)

select
    s.kind,
    s.item_key,
    s.seq,
    s.org_id,
    t.full_name as org_name,
    s.campaign,
    s.name,
    s.id_number,
    s.position,
    s.step,
    s.roster,
    s.approved,
    s.months_unpaid,
    s.amount_owed_yuan,
    s.is_new,
    s.open_since,
    date_diff('day', cast(s.open_since as date), d.as_of_date) as days_open,
    date_diff('day', cast(s.waiting_since as date), d.as_of_date) as days_waiting,
    c.contact_name,
    c.contact_mobile
from progress_item_states s
cross join load_day d
join org_tree t on t.seq = s.seq
left join org_contacts c on c.org_id = s.org_id
where s.is_default_period
  and s.is_open
  and s.kind = :kind
  and s.seq between :seq and :seq_last
  and date_diff('day', cast(s.open_since as date), d.as_of_date) >= :min_days_open
order by s.seq, s.item_key
