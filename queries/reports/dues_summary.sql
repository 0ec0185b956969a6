-- dues_summary: one organization's dues for the month :month and its previous month, and over
-- the range :since .. :month (the dues page's cards). Month figures as in org_rollup_dues:
-- billed_members (amount due > 0), paid_members, compliance (paid / billed, null when none is
-- billed), amounts due and paid in yuan, voluntary extras (apart), members by consecutive unpaid
-- months (1, 2-3, 4-5, 6 and more) and mismatched_lines (billed differently from the standard);
-- prev_* the same for the month before :month (null when it has no data); range_* the sums over
-- the range (range_compliance = its paid / its billed).
-- Grain: one row (figures null when the subtree had no bill line that month).
-- Parameters: :seq (from org_lookup), :month, :since (first days of months).
with cur as (
    select * from org_rollup_dues
    where seq = :seq and dues_month = cast(:month as date)
),

prev as (
    select * from org_rollup_dues
    where seq = :seq and dues_month = cast(:month as date) - interval 1 month
),

span as (
    select
        sum(billed_members) as range_billed,
        sum(paid_members) as range_paid,
        sum(amount_due_yuan) as range_due_yuan,
        sum(amount_paid_yuan) as range_paid_yuan,
        sum(voluntary_yuan) as range_voluntary_yuan
    from org_rollup_dues
    where seq = :seq and dues_month between cast(:since as date) and cast(:month as date)
)

select
    cast(:month as date) as dues_month,
    c.billed_members,
    c.paid_members,
    c.paid_members / nullif(c.billed_members, 0) as compliance,
    c.amount_due_yuan,
    c.amount_paid_yuan,
    c.voluntary_yuan,
    c.voluntary_members,
    c.arrears_1_members,
    c.arrears_2_3_members,
    c.arrears_4_5_members,
    c.arrears_6plus_members,
    c.mismatched_lines,
    p.billed_members as prev_billed_members,
    p.paid_members / nullif(p.billed_members, 0) as prev_compliance,
    p.amount_paid_yuan as prev_amount_paid_yuan,
    p.arrears_6plus_members as prev_arrears_6plus_members,
    s.range_billed,
    s.range_paid,
    s.range_paid / nullif(s.range_billed, 0) as range_compliance,
    s.range_due_yuan,
    s.range_paid_yuan,
    s.range_voluntary_yuan
from span s
left join cur c on true
left join prev p on true
