-- org_rollup_dues: dues for each organization's subtree and month, counted where each bill line
-- was billed (所在团支部): billed members (amount due > 0), paid members, amounts in yuan,
-- voluntary extras (apart: they never offset dues) and the members paying one, members by
-- consecutive unpaid months, and bill lines billed differently from the standard
-- (dues_mismatches).
-- Grain: one row per (organization, dues_month) with bill lines in its subtree. Parameters: none.
with bill_facts as (
    select
        dues_month,
        branch_seq as seq,
        count(*) as bill_lines,
        count(*) filter (where amount_due_yuan > 0) as billed_members,
        count(*) filter (where amount_due_yuan > 0 and is_paid) as paid_members,
        sum(amount_due_yuan) as amount_due_yuan,
        coalesce(sum(amount_due_yuan) filter (where is_paid), 0) as amount_paid_yuan,
        sum(voluntary_yuan) as voluntary_yuan,
        count(*) filter (where voluntary_yuan > 0) as voluntary_members
    from stg_dues
    group by dues_month, branch_seq
),

arrears_facts as (
    select
        dues_month,
        branch_seq as seq,
        count(*) filter (where unpaid_streak_months = 1) as arrears_1_members,
        count(*) filter (where unpaid_streak_months between 2 and 3) as arrears_2_3_members,
        count(*) filter (where unpaid_streak_months between 4 and 5) as arrears_4_5_members,
        count(*) filter (where unpaid_streak_months >= 6) as arrears_6plus_members
    from member_arrears
    group by dues_month, branch_seq
),

mismatch_facts as (
    select dues_month, branch_seq as seq, count(*) as mismatched_lines
    from dues_mismatches
    group by dues_month, branch_seq
),

own as (
    select
        b.dues_month, b.seq, b.bill_lines, b.billed_members, b.paid_members,
        b.amount_due_yuan, b.amount_paid_yuan, b.voluntary_yuan, b.voluntary_members,
        coalesce(x.mismatched_lines, 0) as mismatched_lines,
        coalesce(a.arrears_1_members, 0) as arrears_1_members,
        coalesce(a.arrears_2_3_members, 0) as arrears_2_3_members,
        coalesce(a.arrears_4_5_members, 0) as arrears_4_5_members,
        coalesce(a.arrears_6plus_members, 0) as arrears_6plus_members
    from bill_facts b
    left join arrears_facts a on a.dues_month = b.dues_month and a.seq = b.seq
    left join mismatch_facts x on x.dues_month = b.dues_month and x.seq = b.seq
)

select
    cl.ancestor_seq as seq,
    cl.ancestor_org_id as org_id,
    o.dues_month,
    cast(sum(o.bill_lines) as bigint) as bill_lines,
    cast(sum(o.billed_members) as bigint) as billed_members,
    cast(sum(o.paid_members) as bigint) as paid_members,
    cast(sum(o.amount_due_yuan) as decimal(18, 2)) as amount_due_yuan,
    cast(sum(o.amount_paid_yuan) as decimal(18, 2)) as amount_paid_yuan,
    cast(sum(o.voluntary_yuan) as decimal(18, 2)) as voluntary_yuan,
    cast(sum(o.voluntary_members) as bigint) as voluntary_members,
    cast(sum(o.mismatched_lines) as bigint) as mismatched_lines,
    cast(sum(o.arrears_1_members) as bigint) as arrears_1_members,
    cast(sum(o.arrears_2_3_members) as bigint) as arrears_2_3_members,
    cast(sum(o.arrears_4_5_members) as bigint) as arrears_4_5_members,
    cast(sum(o.arrears_6plus_members) as bigint) as arrears_6plus_members
from own o
join org_closure cl on cl.seq = o.seq
group by cl.ancestor_seq, cl.ancestor_org_id, o.dues_month
order by cl.ancestor_seq, o.dues_month
