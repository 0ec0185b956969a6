-- quarantine_rows: the latest load's quarantined rows, a page at a time (the data-quality page's
-- list and its download): file, row number, kind, the column at fault and its value (at most 200
-- characters; the app masks values of ID-number, mobile and name columns, so column_name is
-- given), the reason in Chinese and English as the quarantine states it (a duplicate names the
-- row kept) and grouped as in quarantine_by_reason (reason_group_zh). total_rows counts the rows
-- that pass the filters, before paging.
-- Sorting: :sort is 'file' (default, also for null or unknown values: path, then row_no),
-- 'reason' (reason_group_zh), 'kind' or 'column' (column_name); :descending reverses it; ties go
-- by path, row_no (ascending).
-- Filters: :reason (null: all; else a reason_zh of quarantine_by_reason), :kind (null: all),
-- :file_path (null: all; else a path exactly), :name_filter (null or text contained in the path,
-- column name, value or reason_zh).
-- Paging: :limit rows after the first :offset of that order (:limit null: all the rest).
-- Grain: one row per quarantined source row on the page, in the chosen order.
-- Parameters: :reason, :kind, :file_path, :name_filter, :sort, :descending, :limit, :offset.
with settings as (
    select
        case when :sort in ('file', 'reason', 'kind', 'column')
             then cast(:sort as varchar) else 'file' end as sort_by,
        coalesce(cast(:descending as boolean), false) as is_descending,
        nullif(cast(:reason as varchar), '') as reason,
        nullif(cast(:kind as varchar), '') as kind,
        nullif(cast(:file_path as varchar), '') as file_path,
        nullif(cast(:name_filter as varchar), '') as name_filter
),

listed as (
    select
        q.file_id,
        q.row_no,
        q.path,
        s.is_descending,
        case s.sort_by
            when 'reason' then reason_group_zh(q.reason_zh)
            when 'kind' then q.kind
            when 'column' then q.column_name
            when 'file' then q.path
        end as text_key,
        case when s.sort_by = 'file' then q.row_no end as number_key
    from quarantine q
    cross join settings s
    where (s.kind is null or q.kind = s.kind)
      and (s.file_path is null or q.path = s.file_path)
      and (s.reason is null or reason_group_zh(q.reason_zh) = s.reason)
      and (s.name_filter is null
           or contains(q.path, s.name_filter)
           or contains(coalesce(q.column_name, ''), s.name_filter)
           or contains(coalesce(q.value, ''), s.name_filter)
           or contains(q.reason_zh, s.name_filter))
),

-- The page is chosen on the sort keys alone, then its rows are read whole (a file's rows are
-- one kind, so file_id and row_no name a quarantined row).
page as (
    -- counted apart: a window count would stop the top-N sort of the page
    select
        l.*,
        n.total_rows
    from listed l
    cross join (select count(*) as total_rows from listed) n
    order by
        case when not is_descending then text_key end asc nulls last,
        case when is_descending then text_key end desc nulls last,
        case when not is_descending then number_key end asc nulls last,
        case when is_descending then number_key end desc nulls last,
        path,
        row_no,
        file_id
    limit :limit
    offset :offset
)

select
    q.path,
    q.row_no,
    q.kind,
    q.column_name,
    q.value,
    q.reason_zh,
    q.reason_en,
    reason_group_zh(q.reason_zh) as reason_group_zh,
    q.is_duplicate,
    q.file_id,
    p.total_rows
from page p
join quarantine q on q.file_id = p.file_id and q.row_no = p.row_no
order by
    case when not p.is_descending then p.text_key end asc nulls last,
    case when p.is_descending then p.text_key end desc nulls last,
    case when not p.is_descending then p.number_key end asc nulls last,
    case when p.is_descending then p.number_key end desc nulls last,
    p.path,
    p.row_no,
    p.file_id
