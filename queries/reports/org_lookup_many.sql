-- org_lookup_many: organizations by id, as org_lookup gives one, for many at once in one scan of
-- the tree (the alerts look up every subscription's organization and every owner's). :org_ids is
-- a list: bind it on a DuckDB connection, where a list binds as one DuckDB list value.
-- Grain: one row per loaded organization of :org_ids, ordered by seq. Parameters: :org_ids.
select seq, seq_last, org_id, parent_org_id, org_type, full_name, short_name, depth
from org_tree
where org_id in (select unnest(cast(:org_ids as varchar[])))
order by seq
