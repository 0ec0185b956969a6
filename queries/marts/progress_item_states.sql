-- progress_item_states: progress_items for the whole tree between an earlier load (A) and this
-- one (B), kept so that pages read it without recomputing the runs: the load builds it for the
-- previous load (the progress page's default period, is_default_period) and appends it for each
-- of a few loads before that (etl/history.py KEPT_PERIODS), one period after another. Each item
-- carries its organization's seq (tree order) and its period's start (from_load).
-- Grain: one row per (kind, item_key) open in B or resolved since A, ordered by seq, kind,
-- item_key within its period. Parameters: :seq, :seq_last (the whole tree), :from_load (null on
-- a first load), :is_default_period, :to_load: bound by etl/history.py after the load is
-- recorded.
select
    cast(:from_load as bigint) as from_load,
    cast(:is_default_period as boolean) as is_default_period,
    t.seq,
    i.kind, i.item_key, i.org_id, i.campaign, i.name, i.id_number, i.position, i.step,
    i.roster, i.approved, i.waiting_since, i.months_unpaid, i.amount_owed_yuan, i.open_since,
    i.resolved_at, i.days_to_resolve, i.is_open, i.is_new, i.is_resolved, i.is_open_over_14_days
from ({{progress_items}}) i
join org_tree t on t.org_id = i.org_id
order by t.seq, i.kind, i.item_key
