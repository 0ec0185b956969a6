-- progress_summary: per kind of follow-up item, how one organization's subtree fared between
-- loads A (:from_load, earlier; null when there is none) and B (:to_load): open (in B), new,
-- resolved, open over 14 days (CONTRACT.md §4, as progress_counts), was_open (open in A and
-- counted here: resolved, or still open and not new), median_days_to_resolve (over the resolved
-- items) and oldest_open_since (of the items still open), as org_rollup_progress has them.
-- :is_kept true says that A is the load before B and B the latest: the period the load kept, read
-- from org_rollup_progress (the organization's own rows); false computes the period through
-- progress_items. new, resolved and was_open are null when :from_load is null. Every kind has a
-- row (0 when it has no item).
-- Grain: one row per kind, in the contract's order. Parameters: :seq, :seq_last, :from_load,
-- :to_load, :is_kept.
with kinds as (
    select kind_order, kind from followup_kinds
),

kept as (
    select
        kind, open, new, resolved, open_over_14_days, was_open, median_days_to_resolve,
        oldest_open_since
    from org_rollup_progress
    where cast(:is_kept as boolean) and seq = :seq
),

items as (
    select *
    from ({{progress_items}})
    where not cast(:is_kept as boolean)
),

computed as (
    select
        kind,
        count(*) filter (where is_open) as open,
        count(*) filter (where is_new) as new,
        count(*) filter (where is_resolved) as resolved,
        count(*) filter (where is_open_over_14_days) as open_over_14_days,
        count(*) filter (where is_resolved or (is_open and not is_new)) as was_open,
        median(days_to_resolve) filter (where is_resolved) as median_days_to_resolve,
        min(open_since) filter (where is_open) as oldest_open_since
    from items
    group by kind
),

figures as (
    select * from kept
    union all by name
    select * from computed
)

select
    k.kind,
    cast(coalesce(f.open, 0) as bigint) as open,
    case when :from_load is not null then cast(coalesce(f.new, 0) as bigint) end as new,
    case when :from_load is not null then cast(coalesce(f.resolved, 0) as bigint) end
        as resolved,
    cast(coalesce(f.open_over_14_days, 0) as bigint) as open_over_14_days,
    case when :from_load is not null then cast(coalesce(f.was_open, 0) as bigint) end
        as was_open,
    cast(f.median_days_to_resolve as double) as median_days_to_resolve,
    f.oldest_open_since
from kinds k
left join figures f on f.kind = k.kind
order by k.kind_order
