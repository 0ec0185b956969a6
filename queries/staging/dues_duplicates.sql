-- dues_duplicates: the valid bill lines whose member and month occur more than once, ranked:
-- the paid line is kept (then file order); identical lines are merged, differing ones are
-- quarantined naming the kept line. Small: only repeated keys are ranked.
-- Grain: one row per bill line sharing (member_key, dues_month) with another. Parameters: none.
-- `valid` is read twice, straight from typed_dues each time: storing it costs more than the scan.
with valid as not materialized (
    select file_id, row_no, member_key, dues_month, branch_seq, current_branch_seq,
           amount_due_yuan, paid_code, voluntary_yuan
    from typed_dues
    where row_problem is null
),

repeated_keys as (
    select hash(member_key, dues_month) as key_hash
    from valid
    group by 1
    having count(*) > 1
),

ranked as (
    select
        v.file_id, v.row_no, v.dues_month,
        row_number() over w as rank_in_key,
        {'b': v.branch_seq, 'c': v.current_branch_seq, 'a': v.amount_due_yuan, 'p': v.paid_code, 'v': coalesce(v.voluntary_yuan, 0)} as row_values,
        first_value({'b': v.branch_seq, 'c': v.current_branch_seq, 'a': v.amount_due_yuan, 'p': v.paid_code, 'v': coalesce(v.voluntary_yuan, 0)}) over w as kept_values,
        first_value(v.file_id) over w as kept_file_id,
        first_value(v.row_no) over w as kept_row_no
    from valid v
    where hash(v.member_key, v.dues_month) in (select key_hash from repeated_keys)
    window w as (partition by v.member_key, v.dues_month order by v.paid_code desc, v.file_id, v.row_no)
)

select
    k.file_id,
    k.row_no,
    disposition_of(null, k.rank_in_key, k.row_values, k.kept_values) as disposition,
    row_or_duplicate_problem(null, k.rank_in_key, k.row_values, k.kept_values,
        '月份', strftime(k.dues_month, '%Y-%m'), '同一团员同月有多条团费记录',
        'two bill lines for one member and month', kf.path, k.kept_row_no) as problem
from ranked k
left join files kf on kf.file_id = k.kept_file_id
