-- dues_branches: each branch (团支部) of one organization's subtree with bill lines in :month,
-- one page at a time (the dues page's per-branch summary, and its download): billed and paid
-- members, compliance, unpaid members, amounts due and paid in yuan, members 4-5 and 6+ months
-- in arrears, bill lines billed differently from the standard, and the branch's contact (its
-- operator, else its 书记; raw: the app masks them). :name_filter (null: none) keeps branches
-- whose own or parent's name contains it. total_rows counts the rows kept.
-- :sort is 'compliance' (the default, also for null or any other value), 'unpaid', 'lapsing'
-- (6+), 'due', 'name' (tree order); :descending (null: false for compliance and name, true
-- otherwise) its direction; ties by seq.
-- Grain: one row per branch; rows :offset + 1 .. :offset + :limit of that order.
-- Parameters: :seq, :seq_last, :month, :name_filter, :sort, :descending, :limit, :offset.
with settings as (
    select
        case when :sort in ('unpaid', 'lapsing', 'due', 'name') then :sort else 'compliance' end
            as sort_key
),

direction as (
    select
        sort_key,
        coalesce(:descending, sort_key not in ('compliance', 'name')) as descending
    from settings
),

kept as materialized (
    select
        b.seq,
        b.org_id,
        b.branch_name,
        b.parent_name,
        b.operator_name,
        b.operator_mobile,
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
    join branch_contacts b on b.seq = r.seq
    where r.dues_month = cast(:month as date)
      and r.seq between :seq and :seq_last
      and b.seq between :seq and :seq_last
      and (:name_filter is null
           or contains(b.branch_name, :name_filter)
           or contains(b.parent_name, :name_filter))
),

total as (
    select count(*) as total_rows from kept
)

select
    k.seq,
    k.org_id,
    k.branch_name,
    k.parent_name,
    k.billed_members,
    k.paid_members,
    k.compliance,
    k.unpaid_members,
    k.amount_due_yuan,
    k.amount_paid_yuan,
    k.arrears_4_5_members,
    k.arrears_6plus_members,
    k.mismatched_lines,
    k.operator_name,
    k.operator_mobile,
    t.total_rows
from kept k
cross join total t
cross join direction x
order by
    case when x.sort_key = 'compliance' and x.descending then k.compliance end desc nulls last,
    case when x.sort_key = 'compliance' and not x.descending then k.compliance end asc nulls last,
    case when x.sort_key = 'unpaid' and x.descending then k.unpaid_members end desc,
    case when x.sort_key = 'unpaid' and not x.descending then k.unpaid_members end asc,
    case when x.sort_key = 'lapsing' and x.descending then k.arrears_6plus_members end desc,
    case when x.sort_key = 'lapsing' and not x.descending then k.arrears_6plus_members end asc,
    case when x.sort_key = 'due' and x.descending then k.amount_due_yuan end desc,
    case when x.sort_key = 'due' and not x.descending then k.amount_due_yuan end asc,
    case when x.sort_key = 'name' and x.descending then k.seq end desc,
    k.seq
limit :limit
offset :offset
