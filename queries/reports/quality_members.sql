-- quality_members: the members failing data-quality checks in one organization's subtree, a
-- page at a time (the data-quality page's list and its download): one row per failed check, as
-- in member_checks (check_code, detail), with the member's name, 身份证号码 and mobile (the app
-- masks them), branch (团支部 full name) and the branch's parent's full name. total_rows counts
-- the rows that pass the filters, before paging.
-- Sorting: :sort is 'branch' (default, also for null or unknown values: tree order of the
-- branch), 'check' (check_code), 'name' (member name), 'parent' (parent_name) or 'detail';
-- :descending reverses it; ties go by branch_seq, member_key, check_code (ascending).
-- Filters: :check_code (null: every check), :name_filter (null or text contained in the member's
-- name, branch_name or parent_name).
-- Paging: :limit rows after the first :offset of that order (:limit null: all the rest).
-- Grain: one row per (member, failed check) on the page, in the chosen order.
-- Parameters: :seq, :seq_last, :check_code, :sort, :descending, :name_filter, :limit, :offset.
with settings as (
    select
        case when :sort in ('branch', 'check', 'name', 'parent', 'detail')
             then cast(:sort as varchar) else 'branch' end as sort_by,
        coalesce(cast(:descending as boolean), false) as is_descending,
        nullif(cast(:check_code as varchar), '') as check_code,
        nullif(cast(:name_filter as varchar), '') as name_filter
),

listed as (
    select
        m.member_key,
        m.name,
        m.id_number,
        m.mobile,
        m.branch_org_id,
        m.branch_seq,
        b.full_name as branch_name,
        p.full_name as parent_name,
        m.check_code,
        m.detail
    from member_checks m
    cross join settings s
    join org_tree b on b.seq = m.branch_seq
    left join org_tree p on p.org_id = b.parent_org_id
    where m.branch_seq between :seq and :seq_last
      and b.seq between :seq and :seq_last
      and (s.check_code is null or m.check_code = s.check_code)
),

chosen as (
    select
        l.*,
        s.is_descending,
        case s.sort_by
            when 'check' then l.check_code
            when 'name' then l.name
            when 'parent' then l.parent_name
            when 'detail' then l.detail
        end as text_key,
        case when s.sort_by = 'branch' then l.branch_seq end as number_key
    from listed l
    cross join settings s
    where s.name_filter is null
       or contains(coalesce(l.name, ''), s.name_filter)
       or contains(l.branch_name, s.name_filter)
       or contains(coalesce(l.parent_name, ''), s.name_filter)
)

select
    member_key,
    name,
    id_number,
    mobile,
    branch_org_id,
    branch_name,
    parent_name,
    check_code,
    detail,
    count(*) over () as total_rows
from chosen
order by
    case when not is_descending then number_key end asc nulls last,
    case when is_descending then number_key end desc nulls last,
    case when not is_descending then text_key end asc nulls last,
    case when is_descending then text_key end desc nulls last,
    branch_seq,
    member_key,
    check_code
limit :limit
offset :offset
