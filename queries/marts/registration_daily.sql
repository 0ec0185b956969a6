-- registration_daily: what happened each day in each campaign, for every organization's subtree
-- (the registration page's curve, recent pace and backlog). Roster entries count where their
-- 所在团支部 is (as org_rollup_registration does); the person is matched by 身份证号码 to an
-- active member. Days are calendar dates of the timestamps (no time of day).
--   submitted: roster persons, active members with status 1, 3, 4 or 5 (pending or approved),
--              whose registered_at (申请报到时间) falls on the day;
--   approved:  roster persons, active members approved (status 3, 4, 5), whose reviewed_at
--              (资料审核时间) falls on the day;
--   pending:   of the persons submitted that day, those still pending (status 1) at the load
--              (the backlog, aged by report queries from current_load.as_of).
-- Persons without the timestamp in question appear on no day (so the cumulative curve can end
-- below org_rollup_registration's counts). Absolute days only: figures relative to the load's
-- as-of time are computed by the report queries.
-- Grain: one row per (campaign_id, organization, day) where anything happened in the subtree,
-- ordered by seq, campaign_id, day. Parameters: none.
with roster_people as (
    select
        r.campaign_id,
        r.branch_org_id as org_id,
        m.registration_status,
        m.is_registered_approved,
        m.is_registration_pending,
        m.registered_at,
        m.reviewed_at
    from stg_roster r
    join stg_members m on m.id_number = r.id_number
    where m.is_active
),

submissions as (
    select
        campaign_id,
        org_id,
        cast(registered_at as date) as day,
        1 as submitted,
        0 as approved,
        case when is_registration_pending then 1 else 0 end as pending
    from roster_people
    where registration_status in (1, 3, 4, 5) and registered_at is not null
),

approvals as (
    select
        campaign_id,
        org_id,
        cast(reviewed_at as date) as day,
        0 as submitted,
        1 as approved,
        0 as pending
    from roster_people
    where is_registered_approved and reviewed_at is not null
),

branch_days as (
    select
        campaign_id,
        org_id,
        day,
        sum(submitted) as submitted,
        sum(approved) as approved,
        sum(pending) as pending
    from (select * from submissions union all select * from approvals) e
    group by campaign_id, org_id, day
)

select
    cl.ancestor_seq as seq,
    f.campaign_id,
    cl.ancestor_org_id as org_id,
    f.day,
    cast(sum(f.submitted) as bigint) as submitted,
    cast(sum(f.approved) as bigint) as approved,
    cast(sum(f.pending) as bigint) as pending
from branch_days f
join org_closure cl on cl.org_id = f.org_id
group by cl.ancestor_seq, f.campaign_id, cl.ancestor_org_id, f.day
order by seq, f.campaign_id, f.day
