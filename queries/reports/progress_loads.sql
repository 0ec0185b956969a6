-- progress_loads: the two loads a progress report compares (CONTRACT.md §4): B, the latest load,
-- and A, the latest load whose as-of date is on or before :since, or without :since (null) the
-- load before B. Either row is absent when there is no such load; A is never B.
-- Grain: at most two rows, role 'from' (A) and 'to' (B). Parameters: :since (a date, or null).
with latest as (
    select load_id, as_of from loads order by load_id desc limit 1
),

earlier as (
    select l.load_id, l.as_of
    from loads l
    where l.load_id < (select load_id from latest)
      and (cast(:since as date) is null or cast(l.as_of as date) <= cast(:since as date))
    order by l.load_id desc
    limit 1
)

select 'to' as role, load_id, as_of from latest
union all
select 'from' as role, load_id, as_of from earlier
