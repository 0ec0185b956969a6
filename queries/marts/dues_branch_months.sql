-- dues_branch_months: the dues of each branch (团支部) for each month with bill lines in it, as
-- org_rollup_dues counts them (where each line was billed), ordered by month first: one month
-- of a subtree's branches is a contiguous stretch (the dues page's per-branch summary reads one
-- month of up to every branch of the province). compliance = paid / billed (null when nobody
-- was billed); unpaid_members = billed - paid.
-- Grain: one row per (dues_month, branch), ordered by dues_month, seq. Parameters: none.
select
    r.dues_month,
    r.seq,
    r.org_id,
    r.billed_members,
    r.paid_members,
    r.paid_members / nullif(r.billed_members, 0) as compliance,
    r.billed_members - r.paid_members as unpaid_members,
    r.amount_due_yuan,
    r.amount_paid_yuan,
    r.arrears_4_5_members,
    r.arrears_6plus_members,
    r.mismatched_lines
from org_rollup_dues r
join org_tree t on t.seq = r.seq
where t.is_branch
order by r.dues_month, r.seq
