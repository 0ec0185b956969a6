-- history_item_counts: how many follow-up items each organization had open in each load of the
-- history (history_items), per kind, placed by the latest load's tree (org_tree: an organization
-- no longer in the tree counts nowhere, as in progress_items). A subtree's open items in a load
-- are the sum over its range of seq: the progress page's burn-down reads it (progress_burndown)
-- rather than counting the items of every load.
-- Grain: one row per (load, organization with an item open in that load, kind), ordered by
-- load_id, seq, kind. Parameters: none.
select
    h.load_id,
    h.as_of,
    t.seq,
    h.kind,
    count(*) as open
from history_items h
join org_tree t on t.org_id = h.org_id
group by h.load_id, h.as_of, t.seq, h.kind
order by h.load_id, t.seq, h.kind
