-- stg_dues: the monthly dues bill lines loaded, each tied to a member and to the branch it was
-- billed in (所在团支部). Money in yuan. Grain: one row per (member_id_number, dues_month).
-- Parameters: none.
select
    dues_month,
    member_id_number,
    branch_org_id,
    current_branch_org_id,
    amount_due_yuan,
    is_paid,
    voluntary_yuan
from checked_dues
where disposition = 'loaded'
