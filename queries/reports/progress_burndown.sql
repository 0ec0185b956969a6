-- progress_burndown: the follow-up items open in one organization's subtree in each load from A
-- (:from_load; null: B alone) to B (:to_load), per kind, from history_item_counts (items placed
-- by the latest load's tree): the progress page's burn-down. Every load of the period has a row
-- for every kind (0 when none was open).
-- Grain: one row per (load from A to B, kind), ordered by load_id, then the contract's order of
-- kinds. Parameters: :seq, :seq_last, :from_load, :to_load.
with kinds as (
    select kind_order, kind from followup_kinds
),

period as (
    select load_id, as_of
    from loads
    where load_id between coalesce(:from_load, :to_load) and :to_load
),

counts as (
    select load_id, kind, sum(open) as open
    from history_item_counts
    where load_id between coalesce(:from_load, :to_load) and :to_load
      and seq between :seq and :seq_last
    group by load_id, kind
)

select
    p.load_id,
    p.as_of,
    k.kind,
    cast(coalesce(c.open, 0) as bigint) as open
from period p
cross join kinds k
left join counts c on c.load_id = p.load_id and c.kind = k.kind
order by p.load_id, k.kind_order
