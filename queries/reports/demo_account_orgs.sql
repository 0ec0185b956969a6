-- demo_account_orgs: the organizations of `make demo`'s accounts: the college (团总支 directly
-- under a 团委) with the most active members (a college operator), the root above it (a province
-- admin; the first root when there is no college), and that college's branch with the most
-- active members (a branch viewer).
-- Grain: one row per demo role, admin then operator then viewer; no operator or viewer row when
-- the tree has no such college or branch. Parameters: none.
with college as (
    select t.seq, t.seq_last, t.org_id, t.full_name
    from org_tree t
    join org_tree p on p.org_id = t.parent_org_id
    join org_rollup r on r.seq = t.seq
    where t.org_type = 4 and p.org_type = 2
    order by r.members_active desc, t.seq
    limit 1
),

root as (
    select t.org_id, t.full_name
    from org_tree t
    left join college c on c.seq between t.seq and t.seq_last
    where t.depth = 0
    order by c.org_id is null, t.seq
    limit 1
),

branch as (
    select t.org_id, t.full_name
    from org_tree t
    join college c on t.seq between c.seq and c.seq_last
    join org_rollup r on r.seq = t.seq
    where t.org_type = 5
    order by r.members_active desc, t.seq
    limit 1
),

picked as (
    select 1 as ord, 'admin' as role, org_id, full_name from root
    union all
    select 2, 'operator', org_id, full_name from college
    union all
    select 3, 'viewer', org_id, full_name from branch
)

select role, org_id, full_name
from picked
order by ord
