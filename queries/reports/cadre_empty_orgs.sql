-- cadre_empty_orgs: the organizations of one subtree that lack people, a page at a time (from
-- the mart cadre_org_gaps): kind 'no_cadre' (a 团支部 with no cadre record: 无团干团支部),
-- 'hollow_committee' (not a 团支部, and no organization under it: 空心团委), 'hollow_branch' (a
-- 团支部 with fewer than 3 active members: 空心团支部). A branch may be listed under two kinds.
-- members is the organization's own active members (团籍状态 正常; 0 for a committee).
-- total_rows counts the rows that pass the filters, before paging.
-- Sorting: :sort is 'org' (default, also for null or unknown values: tree order, then kind),
-- 'kind' (no_cadre, hollow_committee, hollow_branch), 'members', 'name' (full_name), 'parent'
-- (parent_name); :descending reverses it; ties go by tree order, then kind.
-- Filters: :kind (null: all), :name_filter (null or text contained in full_name or
-- parent_name). Paging: :limit rows after the first :offset (:limit null: all the rest).
-- Grain: one row per (organization, kind) on the page, in the chosen order.
-- Parameters: :seq, :seq_last, :kind, :name_filter, :sort, :descending, :limit, :offset.
with settings as (
    select
        case when :sort in ('org', 'kind', 'members', 'name', 'parent')
             then cast(:sort as varchar) else 'org' end as sort_by,
        coalesce(cast(:descending as boolean), false) as is_descending,
        nullif(cast(:name_filter as varchar), '') as name_filter,
        nullif(cast(:kind as varchar), '') as kind_filter
),

chosen as (
    select
        g.gap_no,
        s.is_descending,
        case s.sort_by
            when 'org' then g.gap_no
            when 'kind' then g.kind_order
            when 'members' then g.members
        end as number_key,
        case s.sort_by when 'name' then g.full_name when 'parent' then g.parent_name end
            as text_key
    from cadre_org_gaps g
    cross join settings s
    where g.seq between :seq and :seq_last
      and (s.kind_filter is null or g.kind = s.kind_filter)
      and (s.name_filter is null
           or contains(g.full_name, s.name_filter)
           or contains(coalesce(g.parent_name, ''), s.name_filter))
),

-- Sorted and paged on narrow keys; the page's rows are fetched afterwards.
page as (
    -- counted apart: a window count would stop the top-N sort of the page
    select gap_no, number_key, text_key, is_descending, n.total_rows
    from chosen
    cross join (select count(*) as total_rows from chosen) n
    order by
        case when not is_descending then number_key end asc nulls last,
        case when is_descending then number_key end desc nulls last,
        case when not is_descending then text_key end asc nulls last,
        case when is_descending then text_key end desc nulls last,
        gap_no
    limit :limit
    offset :offset
)

select
    g.seq,
    g.org_id,
    g.org_type,
    g.full_name,
    g.parent_name,
    g.kind,
    g.members,
    p.total_rows
from page p
join cadre_org_gaps g on g.gap_no = p.gap_no
where g.seq between :seq and :seq_last
order by
    case when not p.is_descending then p.number_key end asc nulls last,
    case when p.is_descending then p.number_key end desc nulls last,
    case when not p.is_descending then p.text_key end asc nulls last,
    case when p.is_descending then p.text_key end desc nulls last,
    p.gap_no
