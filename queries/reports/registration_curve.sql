-- registration_curve: one campaign's daily registrations in one organization's subtree and
-- their running totals (the cumulative chart): submitted (roster persons, active members with
-- status 1, 3, 4, 5, by the date of registered_at) and approved (active, status 3, 4, 5, by the
-- date of reviewed_at). Every day from the first with activity to the later of the as-of date and
-- the last day with activity is present (0 on quiet days), so the running totals step correctly.
-- Persons without the timestamp are on no day (see registration_daily).
-- Grain: one row per day, in date order; none when nothing happened in the subtree.
-- Parameters: :seq, :campaign_id.
with load_day as (
    select cast(as_of as date) as as_of_date
    from current_load
),

days as (
    select day, submitted, approved
    from registration_daily
    where seq = :seq and campaign_id = :campaign_id
),

span as (
    select min(d.day) as first_day, greatest(max(d.day), any_value(l.as_of_date)) as last_day
    from days d
    cross join load_day l
),

calendar as (
    select cast(g.day as date) as day
    from span s, generate_series(s.first_day, s.last_day, interval 1 day) as g(day)
    where s.first_day is not null
),

filled as (
    select c.day, coalesce(d.submitted, 0) as submitted, coalesce(d.approved, 0) as approved
    from calendar c
    left join days d on d.day = c.day
)

select
    day,
    submitted,
    approved,
    cast(sum(submitted) over (order by day) as bigint) as cum_submitted,
    cast(sum(approved) over (order by day) as bigint) as cum_approved
from filled
order by day
