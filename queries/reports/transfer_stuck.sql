-- transfer_stuck: the pending transfers (status 1-4) touching one organization's subtree (sent
-- from it or bound for it) that have waited at their step more than :min_days days, one page at
-- a time (AG Grid's infinite row model). waiting_days = (as_of - waiting_since) in seconds
-- / 86400, a fraction (as_of from current_load). Organization names are full names; to_org_name
-- is the receiving organization's, or the name given for one outside the province; holder_name
-- is null when the holder is outside the tree. name and id_number are raw: the app masks them.
-- :name_filter (null: none) keeps the rows whose holder, sending or receiving organization name
-- contains it; letters match either case. total_rows counts all the rows kept, before paging.
-- :sort is one of 'days' (the default, also for null or any other value), 'created', 'step',
-- 'holder', 'from', 'to'; :descending (null: true) its direction; nulls last either way; ties by
-- transfer_id ascending.
-- Grain: one row per transfer; rows :offset + 1 .. :offset + :limit of that order.
-- Parameters: :seq, :seq_last, :min_days (null: no minimum), :name_filter, :sort, :descending,
-- :limit, :offset.
with load as (
    select as_of from current_load
),

settings as (
    select
        case when :sort in ('created', 'step', 'holder', 'from', 'to') then :sort else 'days' end
            as sort_key,
        coalesce(:descending, true) as descending,
        -- Lower-casing every name is slow; only a filter with letters in it needs it.
        lower(:name_filter) <> upper(:name_filter) as filter_has_letters
),

-- Sent from the subtree, then bound for it from outside: two scans rather than one filter with
-- `or`, so that each range filter reaches the scan (the mart is in from_seq order, so the first
-- skips most of it) and names are read only for the rows kept.
touching as (
    select * from transfer_steps
    where status between 1 and 4 and from_seq between :seq and :seq_last
    union all
    select * from transfer_steps
    where status between 1 and 4 and to_seq between :seq and :seq_last
      and (from_seq < :seq or from_seq > :seq_last)
),

pending as (
    select
        s.transfer_id,
        s.name,
        s.id_number,
        s.created_at,
        s.from_org_name,
        coalesce(s.to_org_name, s.to_outside_name) as to_org_name,
        s.step,
        s.holder_org_id,
        s.holder_name,
        s.waiting_since,
        (epoch(l.as_of) - epoch(s.waiting_since)) / 86400 as waiting_days
    from touching s
    cross join load l
),

kept as materialized (
    select p.*
    from pending p
    cross join settings x
    where (:min_days is null or p.waiting_days > :min_days)
      and (:name_filter is null
           or contains(p.holder_name, :name_filter)
           or contains(p.from_org_name, :name_filter)
           or contains(p.to_org_name, :name_filter)
           or (x.filter_has_letters
               and (contains(lower(p.holder_name), lower(:name_filter))
                    or contains(lower(p.from_org_name), lower(:name_filter))
                    or contains(lower(p.to_org_name), lower(:name_filter)))))
),

total as (
    select count(*) as total_rows from kept
)

select
    k.transfer_id,
    k.name,
    k.id_number,
    k.created_at,
    k.from_org_name,
    k.to_org_name,
    k.step,
    k.holder_org_id,
    k.holder_name,
    k.waiting_since,
    k.waiting_days,
    t.total_rows
from kept k
cross join total t
cross join settings x
order by
    case when x.sort_key = 'days' and x.descending then k.waiting_days end desc nulls last,
    case when x.sort_key = 'days' and not x.descending then k.waiting_days end asc nulls last,
    case when x.sort_key = 'created' and x.descending then k.created_at end desc nulls last,
    case when x.sort_key = 'created' and not x.descending then k.created_at end asc nulls last,
    case when x.sort_key = 'step' and x.descending then k.step end desc nulls last,
    case when x.sort_key = 'step' and not x.descending then k.step end asc nulls last,
    case when x.sort_key = 'holder' and x.descending then k.holder_name end desc nulls last,
    case when x.sort_key = 'holder' and not x.descending then k.holder_name end asc nulls last,
    case when x.sort_key = 'from' and x.descending then k.from_org_name end desc nulls last,
    case when x.sort_key = 'from' and not x.descending then k.from_org_name end asc nulls last,
    case when x.sort_key = 'to' and x.descending then k.to_org_name end desc nulls last,
    case when x.sort_key = 'to' and not x.descending then k.to_org_name end asc nulls last,
    k.transfer_id
limit :limit
offset :offset
