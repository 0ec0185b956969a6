-- dues_mismatches: the bill lines whose amount due (当月应交金额) is not what the dues standard
-- (table dues_standard, from the settings; DOMAIN.md §5) expects for the member in that month.
-- The member's category comes from the member record as loaded (the export has no history):
-- 政治面貌 中共党员 / 预备党员 (2, 3) -> party (voluntary: the standard expects 0); else 职业 学生 (6)
-- -> student; 农民 (5) -> farmer; else employed, by 收入 band 1-5. An employed member with no
-- 收入 has no expected amount and is never flagged. The version of the standard is the one whose
-- [applies_from, applies_until) holds the bill's month. billed_as_band_key names the category
-- whose amount in that version equals the amount billed (the first in dues_standard.band_no
-- order; null when none does), e.g. billed 0.20 as a student while recorded employed 5000-8000.
-- Grain: one row per mismatched bill line (member_key, dues_month), ordered by dues_month,
-- branch_seq, member_key. Parameters: none.
with members as (
    select
        member_key,
        case
            when political_status in (2, 3) then 'party'
            when occupation = 6 then 'student'
            when occupation = 5 then 'farmer'
            when income_band between 1 and 5 then 'employed'
        end as category,
        case
            when political_status in (2, 3) or occupation in (5, 6) then null
            else income_band
        end as income_band
    from stg_members
),

lines as (
    select
        d.dues_month, d.member_key, d.branch_seq, d.amount_due_yuan, d.is_paid,
        m.category, m.income_band
    from stg_dues d
    join members m on m.member_key = d.member_key
    where m.category is not null
),

compared as (
    select
        l.*,
        s.version_month,
        s.band_key as expected_band_key,
        s.amount_yuan as expected_yuan
    from lines l
    join dues_standard s
        on s.category = l.category
        and s.income_band is not distinct from l.income_band
        and l.dues_month >= s.applies_from
        and (s.applies_until is null or l.dues_month < s.applies_until)
    where l.amount_due_yuan <> s.amount_yuan
),

billed_as as (
    select
        c.member_key,
        c.dues_month,
        arg_min(s.band_key, s.band_no) as billed_as_band_key
    from compared c
    join dues_standard s
        on s.version_month = c.version_month and s.amount_yuan = c.amount_due_yuan
    group by c.member_key, c.dues_month
)

select
    c.dues_month,
    c.member_key,
    c.branch_seq,
    cast(c.amount_due_yuan as decimal(18, 2)) as amount_due_yuan,
    c.expected_yuan,
    c.expected_band_key,
    b.billed_as_band_key,
    c.version_month,
    c.is_paid
from compared c
left join billed_as b on b.member_key = c.member_key and b.dues_month = c.dues_month
order by c.dues_month, c.branch_seq, c.member_key
