-- cadres_summary: the cadres page's headline figures for one organization's whole subtree, from
-- org_rollup_cadres: cadre records, in scope and out of scope (the entry-scope rule, cadre_rules),
-- onboarded in scope and onboarding_rate (onboarded in scope / in scope, a fraction; null when
-- nothing is in scope), branches without a cadre (无团干团支部), hollow committees (空心团委: not a
-- 团支部, nothing under it), hollow branches (空心团支部: fewer than 3 active members), seats used
-- (records onboarded to the mobile app, in scope or not) and those used by out-of-scope records,
-- organizations with a seat quota and over it; then the organization's own quota (seat_quota,
-- null: none), own_seats_used and is_over_quota.
-- Grain: one row, or none when :seq is not loaded. Parameters: :seq (from org_lookup).
select
    seq,
    org_id,
    orgs,
    branches,
    cadre_records,
    cadres_in_scope,
    cadres_out_of_scope,
    cadres_onboarded_in_scope,
    cadres_onboarded_in_scope / nullif(cadres_in_scope, 0) as onboarding_rate,
    branches_without_cadre,
    hollow_committees,
    hollow_branches,
    seats_used,
    seats_out_of_scope,
    orgs_with_quota,
    orgs_over_quota,
    seat_quota,
    own_seats_used,
    is_over_quota
from org_rollup_cadres
where seq = :seq
