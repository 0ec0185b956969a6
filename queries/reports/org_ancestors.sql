-- org_ancestors: the breadcrumb of one organization: itself and every ancestor, root first.
-- Grain: one row per organization on the path from the root to :org_id.
-- Parameters: :org_id.
with path as (
    select unnest(ancestor_seqs) as seq
    from org_tree
    where org_id = :org_id
)

select t.seq, t.org_id, t.full_name, coalesce(t.short_name, t.full_name) as org_name, t.depth
from org_tree t
join path p on p.seq = t.seq
order by t.depth
