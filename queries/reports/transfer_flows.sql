-- transfer_flows: where the transfers touching one organization's subtree (sent from it or bound
-- for it) go, between nodes, for a Sankey diagram. Counted: pending and completed transfers
-- (status 1-5), the moves that are happening or happened; withdrawn and returned ones moved
-- nobody.
-- Each end becomes a node. Inside the subtree: the child of the organization it lies under, or
-- the organization itself when the end is exactly it (key 'inside:<org_id>'). Outside: the end's
-- ancestor just below the lowest common ancestor of the end and the organization (a sibling of
-- the organization or of one of its ancestors: for a city, another city; for a county, another
-- county of the same city, or another city), or the end's root when it lies in another tree (key
-- 'outside:<org_id>'). An end outside the province (to_org_id null) is the one node
-- 'province:outside', named 省外.
-- The node of an end with path A (ancestor seqs, root first) is A[k + 1], or A[k] when the path
-- ends there, where k is the number of elements A shares with the organization's path P (in a
-- tree, exactly their first k): len(P) for an end inside, else len(list_intersect(A, P)).
-- Names: short name, else full name.
-- Transfers whose two ends fall in the same node (a move inside one child) are no flow between
-- nodes and are left out.
-- Grain: one row per (source node, target node); the top :limit by transfers desc, then
-- source_key, then target_key. Parameters: :seq, :seq_last (the organization's range), :limit.
with selected as (
    select ancestor_seqs as path, len(ancestor_seqs) as path_len
    from org_tree
    where seq = :seq
),

-- Sent from the subtree, then bound for it from outside: two scans rather than one filter with
-- `or`, so that each range filter reaches the scan (the mart is in from_seq order) and paths
-- are read only for the rows kept.
touching as (
    select * from transfer_steps
    where status between 1 and 5 and from_seq between :seq and :seq_last
    union all
    select * from transfer_steps
    where status between 1 and 5 and to_seq between :seq and :seq_last
      and (from_seq < :seq or from_seq > :seq_last)
),

moves as (
    select
        s.from_path,
        s.to_path,
        s.from_seq between :seq and :seq_last as source_inside,
        coalesce(s.to_seq between :seq and :seq_last, false) as target_inside,
        x.path,
        x.path_len
    from touching s
    cross join selected x
),

shared as (
    select
        from_path,
        to_path,
        source_inside,
        target_inside,
        -- list_intersect is the costly part: only ends outside need it.
        case when source_inside then path_len
             else len(list_intersect(from_path, path)) end as from_shared,
        case when target_inside then path_len
             else len(list_intersect(to_path, path)) end as to_shared
    from moves
),

pairs as (
    select
        coalesce(from_path[from_shared + 1], from_path[from_shared]) as source_seq,
        source_inside,
        coalesce(to_path[to_shared + 1], to_path[to_shared]) as target_seq,
        target_inside,
        count(*) as transfers
    from shared
    group by all
    having source_seq is distinct from target_seq
),

nodes as (
    select seq, org_id, coalesce(short_name, full_name) as org_name
    from org_tree
    where seq in (select source_seq from pairs union select target_seq from pairs)
),

named as (
    select
        case when p.source_inside then 'inside:' else 'outside:' end || s.org_id as source_key,
        s.org_name as source_name,
        p.source_inside,
        case
            when p.target_seq is null then 'province:outside'
            when p.target_inside then 'inside:' || t.org_id
            else 'outside:' || t.org_id
        end as target_key,
        coalesce(t.org_name, '省外') as target_name,
        p.target_inside,
        p.transfers
    from pairs p
    join nodes s on s.seq = p.source_seq
    left join nodes t on t.seq = p.target_seq
)

select source_key, source_name, source_inside, target_key, target_name, target_inside, transfers
from named
order by transfers desc, source_key, target_key
limit :limit
