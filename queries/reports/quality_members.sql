-- quality_members: the members failing data-quality checks in one organization's subtree, a
-- page at a time (the data-quality page's list and its download): one row per failed check, as
-- in member_checks (check_code, detail), with the member's name, 身份证号码 and mobile (the app
-- masks them), branch (团支部 full name) and the branch's parent's full name. total_rows counts
-- the rows that pass the filters, before paging.
-- Sorting: :sort is 'branch' (default, also for null or unknown values: tree order of the
-- branch), 'check' (check_code, member_checks.check_no: over_28,
-- under_14_at_joining, id_birth_mismatch, member_number_missing, member_number_year,
-- active_in_two_branches, dues_standard_mismatch), 'name' (member name), 'parent' (parent_name) or 'detail';
-- :descending reverses it; ties go by branch_seq, member_key, check_no (ascending).
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
        m.check_no,
        m.branch_seq,
        s.is_descending,
        case s.sort_by
            when 'branch' then m.branch_seq
            when 'check' then m.check_no
        end as number_key,
        case s.sort_by
            when 'name' then m.name
            when 'parent' then m.parent_name
            when 'detail' then m.detail
        end as text_key
    from member_checks m
    cross join settings s
    where m.branch_seq between :seq and :seq_last
      and (s.check_code is null or m.check_code = s.check_code)
      and (s.name_filter is null
           or contains(coalesce(m.name, ''), s.name_filter)
           or contains(m.branch_name, s.name_filter)
           or contains(coalesce(m.parent_name, ''), s.name_filter))
),

-- The page is chosen on the sort keys alone, then its rows are read whole: sorting every
-- row's names and details only to keep 50 costs ~5 times as much at 800,000 rows.
-- The total is counted apart: a window count over every row would stop the top-N sort of the
-- page (measured: most of the time at the root).
counted as (
    select count(*) as total_rows from listed
),

page as (
    select
        l.*,
        c.total_rows
    from listed l
    cross join counted c
    order by
        case when not is_descending then number_key end asc nulls last,
        case when is_descending then number_key end desc nulls last,
        case when not is_descending then text_key end asc nulls last,
        case when is_descending then text_key end desc nulls last,
        branch_seq,
        member_key,
        check_no
    limit :limit
    offset :offset
)

select
    m.member_key,
    m.name,
    m.id_number,
    m.mobile,
    m.branch_org_id,
    m.branch_name,
    m.parent_name,
    m.check_code,
    m.detail,
    p.total_rows
from page p
join member_checks m
  on m.member_key = p.member_key and m.check_no = p.check_no and m.branch_seq = p.branch_seq
where m.branch_seq between :seq and :seq_last
order by
    case when not p.is_descending then p.number_key end asc nulls last,
    case when p.is_descending then p.number_key end desc nulls last,
    case when not p.is_descending then p.text_key end asc nulls last,
    case when p.is_descending then p.text_key end desc nulls last,
    p.branch_seq,
    p.member_key,
    p.check_no
