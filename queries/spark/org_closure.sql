-- org_closure for Spark: DuckDB unnests three lists side by side in one select; Spark allows one
-- generator per select, so the ancestors are exploded with their position and the sequence
-- numbers taken by it. Same rows as queries/marts/org_closure.sql.
-- Grain: one row per (ancestor_org_id, org_id), as queries/marts/org_closure.sql.
with pairs as (
    select
        org_id,
        seq,
        depth,
        a.col as ancestor_org_id,
        element_at(ancestor_seqs, a.pos + 1) as ancestor_seq,
        a.pos as ancestor_depth
    from org_tree
    lateral view posexplode(ancestor_ids) a as pos, col
)

select
    ancestor_org_id,
    ancestor_seq,
    org_id,
    seq,
    depth - ancestor_depth as distance
from pairs
