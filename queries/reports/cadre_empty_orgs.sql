-- cadre_empty_orgs: the organizations of one subtree that lack people, a page at a time (from
-- org_rollup_cadres): kind 'no_cadre' (a 团支部 with no cadre record: 无团干团支部),
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

flagged as (
    select seq, own_members_active, is_without_cadre, is_hollow_committee, is_hollow_branch
    from org_rollup_cadres
    where seq between :seq and :seq_last
      and (is_without_cadre or is_hollow_committee or is_hollow_branch)
),

kinds as (
    select seq, own_members_active as members, 'no_cadre' as kind, 1 as kind_order
    from flagged where is_without_cadre
    union all
    select seq, own_members_active, 'hollow_committee', 2
    from flagged where is_hollow_committee
    union all
    select seq, own_members_active, 'hollow_branch', 3
    from flagged where is_hollow_branch
),

named as (
    select
        k.seq, t.org_id, t.org_type, t.full_name, p.full_name as parent_name, k.kind,
        k.kind_order, k.members
    from kinds k
    join org_tree t on t.seq = k.seq
    left join org_tree p on p.org_id = t.parent_org_id
    where t.seq between :seq and :seq_last
),

chosen as (
    select
        n.*,
        s.is_descending,
        case s.sort_by
            when 'org' then n.seq
            when 'kind' then n.kind_order
            when 'members' then n.members
        end as number_key,
        case s.sort_by when 'name' then n.full_name when 'parent' then n.parent_name end
            as text_key
    from named n
    cross join settings s
    where (s.kind_filter is null or n.kind = s.kind_filter)
      and (s.name_filter is null
           or contains(n.full_name, s.name_filter)
           or contains(coalesce(n.parent_name, ''), s.name_filter))
)

select
    seq,
    org_id,
    org_type,
    full_name,
    parent_name,
    kind,
    members,
    count(*) over () as total_rows
from chosen
order by
    case when not is_descending then number_key end asc nulls last,
    case when is_descending then number_key end desc nulls last,
    case when not is_descending then text_key end asc nulls last,
    case when is_descending then text_key end desc nulls last,
    seq,
    kind_order
limit :limit
offset :offset
