-- snapshot_items: this load's open follow-up items (followup_items), dated, to append to
-- history_items, so that a later load can tell which were fixed (CONTRACT.md §4), and the
-- history archive keeps them beyond the database.
-- Grain: one row per (kind, item_key) for the current load. Parameters: none (reads current_load).
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
    f.amount_owed_yuan
from followup_items f
cross join current_load l
order by f.kind, f.item_key
