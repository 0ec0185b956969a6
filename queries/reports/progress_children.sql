-- progress_children: how each organization one level below :seq responds to its subtree's
-- follow-up items (every kind together) between loads A (:from_load; null when none) and B
-- (:to_load): open, new, resolved, open over 14 days, was_open (open in A and counted here),
-- response_rate (resolved / was_open; null when nothing was open), median_days_to_resolve,
-- oldest_open_since and oldest_open_days (whole days from it to B's as-of date). :is_kept true
-- (A is the load before B, B the latest) reads org_rollup_progress_total; false computes the
-- period through progress_items. Children without any item have zeros (new, resolved and
-- was_open null when :from_load is null).
-- Ranked by how they respond, worst first: response_rate ascending (none last), then open over
-- 14 days, then open (both descending), then tree order.
-- Grain: one row per child organization of :seq. Parameters: :seq, :seq_last, :from_load,
-- :to_load, :is_kept.
with children as (
    select seq, seq_last, org_id, org_type, full_name, coalesce(short_name, full_name) as org_name
    from org_tree
    where seq > :seq and seq <= :seq_last
      and depth = (select depth + 1 from org_tree where seq = :seq)
),

load_b as (
    select as_of from loads where load_id = :to_load
),

kept as (
    select
        r.seq, r.open, r.new, r.resolved, r.open_over_14_days, r.was_open,
        r.median_days_to_resolve, r.oldest_open_since
    from org_rollup_progress_total r
    where cast(:is_kept as boolean) and r.seq in (select seq from children)
),

items as (
    -- progress_item_states' rows, without its sort
    select t.seq, i.*
    from ({{progress_items}}) i
    join org_tree t on t.org_id = i.org_id
    where not cast(:is_kept as boolean)
),

computed as (
    select
        c.seq,
        count(*) filter (where i.is_open) as open,
        count(*) filter (where i.is_new) as new,
        count(*) filter (where i.is_resolved) as resolved,
        count(*) filter (where i.is_open_over_14_days) as open_over_14_days,
        count(*) filter (where i.is_resolved or (i.is_open and not i.is_new)) as was_open,
        median(i.days_to_resolve) filter (where i.is_resolved) as median_days_to_resolve,
        min(i.open_since) filter (where i.is_open) as oldest_open_since
    from items i
    join children c on i.seq between c.seq and c.seq_last
    group by c.seq
),

figures as (
    select * from kept
    union all by name
    select * from computed
),

ranked as (
    select
        c.seq,
        c.org_id,
        c.org_type,
        c.full_name,
        c.org_name,
        cast(coalesce(f.open, 0) as bigint) as open,
        case when :from_load is not null then cast(coalesce(f.new, 0) as bigint) end as new,
        case when :from_load is not null then cast(coalesce(f.resolved, 0) as bigint) end
            as resolved,
        cast(coalesce(f.open_over_14_days, 0) as bigint) as open_over_14_days,
        case when :from_load is not null then cast(coalesce(f.was_open, 0) as bigint) end
            as was_open,
        cast(f.median_days_to_resolve as double) as median_days_to_resolve,
        f.oldest_open_since
    from children c
    left join figures f on f.seq = c.seq
)

select
    r.seq,
    r.org_id,
    r.org_type,
    r.full_name,
    r.org_name,
    r.open,
    r.new,
    r.resolved,
    r.open_over_14_days,
    r.was_open,
    r.resolved / nullif(r.was_open, 0) as response_rate,
    r.median_days_to_resolve,
    r.oldest_open_since,
    date_diff('day', cast(r.oldest_open_since as date), cast(b.as_of as date))
        as oldest_open_days
from ranked r
cross join load_b b
order by response_rate asc nulls last, r.open_over_14_days desc, r.open desc, r.seq
