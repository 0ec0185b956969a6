-- progress_counts: per kind of follow-up item, for one organization's subtree between loads A
-- (:from_load, null when none) and B (:to_load): open (in B), new, resolved, open over 14 days
-- (CONTRACT.md §4; the states are progress_items'). new and resolved are null when :from_load
-- is null. Every kind has a row, 0 when it has no item.
-- Grain: one row per kind, in the contract's order. Parameters: :seq, :seq_last, :from_load,
-- :to_load.
with kinds as (
    select kind_order, kind from followup_kinds
),

items as (
    {{progress_items}}
),

counts as (
    select
        kind,
        count(*) filter (where is_open) as open,
        count(*) filter (where is_new) as new,
        count(*) filter (where is_resolved) as resolved,
        count(*) filter (where is_open_over_14_days) as open_over_14_days
    from items
    group by kind
)

select
    k.kind,
    cast(coalesce(c.open, 0) as bigint) as open,
    case when :from_load is not null then cast(coalesce(c.new, 0) as bigint) end as new,
    case when :from_load is not null then cast(coalesce(c.resolved, 0) as bigint) end as resolved,
    cast(coalesce(c.open_over_14_days, 0) as bigint) as open_over_14_days
from kinds k
left join counts c on c.kind = k.kind
order by k.kind_order
