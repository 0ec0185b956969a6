-- progress_item_list: the follow-up items of one organization's subtree between loads A
-- (:from_load) and B (:to_load) in one of the progress page's lists, a page at a time (:limit
-- null: the whole list, for a download): :which 'resolved' (open in A, not in B), 'new' (open in
-- B, not in A), 'over_14_days' (open over 14 days) or 'open' (open in B); CONTRACT.md §4, the
-- states of progress_items. :states_kept true (the load kept the period from A to B, the latest)
-- reads progress_item_states; false computes the period through progress_items.
-- Each item carries its organization (org_name: 团组织全称, parent_name) and whom to contact
-- there (org_contacts: its operator, else its 书记, as branch_contacts chooses for branches;
-- null fields when it has neither). The item's figures are those of the load it is taken from (B for open items,
-- A for resolved ones): the person (name, id_number: the app masks them), position with its
-- labels, step, roster, approved, waiting_since, months_unpaid, amount_owed_yuan; open_since,
-- resolved_at, days_to_resolve; days_open (whole days from open_since to B's as-of date, or to
-- resolved_at for a resolved item). total_rows counts the items that pass the filters.
-- Sorting: :sort 'org' (default, also for null or unknown values: tree order, then the kinds'
-- order), 'kind' (the kinds' order, then tree order), 'open_since' (oldest first), 'days'
-- (days_open, fewest first); :descending reverses it (and its second key: the kinds' order for
-- 'org', tree order for 'kind'); further ties go by tree order, kind, item_key.
-- Filters: :kind (null: every kind), :name_filter (null or text contained in org_name).
-- Grain: one row per item on the page, in the chosen order. Parameters: :seq, :seq_last,
-- :from_load, :to_load, :states_kept, :which, :kind, :name_filter, :sort, :descending, :limit,
-- :offset.
with settings as (
    select
        case when :sort in ('org', 'kind', 'open_since', 'days')
             then cast(:sort as varchar) else 'org' end as sort_by,
        coalesce(cast(:descending as boolean), false) as is_descending
),

kinds as (
    select kind_order, kind from followup_kinds
),

load_b as (
    select as_of from loads where load_id = :to_load
),

-- The period computed from the items (only when it is not the one the load kept).
computed as (
    -- progress_item_states' rows, without its sort
    select t.seq, i.*
    from ({{progress_items}}) i
    join org_tree t on t.org_id = i.org_id
    where not cast(:states_kept as boolean)
),

-- The keys and sort keys of the subtree's items (narrow: the page's rows are fetched whole
-- afterwards), from the kept states or the computed period, whichever the period has.
candidates as (
    select seq, kind, null as item_key, open_since, resolved_at, rowid as state_row,
           is_resolved, is_new, is_open_over_14_days, is_open
    from progress_item_states
    where cast(:states_kept as boolean) and from_load is not distinct from :from_load
      and seq between :seq and :seq_last
    union all
    select seq, kind, item_key, open_since, resolved_at, null as state_row,
           is_resolved, is_new, is_open_over_14_days, is_open
    from computed
),

-- Those in the list; the filters are bound values, so they reach the table's scan.
states as (
    select seq, kind, item_key, open_since, resolved_at, state_row
    from candidates
    where case cast(:which as varchar)
              when 'resolved' then is_resolved
              when 'new' then is_new
              when 'over_14_days' then is_open_over_14_days
              when 'open' then is_open
              else false
          end
      and (nullif(cast(:kind as varchar), '') is null or kind = cast(:kind as varchar))
),

chosen as (
    select
        s.seq,
        s.kind,
        s.item_key,
        s.state_row,
        k.kind_order,
        date_diff('day', cast(s.open_since as date),
                  cast(coalesce(s.resolved_at, b.as_of) as date)) as days_open,
        x.is_descending,
        case x.sort_by
            when 'org' then s.seq
            when 'kind' then k.kind_order
            when 'open_since' then epoch(s.open_since)
            when 'days' then date_diff('day', cast(s.open_since as date),
                                       cast(coalesce(s.resolved_at, b.as_of) as date))
        end as number_key,
        case when x.sort_by = 'org' then k.kind_order
             when x.sort_by = 'kind' then s.seq end as number_key_2
    from states s
    join kinds k on k.kind = s.kind
    cross join load_b b
    cross join settings x
    where nullif(cast(:name_filter as varchar), '') is null or s.seq in (
        select seq from org_tree
        where seq between :seq and :seq_last
          and contains(full_name, cast(:name_filter as varchar)))
),

-- Sorted and paged on the keys; the page's rows, names and contacts are fetched afterwards.
page as (
    select c.*, n.total_rows
    from chosen c
    -- counted apart: a window count would stop the top-N sort of the page
    cross join (select count(*) as total_rows from chosen) n
    order by
        case when not c.is_descending then c.number_key end asc nulls last,
        case when c.is_descending then c.number_key end desc nulls last,
        case when not c.is_descending then c.number_key_2 end asc nulls last,
        case when c.is_descending then c.number_key_2 end desc nulls last,
        c.seq, c.kind_order, c.state_row, c.item_key
    limit :limit
    offset :offset
),

-- The page's items whole: from the kept table by row number (DuckDB's rowid, stable in the
-- read-only file; the table is in the order of seq, kind, item_key), which reads those rows
-- only; else from the computed period by key.
details as (
    select p.state_row, s.*
    from page p
    join progress_item_states s on s.rowid = p.state_row
    where cast(:states_kept as boolean)
    union all by name
    select null as state_row, c.*
    from page p
    join computed c on c.seq = p.seq and c.kind = p.kind and c.item_key = p.item_key
)

select
    d.kind,
    d.item_key,
    d.seq,
    d.org_id,
    t.org_type,
    t.full_name as org_name,
    o.full_name as parent_name,
    c.contact_name,
    c.contact_mobile,
    c.contact_position,
    d.campaign,
    d.name,
    d.id_number,
    d.position,
    l.label_zh as position_label_zh,
    l.label_en as position_label_en,
    d.step,
    d.roster,
    d.approved,
    d.waiting_since,
    d.months_unpaid,
    d.amount_owed_yuan,
    d.open_since,
    d.resolved_at,
    d.days_to_resolve,
    p.days_open,
    d.is_new,
    p.total_rows
from page p
join details d on d.seq = p.seq and d.kind = p.kind
                and (d.state_row = p.state_row or d.item_key = p.item_key)
join org_tree t on t.seq = p.seq
-- the parent and the contact by seq (the parent's is the last but one of ancestor_seqs): joins
-- on the tree's integer order read only the page's part of those tables, not all of them
left join org_tree o on o.seq = t.ancestor_seqs[-2]
left join org_contacts c on c.seq = p.seq
left join cadre_positions l on l.position = d.position
order by
    case when not p.is_descending then p.number_key end asc nulls last,
    case when p.is_descending then p.number_key end desc nulls last,
    case when not p.is_descending then p.number_key_2 end asc nulls last,
    case when p.is_descending then p.number_key_2 end desc nulls last,
    p.seq, p.kind_order, p.state_row, p.item_key
