-- checked_orgs: one row per raw organization row, typed, with its disposition:
-- 'loaded', 'merged' (identical to a loaded row), 'duplicate' or 'invalid' (both quarantined,
-- with `problem`). Grain: one row per row of raw_orgs. Parameters: none.
-- Each row comes typed and ranked from ranked_orgs.
-- An organization whose parent is missing, quarantined, or part of a cycle is invalid: it
-- cannot be placed in the tree, and nor can anything under it.
with recursive ranked as (
    select * from ranked_orgs where row_problem is null
),

kept as (
    select org_id, parent_org_id from ranked where rank_in_key = 1
),

reachable as (
    select org_id, 0 as depth from kept where parent_org_id is null
    union all
    select k.org_id, r.depth + 1
    from kept k
    join reachable r on k.parent_org_id = r.org_id
    -- nodes of a cycle are never reached from a root, so this ends; the bound is only a guard
    where r.depth < 10000
),

placed as (
    select distinct org_id from reachable
),

-- every 组织ID some row names, with or without a problem: a parent not among them is missing
-- (a join, not `not in (select …)`, which Spark runs as a nested loop: rows × rows)
named as (
    select distinct org_id from ranked_orgs where org_id is not null
),

dispositions as (
    select
        r.file_id, r.row_no,
        case
            when r.rank_in_key > 1
                and r.kept_values = {'p': r.parent_org_id, 't': r.org_type, 'f': r.full_name,
                                     's': coalesce(r.short_name, r.full_name), 'i': r.industry,
                                     'g': coalesce(r.is_graduating_code = '1', false)}
                then 'merged'
            when r.rank_in_key > 1 then 'duplicate'
            when p.org_id is null then 'invalid'
            else 'loaded'
        end as disposition,
        case
            when r.rank_in_key > 1 and r.kept_values = {'p': r.parent_org_id, 't': r.org_type,
                'f': r.full_name, 's': coalesce(r.short_name, r.full_name), 'i': r.industry,
                'g': coalesce(r.is_graduating_code = '1', false)}
                then null
            when r.rank_in_key > 1 then problem('组织ID', r.org_id,
                '重复的组织ID，' || kept_row_zh(kf.path, r.kept_row_no),
                'duplicate organization id; ' || kept_row_en(kf.path, r.kept_row_no))
            when p.org_id is null and r.parent_org_id is not null and n.org_id is null
                then problem('上级组织ID', r.parent_org_id, '上级组织不存在', 'parent organization not found')
            when p.org_id is null
                then problem('上级组织ID', r.parent_org_id,
                    '上级组织未能导入或组织关系成环', 'parent organization was quarantined or forms a cycle')
        end as problem
    from ranked r
    left join placed p on p.org_id = r.org_id
    left join named n on n.org_id = r.parent_org_id
    left join files kf on kf.file_id = r.kept_file_id
)

select
    t.file_id, t.row_no,
    t.org_id, t.parent_org_id, t.org_type, t.full_name, t.short_name, t.industry,
    coalesce(t.is_graduating_code = '1', false) as is_graduating,
    coalesce(d.disposition, 'invalid') as disposition,
    coalesce(t.row_problem, d.problem) as problem
from ranked_orgs t
left join dispositions d on d.file_id = t.file_id and d.row_no = t.row_no
