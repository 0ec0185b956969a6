-- member_arrears: each unpaid bill line with the length of the member's run of consecutive
-- unpaid months ending at it (a paid month, or a month with no bill line, ends a run) and the
-- amount due over that run (unpaid_run_yuan). The run follows the member (member_key) across
-- branches: a member who moved keeps the months unpaid in the old branch, and each line stays
-- counted where it was billed (branch_seq, 所在团支部). The member's name and mobile are kept
-- here, so that a page of the dues page's list (filtered by name) reads this table alone.
-- Grain: one row per unpaid (member_key, dues_month), ordered by dues_month, branch_seq (so
-- that one month of one subtree is a contiguous stretch). Parameters: none.
with unpaid as (
    select
        member_key,
        dues_month,
        branch_seq,
        amount_due_yuan,
        year(dues_month) * 12 + month(dues_month) as month_index
    from stg_dues
    where not is_paid
),

islands as (
    select
        *,
        month_index - row_number() over (partition by member_key order by month_index) as island
    from unpaid
),

runs as (
    select
        member_key,
        dues_month,
        branch_seq,
        row_number() over w as unpaid_streak_months,
        sum(amount_due_yuan) over w as unpaid_run_yuan
    from islands
    window w as (partition by member_key, island order by month_index
                 rows between unbounded preceding and current row)
)

select
    r.member_key,
    r.dues_month,
    r.branch_seq,
    r.unpaid_streak_months,
    cast(r.unpaid_run_yuan as decimal(18, 2)) as unpaid_run_yuan,
    m.name,
    m.mobile
from runs r
join stg_members m on m.member_key = r.member_key
order by r.dues_month, r.branch_seq, r.member_key
