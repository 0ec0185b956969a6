-- tree_range: the whole loaded tree as one range (all roots), the scope of a search that is not
-- limited to one organization. Grain: one row. Parameters: none.
select min(seq) as seq, max(seq_last) as seq_last
from org_tree
