-- transfer_pending_by_step: pending transfers (status 1-4) touching one organization's subtree
-- (sent from it or bound for it), by the step they wait at and how long they have waited there.
-- Age in days = (as_of - waiting_since) in seconds / 86400, a fraction (as_of from current_load).
-- Buckets: 'le2' age <= 2 (still inside the 48-hour window), '3to7' 2 < age <= 7, 'gt7' age > 7;
-- so exactly 2 days is 'le2' and exactly 7 days is '3to7'.
-- Grain: one row per (step 1-4, age bucket): all 12, transfers 0 when none; by step, then
-- le2, 3to7, gt7. Parameters: :seq, :seq_last.
with load as (
    select as_of from current_load
),

pending as (
    select
        s.step,
        (epoch(l.as_of) - epoch(s.waiting_since)) / 86400 as age_days
    from transfer_steps s
    cross join load l
    where s.status between 1 and 4
      and (s.from_seq between :seq and :seq_last or s.to_seq between :seq and :seq_last)
),

counted as (
    select
        step,
        case when age_days <= 2 then 'le2' when age_days <= 7 then '3to7' else 'gt7' end
            as age_bucket,
        count(*) as transfers
    from pending
    group by all
),

grid as (
    select s.step, b.age_bucket, b.bucket_order
    from (values (1), (2), (3), (4)) s(step)
    cross join (values ('le2', 1), ('3to7', 2), ('gt7', 3)) b(age_bucket, bucket_order)
)

select
    g.step,
    g.age_bucket,
    coalesce(c.transfers, 0) as transfers
from grid g
left join counted c on c.step = g.step and c.age_bucket = g.age_bucket
order by g.step, g.bucket_order
