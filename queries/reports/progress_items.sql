-- progress_items: the follow-up items of one organization's subtree between two loads A
-- (:from_load, earlier; null when there is none) and B (:to_load), by CONTRACT.md §4: each item
-- open in B or in A, with its state:
--   is_open: open in B; is_new: open in B and not in A; is_resolved: open in A and not in B;
--   is_open_over_14_days: open in B and in every load from some load L to B whose as-of date is
--   at least 14 days before B's: its run of consecutive loads began (open_since, kept in
--   history_items by each load) on a date at least 14 days before B's.
-- open_since: the as-of time of the first load of the item's run (ending at B for open items,
-- containing A for resolved ones). resolved_at (resolved items): the as-of time of the first load
-- after that run, where it was first seen fixed; days_to_resolve: whole days from open_since to
-- resolved_at.
-- is_new and is_resolved are null when :from_load is null.
-- An item belongs to the organization it names in the load it is taken from (B for open items,
-- A for resolved ones), placed in the subtree by the latest load's tree (org_tree): an
-- organization no longer in the tree counts nowhere. The row carries that load's figures.
-- Grain: one row per (kind, item_key) open in B or resolved since A, in the subtree :seq ..
-- :seq_last, ordered by kind, item_key. Parameters: :seq, :seq_last, :from_load, :to_load.
with ordered_loads as (
    select load_id, as_of, row_number() over (order by load_id) as load_no
    from loads
    where load_id <= :to_load
),

load_b as (
    select load_id, as_of, load_no from ordered_loads where load_id = :to_load
),

load_a as (
    select load_id, as_of, load_no from ordered_loads where load_id = :from_load
),

in_subtree as (
    select org_id from org_tree where seq between :seq and :seq_last
),

open_b as (
    select h.*
    from history_items h
    where h.load_id = :to_load and h.org_id in (select org_id from in_subtree)
),

open_a as (
    select h.*
    from history_items h
    where h.load_id = :from_load
),

current_items as (
    select
        b.*,
        cast(null as timestamp) as resolved_at,
        true as is_open,
        case when :from_load is not null then a.item_key is null end as is_new,
        case when :from_load is not null then false end as is_resolved,
        cast(b.open_since as date) <= cast((select as_of from load_b) as date) - 14
            as is_open_over_14_days
    from open_b b
    left join open_a a on a.kind = b.kind and a.item_key = b.item_key
),

gone as (
    select a.*
    from open_a a
    where a.org_id in (select org_id from in_subtree)
      and not exists (
          select 1 from history_items b
          where b.load_id = :to_load and b.kind = a.kind and b.item_key = a.item_key
      )
),

-- where each fixed item's run, from A on, ended (islands over the loads A .. B)
runs as (
    select
        h.kind,
        h.item_key,
        l.load_no,
        l.load_no - row_number() over (partition by h.kind, h.item_key order by l.load_no)
            as island
    from history_items h
    join ordered_loads l on l.load_id = h.load_id
    where l.load_no >= (select load_no from load_a)
      and (h.kind, h.item_key) in (select (kind, item_key) from gone)
),

run_ends as (
    select kind, item_key, max(load_no) as last_no
    from runs
    group by kind, item_key, island
    having min(load_no) = (select load_no from load_a)
),

resolved_items as (
    select
        g.*,
        r.as_of as resolved_at,
        false as is_open,
        false as is_new,
        true as is_resolved,
        false as is_open_over_14_days
    from gone g
    join run_ends e on e.kind = g.kind and e.item_key = g.item_key
    join ordered_loads r on r.load_no = e.last_no + 1
)

select
    kind, item_key, org_id, campaign, name, id_number, position, step, roster, approved,
    waiting_since, months_unpaid, amount_owed_yuan, open_since, resolved_at,
    date_diff('day', cast(open_since as date), cast(resolved_at as date)) as days_to_resolve,
    is_open, is_new, is_resolved, is_open_over_14_days
from (
    select * from current_items
    union all by name
    select * from resolved_items
)
order by kind, item_key
