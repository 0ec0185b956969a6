-- load_log: per file of this load, its kind and status, and what became of its rows:
-- rows_read = rows_loaded + rows_quarantined + rows_merged (checked after every load).
-- Grain: one row per file (or recognised sheet) read or skipped. Parameters: none.
with counts as (
    select
        file_id,
        count(*) filter (where disposition = 'loaded') as rows_loaded,
        count(*) filter (where disposition in ('invalid', 'duplicate')) as rows_quarantined,
        count(*) filter (where disposition = 'merged') as rows_merged
    from row_dispositions
    group by file_id
)

select
    f.file_id,
    f.path,
    f.sheet,
    f.kind,
    f.status,
    f.encoding,
    f.bytes,
    f.rows_read,
    coalesce(c.rows_loaded, 0) as rows_loaded,
    coalesce(c.rows_quarantined, 0) as rows_quarantined,
    coalesce(c.rows_merged, 0) as rows_merged,
    f.reason_zh,
    f.reason_en
from files f
left join counts c on c.file_id = f.file_id
