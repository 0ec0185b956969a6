-- registration_summary: one campaign in one organization's subtree, as of the load: roster,
-- approved (active members with status 3, 4, 5), pending (active, status 1), completion
-- (approved / roster; completion_submitted counts pending too; null when roster is 0), the
-- recent pace (approved_recent: approvals whose reviewed_at date is in the 7 days up to and
-- including the as-of date; rate_per_day = approved_recent / 7), the projection at that pace
-- (macros projected_date and is_at_risk: remaining = roster - approved; nothing remaining:
-- no date, not at risk; no recent approval: no date, at risk; else as-of date +
-- ceil(remaining / rate_per_day) days, at risk when after the deadline), days_left (deadline -
-- as-of date, in days) and review timeliness (reviewed within 48 hours of registering, counted
-- at the member's branch; timely_rate null when nothing was reviewed).
-- Grain: one row, or none when :campaign_id is not loaded. Parameters: :seq, :campaign_id.
with load_day as (
    select as_of, cast(as_of as date) as as_of_date
    from current_load
),

campaign as (
    select campaign_id, campaign, deadline
    from stg_campaigns
    where campaign_id = :campaign_id
),

totals as (
    select roster, approved, pending
    from org_rollup_registration
    where seq = :seq and campaign_id = :campaign_id
),

reviews as (
    select reviewed, reviewed_timely
    from registration_reviews
    where seq = :seq and campaign_id = :campaign_id
),

recent as (
    select cast(coalesce(sum(d.approved), 0) as bigint) as approved_recent
    from registration_daily d
    cross join load_day l
    where d.seq = :seq and d.campaign_id = :campaign_id
      and d.day between l.as_of_date - 6 and l.as_of_date
),

figures as (
    select
        c.campaign,
        c.deadline,
        l.as_of,
        l.as_of_date,
        coalesce(t.roster, 0) as roster,
        coalesce(t.approved, 0) as approved,
        coalesce(t.pending, 0) as pending,
        r.approved_recent,
        coalesce(v.reviewed, 0) as reviewed,
        coalesce(v.reviewed_timely, 0) as reviewed_timely
    from campaign c
    cross join load_day l
    cross join recent r
    left join totals t on true
    left join reviews v on true
)

select
    roster,
    approved,
    pending,
    approved / nullif(roster, 0) as completion_approved,
    (approved + pending) / nullif(roster, 0) as completion_submitted,
    approved_recent,
    approved_recent / 7 as rate_per_day,
    projected_date(roster - approved, approved_recent, as_of_date) as projected_date,
    is_at_risk(roster - approved, approved_recent, as_of_date, deadline) as is_at_risk,
    deadline,
    deadline - as_of_date as days_left,
    reviewed,
    reviewed_timely,
    reviewed_timely / nullif(reviewed, 0) as timely_rate,
    campaign,
    as_of
from figures
