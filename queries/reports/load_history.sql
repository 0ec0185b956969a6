-- load_history: every load recorded in this database (carried from load to load), newest first:
-- its number, the as-of time it describes, when it ran, its source, files read (and skipped),
-- rows read, loaded, quarantined and merged, and how long it took in seconds.
-- Grain: one row per load, ordered by load_id descending. Parameters: none.
select
    load_id,
    as_of,
    loaded_at,
    source,
    files,
    files_skipped,
    rows_read,
    rows_loaded,
    rows_quarantined,
    rows_merged,
    seconds
from loads
order by load_id desc
