-- checked_dues: one row per raw dues bill line, typed, with its disposition ('loaded',
-- 'merged', 'duplicate', 'invalid') and problem: typed_dues with the verdicts of
-- dues_duplicates. Kept as a view: at 120 million lines a second copy costs minutes.
-- Grain: one row per row of raw_dues. Parameters: none.
select
    t.file_id,
    t.row_no,
    t.dues_month,
    t.member_key,
    t.branch_seq,
    t.current_branch_seq,
    t.amount_due_yuan,
    t.paid_code = 1 as is_paid,
    coalesce(t.voluntary_yuan, 0) as voluntary_yuan,
    case when t.row_problem is not null then 'invalid' else coalesce(d.disposition, 'loaded') end as disposition,
    coalesce(t.row_problem, d.problem) as problem
from typed_dues t
left join dues_duplicates d on d.file_id = t.file_id and d.row_no = t.row_no
