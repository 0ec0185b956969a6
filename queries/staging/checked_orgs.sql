-- checked_orgs: one row per raw organization row, typed, with its disposition:
-- 'loaded', 'merged' (identical to a loaded row), 'duplicate' or 'invalid' (both quarantined,
-- with `problem`). Grain: one row per row of raw_orgs. Parameters: none.
-- An organization whose parent is missing, quarantined, or part of a cycle is invalid: it
-- cannot be placed in the tree, and nor can anything under it.
with recursive raw as (
    select
        file_id, row_no,
        clean_text(org_id) as org_id,
        clean_text(parent_org_id) as parent_org_id,
        clean_text(org_type) as org_type_raw,
        clean_text(full_name) as full_name,
        clean_text(short_name) as short_name,
        clean_text(industry) as industry,
        clean_text(is_graduating) as is_graduating_raw,
        -- strlen (bytes, at hand) bounds length (characters, counted): only long cells are counted
        case when greatest(strlen(org_id), strlen(parent_org_id), strlen(org_type), strlen(full_name), strlen(short_name), strlen(industry), strlen(is_graduating)) > 500
            and greatest(length(org_id), length(parent_org_id), length(org_type), length(full_name), length(short_name), length(industry), length(is_graduating)) > 500
            then long_value_problem([{'c': '组织ID', 'v': org_id}, {'c': '上级组织ID', 'v': parent_org_id}, {'c': '组织类型', 'v': org_type}, {'c': '团组织全称', 'v': full_name}, {'c': '团组织简称', 'v': short_name}, {'c': '行业类别', 'v': industry}, {'c': '是否毕业班', 'v': is_graduating}]) end as long_value
    from raw_orgs
),

typed as (
    select
        *,
        cast(code_of('org_type', org_type_raw) as integer) as org_type,
        code_of('yes_no', is_graduating_raw) as is_graduating_code
    from raw
),

row_checked as (
    select
        *,
        case
            when long_value is not null then long_value
            when org_id is null
                then problem('组织ID', null, '缺少组织ID', 'missing organization id (组织ID)')
            when full_name is null
                then problem('团组织全称', null, '缺少团组织全称', 'missing full name (团组织全称)')
            when org_type_raw is null
                then problem('组织类型', null, '缺少组织类型', 'missing organization type (组织类型)')
            when org_type is null
                then problem('组织类型', org_type_raw, '未知的组织类型', 'unknown organization type')
            when is_graduating_raw is not null and is_graduating_code is null
                then problem('是否毕业班', is_graduating_raw, '是否毕业班应为“是”或“否”', '是否毕业班 must be 是 or 否')
        end as row_problem
    from typed
),

ranked as (
    select
        *,
        row_number() over (partition by org_id order by file_id, row_no) as rank_in_key,
        first_value(file_id) over (partition by org_id order by file_id, row_no) as kept_file_id,
        first_value(row_no) over (partition by org_id order by file_id, row_no) as kept_row_no,
        first_value(
            {'p': parent_org_id, 't': org_type, 'f': full_name, 's': coalesce(short_name, full_name),
             'i': industry, 'g': coalesce(is_graduating_code = '1', false)}
        ) over (partition by org_id order by file_id, row_no) as kept_values
    from row_checked
    where row_problem is null
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
            when p.org_id is null and r.parent_org_id not in (select org_id from row_checked where org_id is not null)
                then problem('上级组织ID', r.parent_org_id, '上级组织不存在', 'parent organization not found')
            when p.org_id is null
                then problem('上级组织ID', r.parent_org_id,
                    '上级组织未能导入或组织关系成环', 'parent organization was quarantined or forms a cycle')
        end as problem
    from ranked r
    left join placed p on p.org_id = r.org_id
    left join files kf on kf.file_id = r.kept_file_id
)

select
    t.file_id, t.row_no,
    t.org_id, t.parent_org_id, t.org_type, t.full_name, t.short_name, t.industry,
    coalesce(t.is_graduating_code = '1', false) as is_graduating,
    coalesce(d.disposition, 'invalid') as disposition,
    coalesce(t.row_problem, d.problem) as problem
from row_checked t
left join dispositions d on d.file_id = t.file_id and d.row_no = t.row_no
