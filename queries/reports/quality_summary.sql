-- quality_summary: the data-quality checks (member_checks) in one organization's whole subtree,
-- as of the load: members_checked (active members), one count per check_code (over_28,
-- under_14_at_joining, id_birth_mismatch, member_number_missing, member_number_year,
-- active_in_two_branches, dues_standard_mismatch: members failing it), flags_total (their sum), members_flagged (members
-- failing at least one), flagged_rate (members_flagged / members_checked, null when no member
-- is checked), and the load's as_of and quarantined_rows (load-wide, not per organization).
-- Grain: one row, or none when :seq is no organization. Parameters: :seq (from org_lookup).
select
    q.members_checked,
    q.over_28,
    q.under_14_at_joining,
    q.id_birth_mismatch,
    q.member_number_missing,
    q.member_number_year,
    q.active_in_two_branches,
    q.dues_standard_mismatch,
    q.flags_total,
    q.members_flagged,
    q.members_flagged / nullif(q.members_checked, 0) as flagged_rate,
    l.as_of,
    l.rows_quarantined as quarantined_rows
from org_rollup_quality q
left join current_load l on true
where q.seq = :seq
