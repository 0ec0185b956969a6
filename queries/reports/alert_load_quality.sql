-- alert_load_quality: the published load's record (loads): files skipped, rows read and
-- quarantined, for the data-quality alert (load-wide, not per organization).
-- Grain: one row. Parameters: none.
select load_id, as_of, files, files_skipped, rows_read, rows_quarantined
from current_load
