-- cadre_seats: the organizations of one subtree that have a mobile-app seat quota (the settings
-- file's [seats]), with their own seats used (their records onboarded, in scope or not),
-- seats_out_of_scope (those out of scope), seats_over (used beyond the quota, 0 if within) and
-- is_over_quota; seats_used_subtree counts the onboarded records of the organization's whole
-- subtree, for reference. org_name is the 团组织全称.
-- Grain: one row per organization with a quota, over quota first, most seats over first, then
-- seq. Parameters: :seq, :seq_last (the organization's tree range, from org_lookup).
select
    r.seq,
    r.org_id,
    t.full_name as org_name,
    r.seat_quota,
    r.own_seats_used as seats_used,
    r.own_seats_out_of_scope as seats_out_of_scope,
    greatest(r.own_seats_used - r.seat_quota, 0) as seats_over,
    r.is_over_quota,
    r.seats_used as seats_used_subtree
from org_rollup_cadres r
join org_tree t on t.seq = r.seq
where r.seq between :seq and :seq_last
  and t.seq between :seq and :seq_last
  and r.seat_quota is not null
order by r.is_over_quota desc, seats_over desc, r.seq
