-- quarantine_reconcile: whether the latest load's quarantine agrees with its load log and its
-- record in the load history: quarantine_rows (rows in quarantine), load_log_rows_quarantined
-- (the sum over files of load_log.rows_quarantined), current_load_rows_quarantined (the load's
-- record), files_unbalanced (files whose rows_read <> rows_loaded + rows_quarantined +
-- rows_merged), and is_reconciled (the three counts equal and no file unbalanced).
-- Grain: one row. Parameters: none.
with counts as (
    select
        (select count(*) from quarantine) as quarantine_rows,
        (select coalesce(sum(rows_quarantined), 0) from load_log) as load_log_rows_quarantined,
        (select rows_quarantined from current_load) as current_load_rows_quarantined,
        (select count(*) from load_log
         where rows_read <> rows_loaded + rows_quarantined + rows_merged) as files_unbalanced
)

select
    quarantine_rows,
    cast(load_log_rows_quarantined as bigint) as load_log_rows_quarantined,
    current_load_rows_quarantined,
    files_unbalanced,
    coalesce(quarantine_rows = load_log_rows_quarantined
             and load_log_rows_quarantined = current_load_rows_quarantined
             and files_unbalanced = 0, false) as is_reconciled
from counts
