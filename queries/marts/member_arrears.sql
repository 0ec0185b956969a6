-- member_arrears: each unpaid bill line with the length of the member's run of consecutive
-- unpaid months ending at it (a paid month, or a month with no bill line, ends a run).
-- Grain: one row per unpaid (member_key, dues_month). Parameters: none.
with unpaid as (
    select
        member_key,
        dues_month,
        branch_seq,
        year(dues_month) * 12 + month(dues_month) as month_index
    from stg_dues
    where not is_paid
),

islands as (
    select
        *,
        month_index - row_number() over (partition by member_key order by month_index) as island
    from unpaid
)

select
    member_key,
    dues_month,
    branch_seq,
    row_number() over (partition by member_key, island order by month_index) as unpaid_streak_months
from islands
