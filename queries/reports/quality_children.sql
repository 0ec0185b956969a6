-- quality_children: the data-quality checks (member_checks) in each child organization of
-- :org_id, worst first (the data-quality page's "where are the problems" table and chart).
-- Figures as in quality_summary: members_checked, one count per check_code, flags_total (their
-- sum), members_flagged, flagged_rate. Every child is listed, also with nothing flagged.
-- Grain: one row per child organization (parent_org_id = :org_id), ordered by flags_total
-- descending, then seq.
-- Parameters: :org_id, :seq, :seq_last (its tree range, from org_lookup).
with children as (
    select seq, org_id, coalesce(short_name, full_name) as org_name, is_branch
    from org_tree
    where seq > :seq and seq <= :seq_last and parent_org_id = :org_id
)

select
    c.seq,
    c.org_id,
    c.org_name,
    c.is_branch,
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
    q.members_flagged / nullif(q.members_checked, 0) as flagged_rate
from children c
join org_rollup_quality q on q.seq = c.seq
where q.seq > :seq and q.seq <= :seq_last
order by q.flags_total desc, c.seq
