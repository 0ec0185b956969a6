-- quarantine: every row of this load that was not loaded: file, row, column, value and the
-- reason in Chinese and English. Grain: one row per quarantined source row. Parameters: none.
select
    d.kind,
    d.file_id,
    f.path,
    d.row_no,
    d.disposition = 'duplicate' as is_duplicate,
    d.problem.column_name as column_name,
    d.problem.value as value,
    d.problem.reason_zh as reason_zh,
    d.problem.reason_en as reason_en
from row_dispositions d
join files f on f.file_id = d.file_id
where d.disposition in ('invalid', 'duplicate')
