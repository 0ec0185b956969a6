-- registration_backlog: the age of one campaign's pending registrations (active members with
-- status 1) in one organization's subtree. Age is counted in whole calendar days: the as-of
-- date minus the date of registered_at (time of day ignored, as registration_daily keeps days).
-- Buckets: 'le2' (age <= 2 days, dates after the as-of date too), '3to7' (3 to 7 days), 'gt7'
-- (8 days or more). Pending persons without registered_at cannot be aged and are in no bucket
-- (they are in registration_summary's pending).
-- Grain: one row per bucket, always all three, in the order le2, 3to7, gt7 (pending 0 when
-- none). Parameters: :seq, :campaign_id.
with load_day as (
    select cast(as_of as date) as as_of_date
    from current_load
),

buckets as (
    select * from (values (1, 'le2'), (2, '3to7'), (3, 'gt7')) b(bucket_order, bucket)
),

aged as (
    select
        case
            when l.as_of_date - d.day <= 2 then 'le2'
            when l.as_of_date - d.day <= 7 then '3to7'
            else 'gt7'
        end as bucket,
        d.pending
    from registration_daily d
    cross join load_day l
    where d.seq = :seq and d.campaign_id = :campaign_id and d.pending > 0
)

select b.bucket, cast(coalesce(sum(a.pending), 0) as bigint) as pending
from buckets b
left join aged a on a.bucket = b.bucket
group by b.bucket_order, b.bucket
order by b.bucket_order
