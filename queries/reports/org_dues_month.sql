-- org_dues_month: one organization's dues figures for a month: :month (first day of the month)
-- when given, else the latest month with dues data anywhere. Grain: one row: the month, and the
-- figures (null when the subtree had no bill line that month). Parameters: :seq, :month.
with chosen as (
    select coalesce(cast(:month as date), (select max(dues_month) from dues_months)) as dues_month
)

select
    c.dues_month,
    d.billed_members,
    d.paid_members,
    d.amount_due_yuan,
    d.amount_paid_yuan,
    d.arrears_6plus_members
from chosen c
left join org_rollup_dues d on d.seq = :seq and d.dues_month = c.dues_month
