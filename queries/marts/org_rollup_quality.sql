-- org_rollup_quality: the data-quality checks of member_checks counted for each organization's
-- whole subtree (itself and everything under it). members_checked = active members (团籍状态
-- 正常), the members checked; one column per check_code (over_28, under_14_at_joining,
-- id_birth_mismatch, member_number_missing, member_number_year, active_in_two_branches,
-- dues_standard_mismatch), each the
-- number of members failing that check; flags_total = their sum (a member failing two checks
-- counts twice); members_flagged = members failing at least one.
-- A subtree is the tree range seq .. seq_last, so its figure is a difference of running sums in
-- tree order (running sums including each row): running(seq_last) - running(seq) + own(seq).
-- No closure join.
-- Grain: one row per organization, ordered by seq. Parameters: none.
with own_checks as (
    select
        branch_seq as seq,
        count(*) filter (where check_code = 'over_28') as over_28,
        count(*) filter (where check_code = 'under_14_at_joining') as under_14_at_joining,
        count(*) filter (where check_code = 'id_birth_mismatch') as id_birth_mismatch,
        count(*) filter (where check_code = 'member_number_missing') as member_number_missing,
        count(*) filter (where check_code = 'member_number_year') as member_number_year,
        count(*) filter (where check_code = 'active_in_two_branches') as active_in_two_branches,
        count(*) filter (where check_code = 'dues_standard_mismatch') as dues_standard_mismatch,
        count(*) as flags_total,
        count(distinct member_key) as members_flagged
    from member_checks
    group by branch_seq
),

own_members as (
    select branch_seq as seq, count(*) as members_checked
    from stg_members
    where is_active
    group by branch_seq
),

own as (
    select
        t.seq,
        t.seq_last,
        t.org_id,
        coalesce(m.members_checked, 0) as members_checked,
        coalesce(c.over_28, 0) as over_28,
        coalesce(c.under_14_at_joining, 0) as under_14_at_joining,
        coalesce(c.id_birth_mismatch, 0) as id_birth_mismatch,
        coalesce(c.member_number_missing, 0) as member_number_missing,
        coalesce(c.member_number_year, 0) as member_number_year,
        coalesce(c.active_in_two_branches, 0) as active_in_two_branches,
        coalesce(c.dues_standard_mismatch, 0) as dues_standard_mismatch,
        coalesce(c.flags_total, 0) as flags_total,
        coalesce(c.members_flagged, 0) as members_flagged
    from org_tree t
    left join own_members m on m.seq = t.seq
    left join own_checks c on c.seq = t.seq
),

running as (
    select
        seq,
        seq_last,
        org_id,
        members_checked,
        sum(members_checked) over w as members_checked_cum,
        over_28,
        sum(over_28) over w as over_28_cum,
        under_14_at_joining,
        sum(under_14_at_joining) over w as under_14_at_joining_cum,
        id_birth_mismatch,
        sum(id_birth_mismatch) over w as id_birth_mismatch_cum,
        member_number_missing,
        sum(member_number_missing) over w as member_number_missing_cum,
        member_number_year,
        sum(member_number_year) over w as member_number_year_cum,
        active_in_two_branches,
        sum(active_in_two_branches) over w as active_in_two_branches_cum,
        dues_standard_mismatch,
        sum(dues_standard_mismatch) over w as dues_standard_mismatch_cum,
        flags_total,
        sum(flags_total) over w as flags_total_cum,
        members_flagged,
        sum(members_flagged) over w as members_flagged_cum
    from own
    window w as (order by seq rows between unbounded preceding and current row)
)

select
    r.seq,
    r.org_id,
    cast(e.members_checked_cum - r.members_checked_cum
         + r.members_checked as bigint) as members_checked,
    cast(e.over_28_cum - r.over_28_cum + r.over_28 as bigint) as over_28,
    cast(e.under_14_at_joining_cum - r.under_14_at_joining_cum
         + r.under_14_at_joining as bigint) as under_14_at_joining,
    cast(e.id_birth_mismatch_cum - r.id_birth_mismatch_cum
         + r.id_birth_mismatch as bigint) as id_birth_mismatch,
    cast(e.member_number_missing_cum - r.member_number_missing_cum
         + r.member_number_missing as bigint) as member_number_missing,
    cast(e.member_number_year_cum - r.member_number_year_cum
         + r.member_number_year as bigint) as member_number_year,
    cast(e.active_in_two_branches_cum - r.active_in_two_branches_cum
         + r.active_in_two_branches as bigint) as active_in_two_branches,
    cast(e.dues_standard_mismatch_cum - r.dues_standard_mismatch_cum
         + r.dues_standard_mismatch as bigint) as dues_standard_mismatch,
    cast(e.flags_total_cum - r.flags_total_cum + r.flags_total as bigint) as flags_total,
    cast(e.members_flagged_cum - r.members_flagged_cum
         + r.members_flagged as bigint) as members_flagged
from running r
join running e on e.seq = r.seq_last
order by r.seq
