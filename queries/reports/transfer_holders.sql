-- transfer_holders: who holds up the pending transfers (status 1-4) touching one organization's
-- subtree (sent from it or bound for it): the organization that must act at the step each waits
-- at (transfer_steps.holder_org_id), with how many it holds there and the oldest wait in days
-- ((as_of - waiting_since) in seconds / 86400). is_inside: the holder lies in the subtree.
-- Transfers waiting on an organization outside the tree (a receiving end outside the province)
-- have no holder and are not listed.
-- Grain: one row per (holder organization, step); the top :limit by transfers desc, then
-- oldest_days desc, then holder name. Parameters: :seq, :seq_last, :limit.
with load as (
    select as_of from current_load
),

-- Sent from the subtree, then bound for it from outside: two scans rather than one filter with
-- `or`, so that each range filter reaches the scan (the mart is in from_seq order).
touching as (
    select * from transfer_steps
    where status between 1 and 4 and from_seq between :seq and :seq_last
    union all
    select * from transfer_steps
    where status between 1 and 4 and to_seq between :seq and :seq_last
      and (from_seq < :seq or from_seq > :seq_last)
),

pending as (
    select
        s.holder_seq,
        s.holder_org_id,
        s.holder_name,
        s.step,
        (epoch(l.as_of) - epoch(s.waiting_since)) / 86400 as age_days
    from touching s
    cross join load l
    where s.holder_seq is not null
)

select
    holder_org_id,
    holder_name,
    step,
    holder_seq between :seq and :seq_last as is_inside,
    count(*) as transfers,
    max(age_days) as oldest_days
from pending
group by holder_seq, holder_org_id, holder_name, step
order by transfers desc, oldest_days desc, holder_name, step, holder_org_id
limit :limit
