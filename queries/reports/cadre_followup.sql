-- cadre_followup: what each organization's operator in one subtree must fix about its cadres
-- (from cadre_followup_items), a page at a time or whole for download (:limit null):
-- item_kind 'remove_out_of_scope', 'onboard_in_scope', 'add_cadre' or 'over_quota'; whom to
-- contact (contact_name, contact_mobile, contact_position; is_parent_contact when the
-- organization has no operator or 书记 and its parent's is given); action_zh/en; the person of a
-- record item (name, id_number, mobile: the app masks them; position, position_label,
-- wecom_status 1 是 / 2 已禁用 / 4 否, is_onboarded); rule_code (null for add_cadre and
-- over_quota) and explanation_zh/en filled in; seat_quota, seats_used, seats_out_of_scope for
-- over_quota. total_rows counts the items that pass the filters, before paging.
-- Sorting: :sort is 'org' (default, also for null or unknown values: tree order), 'kind'
-- (remove, onboard, add, over quota), 'name' (org_name), 'parent' (parent_name);
-- :descending reverses it; ties go by tree order, kind, position, id_number (ascending).
-- Filters: :item_kind (null: all), :name_filter (null or text contained in org_name or
-- parent_name). Paging: :limit rows after the first :offset (:limit null: all the rest).
-- Grain: one row per (organization, item) on the page, in the chosen order.
-- Parameters: :seq, :seq_last, :item_kind, :name_filter, :sort, :descending, :limit, :offset.
with settings as (
    select
        case when :sort in ('org', 'kind', 'name', 'parent')
             then cast(:sort as varchar) else 'org' end as sort_by,
        coalesce(cast(:descending as boolean), false) as is_descending,
        nullif(cast(:name_filter as varchar), '') as name_filter,
        nullif(cast(:item_kind as varchar), '') as kind_filter
),

chosen as (
    select
        i.item_no,
        s.is_descending,
        case s.sort_by when 'org' then i.item_no when 'kind' then i.kind_order end as number_key,
        case s.sort_by when 'name' then i.org_name when 'parent' then i.parent_name end
            as text_key
    from cadre_followup_items i
    cross join settings s
    where i.seq between :seq and :seq_last
      and (s.kind_filter is null or i.item_kind = s.kind_filter)
      and (s.name_filter is null
           or contains(i.org_name, s.name_filter)
           or contains(coalesce(i.parent_name, ''), s.name_filter))
),

-- Sorted and paged on narrow keys; the page's rows are fetched afterwards.
page as (
    -- counted apart: a window count would stop the top-N sort of the page
    select item_no, number_key, text_key, is_descending, n.total_rows
    from chosen
    cross join (select count(*) as total_rows from chosen) n
    order by
        case when not is_descending then number_key end asc nulls last,
        case when is_descending then number_key end desc nulls last,
        case when not is_descending then text_key end asc nulls last,
        case when is_descending then text_key end desc nulls last,
        item_no
    limit :limit
    offset :offset
)

select
    i.seq,
    i.org_id,
    i.org_name,
    i.parent_name,
    i.contact_name,
    i.contact_mobile,
    i.contact_position,
    i.is_parent_contact,
    i.item_kind,
    i.action_zh,
    i.action_en,
    i.name,
    i.id_number,
    i.mobile,
    i.position,
    i.position_label,
    i.wecom_status,
    i.is_onboarded,
    i.rule_code,
    i.explanation_zh,
    i.explanation_en,
    i.seat_quota,
    i.seats_used,
    i.seats_out_of_scope,
    p.total_rows
from page p
join cadre_followup_items i on i.item_no = p.item_no
where i.seq between :seq and :seq_last
order by
    case when not p.is_descending then p.number_key end asc nulls last,
    case when p.is_descending then p.number_key end desc nulls last,
    case when not p.is_descending then p.text_key end asc nulls last,
    case when p.is_descending then p.text_key end desc nulls last,
    p.item_no
