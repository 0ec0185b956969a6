-- quarantine_by_file: each file of the latest load (from load_log) with what became of its rows:
-- rows_read = rows_loaded + rows_quarantined + rows_merged; status 'read' or 'skipped', and for
-- a skipped file why (reason_zh, reason_en; its rows count 0). sheet names the worksheet of a
-- workbook read sheet by sheet (null otherwise).
-- Grain: one row per file (or recognised sheet), skipped files first, then most quarantined rows,
-- then path. Parameters: none.
select
    file_id,
    path,
    sheet,
    kind,
    status,
    rows_read,
    rows_loaded,
    rows_quarantined,
    rows_merged,
    reason_zh,
    reason_en
from load_log
order by status = 'skipped' desc, rows_quarantined desc, path, sheet nulls first, file_id
