-- stg_dues: the monthly dues bill lines loaded, each tied to a member (member_key, from
-- stg_members) and to the branch it was billed in (branch_seq: 所在团支部's tree position).
-- Money in yuan. Kept as a view over checked_dues: at 120 million lines a copy costs minutes.
-- Grain: one row per (member_key, dues_month). Parameters: none.
select
    dues_month,
    member_key,
    branch_seq,
    current_branch_seq,
    amount_due_yuan,
    is_paid,
    voluntary_yuan
from checked_dues
where disposition = 'loaded'
