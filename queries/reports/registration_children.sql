-- registration_children: one campaign's progress in each child organization of :org_id, worst
-- first (the registration page's "who is behind" chart and table). Figures as in
-- registration_summary: roster, approved (active, status 3, 4, 5), pending (active, status 1),
-- completion_approved and completion_submitted (fractions), approved_recent (approvals whose
-- reviewed_at date is in the 7 days up to and including the as-of date), rate_per_day
-- (approved_recent / 7), projected_date and is_at_risk (macros of the same names), and review
-- timeliness (reviewed within 48 hours; counted at the member's branch; timely_rate null when
-- nothing was reviewed).
-- Grain: one row per child organization (parent_org_id = :org_id) with roster entries of
-- :campaign_id in its subtree, ordered by completion_approved, then seq; none when :campaign_id
-- is not loaded.
-- Parameters: :org_id, :seq, :seq_last (its tree range, from org_lookup), :campaign_id.
with load_day as (
    select cast(as_of as date) as as_of_date
    from current_load
),

campaign as (
    select deadline
    from stg_campaigns
    where campaign_id = :campaign_id
),

children as (
    select seq, org_id, coalesce(short_name, full_name) as org_name
    from org_tree
    where seq > :seq and seq <= :seq_last and parent_org_id = :org_id
),

totals as (
    select c.seq, c.org_id, c.org_name, g.roster, g.approved, g.pending
    from children c
    join org_rollup_registration g on g.seq = c.seq
    where g.campaign_id = :campaign_id and g.seq > :seq and g.seq <= :seq_last
),

recent as (
    select d.seq, cast(sum(d.approved) as bigint) as approved_recent
    from registration_daily d
    cross join load_day l
    where d.campaign_id = :campaign_id and d.seq > :seq and d.seq <= :seq_last
      and d.seq in (select seq from children)
      and d.day between l.as_of_date - 6 and l.as_of_date
    group by d.seq
),

reviews as (
    select v.seq, v.reviewed, v.reviewed_timely
    from registration_reviews v
    where v.campaign_id = :campaign_id and v.seq > :seq and v.seq <= :seq_last
      and v.seq in (select seq from children)
),

figures as (
    select
        t.seq,
        t.org_id,
        t.org_name,
        t.roster,
        t.approved,
        t.pending,
        coalesce(r.approved_recent, 0) as approved_recent,
        coalesce(v.reviewed, 0) as reviewed,
        coalesce(v.reviewed_timely, 0) as reviewed_timely,
        l.as_of_date,
        c.deadline
    from totals t
    cross join load_day l
    cross join campaign c
    left join recent r on r.seq = t.seq
    left join reviews v on v.seq = t.seq
)

select
    seq,
    org_id,
    org_name,
    roster,
    approved,
    pending,
    approved / nullif(roster, 0) as completion_approved,
    (approved + pending) / nullif(roster, 0) as completion_submitted,
    approved_recent,
    approved_recent / 7 as rate_per_day,
    projected_date(roster - approved, approved_recent, as_of_date) as projected_date,
    is_at_risk(roster - approved, approved_recent, as_of_date, deadline) as is_at_risk,
    reviewed,
    reviewed_timely,
    reviewed_timely / nullif(reviewed, 0) as timely_rate
from figures
order by completion_approved asc nulls last, seq
