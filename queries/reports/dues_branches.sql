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

named as (
    select seq
    from branch_contacts
    where :name_filter is not null
      and seq between :seq and :seq_last
      and (contains(branch_name, :name_filter) or contains(parent_name, :name_filter))
),

-- Figures first (one month of the subtree's branches, a contiguous stretch of the mart), read
-- twice (the count, the page) rather than materialized; names only for the page.
kept as not materialized (
    select r.*
    from dues_branch_months r
    where r.dues_month = cast(:month as date)
      and r.seq between :seq and :seq_last
      and (:name_filter is null or r.seq in (select seq from named))
),

total as (
    select count(*) as total_rows from kept
),

page as (
    select k.*
    from kept k
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
)

select
    k.seq,
    k.org_id,
    b.branch_name,
    b.parent_name,
    k.billed_members,
    k.paid_members,
    k.compliance,
    k.unpaid_members,
    k.amount_due_yuan,
    k.amount_paid_yuan,
    k.arrears_4_5_members,
    k.arrears_6plus_members,
    k.mismatched_lines,
    b.operator_name,
    b.operator_mobile,
    t.total_rows
from page k
join branch_contacts b on b.seq = k.seq
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
