-- dues_children: the dues of each child organization's subtree for :month, worst first: the
-- month's figures (as in dues_summary), the previous month's compliance (prev_compliance) and
-- its change (compliance_change, null when either is null), and the compliance over the range
-- :since .. :month. Ordered by compliance ascending (children billed nobody last), then more
-- members 6+ months in arrears, then seq. org_name is the 简称, else the 全称.
-- Grain: one row per child organization (parent_org_id = :org_id) with bill lines in the range.
-- Parameters: :org_id, :seq, :seq_last (its tree range), :month, :since.
with children as (
    select seq, org_id, org_type, coalesce(short_name, full_name) as org_name, full_name
    from org_tree
    where seq > :seq and seq <= :seq_last and parent_org_id = :org_id
),

months as (
    select r.*
    from org_rollup_dues r
    where r.seq > :seq and r.seq <= :seq_last
      and r.seq in (select seq from children)
      and r.dues_month between least(cast(:since as date), cast(:month as date) - interval 1 month)
                           and cast(:month as date)
),

figures as (
    select
        c.seq,
        c.org_id,
        c.org_type,
        c.org_name,
        c.full_name,
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
    from children c
    join months m on m.seq = c.seq
    group by c.seq, c.org_id, c.org_type, c.org_name, c.full_name
)

select
    seq,
    org_id,
    org_type,
    org_name,
    full_name,
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
