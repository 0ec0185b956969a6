-- dues_children: the dues of each child organization's subtree for :month, worst first: the
-- month's figures (as in dues_summary), the previous month's compliance (prev_compliance) and
-- its change (compliance_change, null when either is null), and the compliance over the range
-- :since .. :month. Ordered by compliance ascending (children billed nobody last), then more
-- members 6+ months in arrears, then seq. org_name is the 简称, else the 全称. Read from
-- dues_child_months (the children's rows are contiguous there).
-- Grain: one row per child organization (parent_seq = :seq) with bill lines in the range.
-- Parameters: :seq (the organization's, from org_lookup), :month, :since.
with months as (
    select *
    from dues_child_months
    where parent_seq = :seq
      and dues_month between least(cast(:since as date), cast(:month as date) - interval 1 month)
                         and cast(:month as date)
),

figures as (
    select
        m.seq,
        m.org_id,
        m.org_type,
        m.org_name,
        max(m.billed_members) filter (where m.dues_month = cast(:month as date)) as billed_members,
        max(m.paid_members) filter (where m.dues_month = cast(:month as date)) as paid_members,
        max(m.amount_due_yuan) filter (where m.dues_month = cast(:month as date))
            as amount_due_yuan,
        max(m.amount_paid_yuan) filter (where m.dues_month = cast(:month as date))
            as amount_paid_yuan,
        max(m.voluntary_yuan) filter (where m.dues_month = cast(:month as date)) as voluntary_yuan,
        max(m.arrears_4_5_members) filter (where m.dues_month = cast(:month as date))
            as arrears_4_5_members,
        max(m.arrears_6plus_members) filter (where m.dues_month = cast(:month as date))
            as arrears_6plus_members,
        max(m.mismatched_lines) filter (where m.dues_month = cast(:month as date))
            as mismatched_lines,
        max(m.paid_members) filter (where m.dues_month = cast(:month as date) - interval 1 month)
            / nullif(max(m.billed_members) filter (
                where m.dues_month = cast(:month as date) - interval 1 month), 0)
            as prev_compliance,
        sum(m.paid_members) filter (where m.dues_month >= cast(:since as date))
            / nullif(sum(m.billed_members) filter (where m.dues_month >= cast(:since as date)), 0)
            as range_compliance
    from months m
    group by m.seq, m.org_id, m.org_type, m.org_name
)

select
    seq,
    org_id,
    org_type,
    org_name,
    billed_members,
    paid_members,
    paid_members / nullif(billed_members, 0) as compliance,
    prev_compliance,
    paid_members / nullif(billed_members, 0) - prev_compliance as compliance_change,
    range_compliance,
    amount_due_yuan,
    amount_paid_yuan,
    voluntary_yuan,
    arrears_4_5_members,
    arrears_6plus_members,
    mismatched_lines
from figures
order by compliance asc nulls last, arrears_6plus_members desc nulls last, seq
