-- org_rollup_progress: how each organization's subtree responds to its follow-up items between
-- the previous load and this one (progress_item_states), per kind: open, new, resolved, open
-- over 14 days (CONTRACT.md §4), was_open (items open in the previous load that count here:
-- resolved, or still open and not new), median_days_to_resolve (over the resolved items),
-- oldest_open_since (the earliest open_since of an item still open). new and resolved are null
-- on a first load.
-- Grain: one row per (organization with an item in its subtree, kind), ordered by seq, kind.
-- Parameters: none.
with by_ancestor as (
    select cl.ancestor_seq as seq, cl.ancestor_org_id as org_id, s.*
    from progress_item_states s
    join org_closure cl on cl.org_id = s.org_id
    where s.is_default_period
),

has_previous as (
    select count(*) > 1 as yes from loads
)

select
    a.seq,
    a.org_id,
    a.kind,
    count(*) filter (where a.is_open) as open,
    case when (select yes from has_previous)
         then count(*) filter (where a.is_new) end as new,
    case when (select yes from has_previous)
         then count(*) filter (where a.is_resolved) end as resolved,
    count(*) filter (where a.is_open_over_14_days) as open_over_14_days,
    case when (select yes from has_previous)
         then count(*) filter (where a.is_resolved or (a.is_open and not a.is_new)) end
        as was_open,
    median(a.days_to_resolve) filter (where a.is_resolved) as median_days_to_resolve,
    min(a.open_since) filter (where a.is_open) as oldest_open_since
from by_ancestor a
group by a.seq, a.org_id, a.kind
order by a.seq, a.kind
