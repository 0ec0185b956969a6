-- cadre_detections: the out-of-scope cadre records of one organization's subtree, a page at a
-- time (from cadre_findings): the organization (org_name: 团组织全称, parent_name), the person
-- (name, id_number, mobile: the app masks them), position (code word) and position_label
-- (Chinese), wecom_status (1 是, 2 已禁用, 4 否), is_onboarded, is_operator, the rule broken
-- (rule_code) and its explanation in Chinese and English with the position filled in.
-- total_rows counts the records that pass the filters, before paging.
-- Sorting: :sort is 'org' (default, also for null or unknown values: tree order), 'name'
-- (org_name), 'parent' (parent_name), 'position' (position display order), 'rule'
-- (rule_code), 'onboarded' (onboarded records first); :descending reverses it; ties go by tree
-- order, position, id_number (ascending).
-- Filters: :rule_code (null: all), :name_filter (null or text contained in org_name or
-- parent_name). Paging: :limit rows after the first :offset (:limit null: all the rest).
-- Grain: one row per out-of-scope cadre record on the page, in the chosen order.
-- Parameters: :seq, :seq_last, :rule_code, :name_filter, :sort, :descending, :limit, :offset.
with settings as (
    select
        case when :sort in ('org', 'name', 'parent', 'position', 'rule', 'onboarded')
             then cast(:sort as varchar) else 'org' end as sort_by,
        coalesce(cast(:descending as boolean), false) as is_descending,
        nullif(cast(:name_filter as varchar), '') as name_filter,
        nullif(cast(:rule_code as varchar), '') as rule_filter
),

chosen as (
    select
        f.finding_no,
        s.is_descending,
        case s.sort_by
            when 'org' then f.finding_no
            when 'position' then f.position_order
            when 'onboarded' then case when f.is_onboarded then 0 else 1 end
        end as number_key,
        case s.sort_by
            when 'name' then f.org_name
            when 'parent' then f.parent_name
            when 'rule' then f.rule_code
        end as text_key
    from cadre_findings f
    cross join settings s
    where f.seq between :seq and :seq_last
      and (s.rule_filter is null or f.rule_code = s.rule_filter)
      and (s.name_filter is null
           or contains(f.org_name, s.name_filter)
           or contains(coalesce(f.parent_name, ''), s.name_filter))
),

-- Sorted and paged on narrow keys; the page's rows are fetched afterwards.
page as (
    -- counted apart: a window count would stop the top-N sort of the page
    select finding_no, number_key, text_key, is_descending, n.total_rows
    from chosen
    cross join (select count(*) as total_rows from chosen) n
    order by
        case when not is_descending then number_key end asc nulls last,
        case when is_descending then number_key end desc nulls last,
        case when not is_descending then text_key end asc nulls last,
        case when is_descending then text_key end desc nulls last,
        finding_no
    limit :limit
    offset :offset
)

select
    f.seq,
    f.org_id,
    f.org_name,
    f.parent_name,
    f.name,
    f.id_number,
    f.mobile,
    f.position,
    f.position_label,
    f.wecom_status,
    f.is_onboarded,
    f.is_operator,
    f.rule_code,
    f.explanation_zh,
    f.explanation_en,
    p.total_rows
from page p
join cadre_findings f on f.finding_no = p.finding_no
where f.seq between :seq and :seq_last
order by
    case when not p.is_descending then p.number_key end asc nulls last,
    case when p.is_descending then p.number_key end desc nulls last,
    case when not p.is_descending then p.text_key end asc nulls last,
    case when p.is_descending then p.text_key end desc nulls last,
    p.finding_no
