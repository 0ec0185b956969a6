-- org_closure: every (ancestor, descendant) pair of the tree, an organization being its own
-- ancestor at distance 0, by id and by tree position. Joining facts to it rolls them up to
-- every level at once. Grain: one row per (ancestor_org_id, org_id). Parameters: none.
with pairs as (
    select
        org_id,
        seq,
        depth,
        unnest(ancestor_ids) as ancestor_org_id,
        unnest(ancestor_seqs) as ancestor_seq,
        unnest(range(len(ancestor_ids))) as ancestor_depth
    from org_tree
)

select
    ancestor_org_id,
    ancestor_seq,
    org_id,
    seq,
    depth - ancestor_depth as distance
from pairs
