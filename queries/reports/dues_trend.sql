-- dues_trend: one organization's dues month by month over :since .. :month (the dues page's
-- trend and arrears-ageing charts): the figures of org_rollup_dues with compliance (paid /
-- billed, null when none is billed).
-- Grain: one row per dues_month with bill lines in the subtree, in month order.
-- Parameters: :seq (from org_lookup), :month, :since.
select
    dues_month,
    billed_members,
    paid_members,
    paid_members / nullif(billed_members, 0) as compliance,
    amount_due_yuan,
    amount_paid_yuan,
    voluntary_yuan,
    voluntary_members,
    arrears_1_members,
    arrears_2_3_members,
    arrears_4_5_members,
    arrears_6plus_members,
    mismatched_lines
from org_rollup_dues
where seq = :seq and dues_month between cast(:since as date) and cast(:month as date)
order by dues_month
