-- member_checks: the active members (团籍状态 正常) that fail a data-quality check, one row per
-- failed check, for the data-quality page's counts (org_rollup_quality) and lists
-- (quality_members). Only active members are checked. The checks (check_code, then detail):
--   'over_28': has turned 28 (满28周岁) by the as-of date (load_clock) and holds no cadre post
--     (no stg_cadres record with the same 身份证号码), so should have left the league. Age is in
--     whole years (macro age_on: the birthday counts from its month and day, 29 February from
--     1 March in a common year); turning 28 on the as-of date itself counts. The birth date is
--     birth_date, else the ID number's (digits 7-14) for a 居民身份证 (证件类型 1 or empty).
--     detail: 'birth date (age)', e.g. '1996-10-08 (28)'.
--   'under_14_at_joining': still under 14 (age_on) on the last day of 入团年月 (joined_month),
--     so under 14 whatever the day of joining. 入团年月 has no day: one who turns 14 within the
--     joining month may have joined after the birthday, and is not flagged (taking the month's
--     first day instead flags 176,495 rather than 30,271 of the generated 10 million members,
--     the difference all joining in the month of their 14th birthday). Birth date as for
--     over_28. detail: 'birth date → joining month (age on its last day)', e.g.
--     '2010-04-01 → 2024-03 (13)'.
--   'id_birth_mismatch': birth_date present and not the birth date in the 18-character ID number
--     of a 居民身份证 (证件类型 1 or empty). detail: 'birth_date ≠ ID birth date'. Today the
--     importer takes birth_date from the ID number itself (exports carry no 出生日期 column), so
--     this stays empty until birth dates come from elsewhere.
--   'member_number_missing': 团员编号 empty for a member who joined in 2017-01 or later.
--     detail: the joining month, e.g. '2019-03'.
--   'member_number_year': 团员编号 present for a member who joined in 2017-01 or later, but its
--     first 4 characters are not the joining year; 2017 and 2018 may be swapped (DOMAIN.md §2),
--     so a 2017 joiner's '2018…' number passes, and the other way round. No 入团年月: neither
--     团员编号 check applies. detail: 'joining month: number', e.g. '2019-03: 201870688588'.
--   'active_in_two_branches': the member's 身份证号码 is also in a member row quarantined as a
--     duplicate (member_duplicates) that names another branch and 团籍状态 正常: the person is
--     active in two branches' member files. Counted at the kept row's branch. detail: the other
--     branches' full names, '；'-separated.
--   'dues_standard_mismatch': the member's bill line of the latest month with dues data is not
--     what the dues standard expects (dues_mismatches). Counted at the member's branch.
--     detail: 'month: billed ≠ expected', e.g. '2024-09: 0.20 ≠ 10.00'.
-- One pass over stg_members; the cadre and duplicate lookups touch only the flagged members.
-- Columns: member_key, id_number, name, mobile, branch_org_id, branch_seq, branch_name (the
-- branch's 团组织全称), parent_name (its parent's), check_code, check_no (1-6, the order of the
-- checks above), detail. The names are kept here so that a page of the list reads one table.
-- Grain: one row per (active member, failed check), ordered by branch_seq, member_key and
-- check_no. Parameters: none (the as-of time is load_clock.as_of).
with clock as (
    select cast(as_of as date) as as_of_date
    from load_clock
),

active_duplicates as (
    select distinct id_number
    from member_duplicates
    where is_active
),

latest_mismatches as (
    select member_key, dues_month, amount_due_yuan, expected_yuan
    from dues_mismatches
    where dues_month = (select max(dues_month) from dues_months)
),

active_members as (
    select
        m.member_key, m.id_number, m.name, m.mobile, m.branch_org_id, m.branch_seq,
        m.joined_month, m.member_number, m.birth_date,
        coalesce(m.id_type, 1) = 1 and length(m.id_number) = 18 as is_ric,
        case
            when m.birth_date is not null then m.birth_date
            when coalesce(m.id_type, 1) = 1 and length(m.id_number) = 18
                then ric_birth_date(m.id_number)
        end as birth
    from stg_members m
    where m.is_active
),

facts as (
    select
        a.*,
        age_on(a.birth, c.as_of_date) as age_now,
        age_on(a.birth, last_day(a.joined_month)) as age_joined,
        age_on(a.birth, c.as_of_date) >= 28 as is_28_or_over,
        age_on(a.birth, last_day(a.joined_month)) < 14 as is_under_14_at_joining,
        a.is_ric and a.birth_date is not null
            and year(a.birth_date) * 10000 + month(a.birth_date) * 100 + day(a.birth_date)
                <> try_cast(substr(a.id_number, 7, 8) as integer) as is_id_birth_mismatch,
        a.joined_month >= date '2017-01-01' and a.member_number is null as is_number_missing,
        a.joined_month >= date '2017-01-01' and a.member_number is not null
            and left(a.member_number, 4) <> cast(year(a.joined_month) as varchar)
            and not (year(a.joined_month) in (2017, 2018)
                     and left(a.member_number, 4) in ('2017', '2018')) as is_number_year,
        a.id_number in (select id_number from active_duplicates) as has_active_duplicate,
        a.member_key in (select member_key from latest_mismatches) as has_dues_mismatch
    from active_members a
    cross join clock c
),

flagged as (
    select *
    from facts
    where coalesce(is_28_or_over, false) or coalesce(is_under_14_at_joining, false)
       or coalesce(is_id_birth_mismatch, false) or coalesce(is_number_missing, false)
       or coalesce(is_number_year, false) or has_active_duplicate or has_dues_mismatch
),

cadre_ids as (
    select distinct c.id_number
    from stg_cadres c
    where c.id_number in (select id_number from flagged where is_28_or_over)
),

other_branches as (
    select
        f.member_key,
        string_agg(distinct t.full_name, '；' order by t.full_name) as branch_names
    from flagged f
    join member_duplicates d on d.id_number = f.id_number
    join org_tree t on t.org_id = d.branch_org_id
    where f.has_active_duplicate and d.is_active and d.branch_org_id <> f.branch_org_id
    group by f.member_key
),

checks as (
    select
        f.member_key, f.id_number, f.name, f.mobile, f.branch_org_id, f.branch_seq,
        unnest(list_filter([
            case when f.is_28_or_over and k.id_number is null then
                {'check_no': 1, 'check_code': 'over_28',
                 'detail': strftime(f.birth, '%Y-%m-%d') || ' (' || f.age_now || ')'} end,
            case when f.is_under_14_at_joining then
                {'check_no': 2, 'check_code': 'under_14_at_joining',
                 'detail': strftime(f.birth, '%Y-%m-%d') || ' → '
                           || strftime(f.joined_month, '%Y-%m') || ' (' || f.age_joined || ')'} end,
            case when f.is_id_birth_mismatch then
                {'check_no': 3, 'check_code': 'id_birth_mismatch',
                 'detail': strftime(f.birth_date, '%Y-%m-%d') || ' ≠ '
                           || coalesce(strftime(ric_birth_date(f.id_number), '%Y-%m-%d'),
                                       substr(f.id_number, 7, 8))} end,
            case when f.is_number_missing then
                {'check_no': 4, 'check_code': 'member_number_missing',
                 'detail': strftime(f.joined_month, '%Y-%m')} end,
            case when f.is_number_year then
                {'check_no': 5, 'check_code': 'member_number_year',
                 'detail': strftime(f.joined_month, '%Y-%m') || ': ' || f.member_number} end,
            case when o.member_key is not null then
                {'check_no': 6, 'check_code': 'active_in_two_branches',
                 'detail': o.branch_names} end,
            case when x.member_key is not null then
                {'check_no': 7, 'check_code': 'dues_standard_mismatch',
                 'detail': strftime(x.dues_month, '%Y-%m') || ': '
                           || cast(x.amount_due_yuan as varchar) || ' ≠ '
                           || cast(x.expected_yuan as varchar)} end
        ], lambda x: x is not null)) as checked
    from flagged f
    left join cadre_ids k on k.id_number = f.id_number
    left join other_branches o on o.member_key = f.member_key
    left join latest_mismatches x on x.member_key = f.member_key
)

select
    k.member_key,
    k.id_number,
    k.name,
    k.mobile,
    k.branch_org_id,
    k.branch_seq,
    b.full_name as branch_name,
    p.full_name as parent_name,
    k.checked.check_code as check_code,
    k.checked.check_no as check_no,
    k.checked.detail as detail
from checks k
join org_tree b on b.seq = k.branch_seq
left join org_tree p on p.org_id = b.parent_org_id
order by k.branch_seq, k.member_key, k.checked.check_no
