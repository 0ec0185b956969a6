-- dues_arrears: the members in arrears in :month in one organization's subtree, one page at a
-- time (the dues page's list for branches to chase, and its download): each unpaid bill line of
-- :month billed in the subtree (member_arrears, counted where it was billed), with the run of
-- consecutive unpaid months ending at it (unpaid_months), the amount due over that run
-- (unpaid_run_yuan), is_lapsing (6 or more: grounds for lapsing, online payment stops) and
-- is_near_lapsing (4 or 5: about to reach six). name and mobile are raw: the app masks them
-- (the list needs no ID number). :min_months (null: 1) keeps runs at least that long.
-- :name_filter (null: none) keeps rows whose member name or branch name contains it, or only
-- the one :filter_on names ('name' or 'branch'; null: either). total_rows counts the rows kept.
-- :sort is 'months' (the default, also for null or any other value), 'amount' or 'branch'
-- (tree order); :descending (null: true) its direction; ties by branch_seq, member_key.
-- Grain: one row per member in arrears; rows :offset + 1 .. :offset + :limit of that order.
-- Parameters: :seq, :seq_last, :month, :min_months, :name_filter, :filter_on, :sort,
-- :descending, :limit, :offset.
with settings as (
    select
        case when :sort in ('amount', 'branch') then :sort else 'months' end as sort_key,
        coalesce(:descending, true) as descending
),

branches_named as (
    select seq
    from branch_contacts
    where :name_filter is not null
      and :filter_on is distinct from 'name'
      and seq between :seq and :seq_last
      and contains(branch_name, :name_filter)
),

-- Keys and figures only: names are read for the page's rows, and for every row only when a
-- filter asks for them.
kept as materialized (
    select a.member_key, a.branch_seq, a.unpaid_streak_months, a.unpaid_run_yuan
    from member_arrears a
    where a.dues_month = cast(:month as date)
      and a.branch_seq between :seq and :seq_last
      and a.unpaid_streak_months >= coalesce(:min_months, 1)
      and (:name_filter is null
           or (:filter_on is distinct from 'branch' and contains(a.name, :name_filter))
           or a.branch_seq in (select seq from branches_named))
),

total as (
    select count(*) as total_rows from kept
),

page as (
    select k.*
    from kept k
    cross join settings x
    order by
        case when x.sort_key = 'months' and x.descending then k.unpaid_streak_months end desc,
        case when x.sort_key = 'months' and not x.descending then k.unpaid_streak_months end asc,
        case when x.sort_key = 'amount' and x.descending then k.unpaid_run_yuan end desc,
        case when x.sort_key = 'amount' and not x.descending then k.unpaid_run_yuan end asc,
        case when x.sort_key = 'branch' and x.descending then k.branch_seq end desc,
        k.branch_seq,
        k.member_key
    limit :limit
    offset :offset
),

people as (
    select a.member_key, a.name, a.mobile
    from member_arrears a
    where a.dues_month = cast(:month as date)
      and a.branch_seq between :seq and :seq_last
      and a.member_key in (select member_key from page)
)

select
    k.member_key,
    n.name,
    n.mobile,
    b.branch_name,
    b.parent_name,
    k.unpaid_streak_months as unpaid_months,
    k.unpaid_run_yuan,
    k.unpaid_streak_months >= 6 as is_lapsing,
    k.unpaid_streak_months between 4 and 5 as is_near_lapsing,
    t.total_rows
from page k
join people n on n.member_key = k.member_key
join branch_contacts b on b.seq = k.branch_seq
cross join total t
cross join settings x
order by
    case when x.sort_key = 'months' and x.descending then k.unpaid_streak_months end desc,
    case when x.sort_key = 'months' and not x.descending then k.unpaid_streak_months end asc,
    case when x.sort_key = 'amount' and x.descending then k.unpaid_run_yuan end desc,
    case when x.sort_key = 'amount' and not x.descending then k.unpaid_run_yuan end asc,
    case when x.sort_key = 'branch' and x.descending then k.branch_seq end desc,
    k.branch_seq,
    k.member_key
