-- ranked_orgs: every raw organization row, typed and checked on its own (`row_problem`), and
-- for a row without problem its rank among the rows of its organization ID (the first row by
-- file and row is kept) with the kept row's place and values.
-- Grain: one row per row of raw_orgs. Parameters: none.
-- A table of its own so that checked_orgs' recursion reads a stored table: Spark runs a
-- recursive CTE one job per tree level and would compute this typing again in every one.
with raw as (
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
)

-- the window runs over the rows without problem only (partitioned apart from the others, whose
-- rank and kept values are null)
select
    *,
    case when row_problem is null then row_number() over clean_rows end as rank_in_key,
    case when row_problem is null then first_value(file_id) over clean_rows end as kept_file_id,
    case when row_problem is null then first_value(row_no) over clean_rows end as kept_row_no,
    case when row_problem is null then first_value(
        {'p': parent_org_id, 't': org_type, 'f': full_name, 's': coalesce(short_name, full_name),
         'i': industry, 'g': coalesce(is_graduating_code = '1', false)}
    ) over clean_rows end as kept_values
from row_checked
window clean_rows as (partition by row_problem is null, org_id order by file_id, row_no)
