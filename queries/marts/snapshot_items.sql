-- snapshot_items: this load's open follow-up items (followup_items), dated, to append to
-- history_items, so that a later load can tell which were fixed (CONTRACT.md §4), and the
-- history archive keeps them beyond the database. open_since: when the item's run of
-- consecutive loads began: the previous load's open_since when the item was open in the
-- previous load (the load before this one in `loads`), else this load's as-of time.
-- Grain: one row per (kind, item_key) for the current load. Parameters: none (reads current_load).
with previous as (
    select max(load_id) as load_id
    from loads
    where load_id < (select load_id from current_load)
)

select
    l.load_id,
    l.as_of,
    f.kind,
    f.item_key,
    f.org_id,
    f.campaign,
    f.name,
    f.id_number,
    f.position,
    f.step,
    f.roster,
    f.approved,
    f.waiting_since,
    f.months_unpaid,
    f.amount_owed_yuan,
    coalesce(p.open_since, l.as_of) as open_since
from followup_items f
cross join current_load l
left join history_items p
    on p.load_id = (select load_id from previous)
   and p.kind = f.kind
   and p.item_key = f.item_key
order by f.kind, f.item_key
