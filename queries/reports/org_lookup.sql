-- org_lookup: one organization by id: its place in the tree (seq .. seq_last) and names.
-- Grain: one row, or none when :org_id is not loaded. Parameters: :org_id.
select seq, seq_last, org_id, parent_org_id, org_type, full_name, short_name, depth
from org_tree
where org_id = :org_id
