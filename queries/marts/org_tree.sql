-- org_tree: every loaded organization placed in its tree, numbered in tree order (pre-order,
-- siblings by full name) so that a subtree is the contiguous range seq .. seq_last.
-- Grain: one row per organization. Parameters: none.
with recursive walk as (
    select
        org_id, parent_org_id, org_type, full_name, short_name,
        0 as depth,
        [org_id] as ancestor_ids,
        [full_name || chr(1) || org_id] as sort_path
    from stg_orgs
    where parent_org_id is null
    union all
    select
        o.org_id, o.parent_org_id, o.org_type, o.full_name, o.short_name,
        w.depth + 1,
        list_append(w.ancestor_ids, o.org_id),
        list_append(w.sort_path, o.full_name || chr(1) || o.org_id)
    from stg_orgs o
    join walk w on o.parent_org_id = w.org_id
    where w.depth < 64
),

numbered as (
    select *, row_number() over (order by sort_path) as seq
    from walk
),

sizes as (
    select u.org_id, count(*) as subtree_size
    from (select unnest(ancestor_ids) as org_id from numbered) u
    group by u.org_id
),

seqs as (
    select p.org_id, list(a.seq order by a.depth) as ancestor_seqs
    from (select org_id, unnest(ancestor_ids) as ancestor_id from numbered) p
    join numbered a on a.org_id = p.ancestor_id
    group by p.org_id
)

select
    n.seq,
    n.seq + s.subtree_size - 1 as seq_last,
    n.org_id,
    n.parent_org_id,
    n.org_type,
    n.org_type = 5 as is_branch,
    n.full_name,
    n.short_name,
    n.depth,
    n.ancestor_ids,
    q.ancestor_seqs,
    n.ancestor_ids[1] as root_org_id
from numbered n
join sizes s on s.org_id = n.org_id
join seqs q on q.org_id = n.org_id
order by n.seq
