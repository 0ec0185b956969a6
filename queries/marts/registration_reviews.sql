-- registration_reviews: review timeliness of each campaign's registrations, for every
-- organization's subtree. A review counts when the roster person (by 身份证号码) is a member
-- (whatever their 团籍状态: the review happened) with status 2, 3, 4 or 5 (returned or
-- approved) and both registered_at (申请报到时间) and reviewed_at (资料审核时间); it is timely when
-- reviewed_at - registered_at <= 48 hours (the platform's 及时响应率). The reviewing
-- organization is the member's own branch (its secretary or operator reviews), not the roster's
-- 所在团支部. Grain: one row per (campaign_id, organization with a counted review in its
-- subtree), ordered by seq, campaign_id. Parameters: none.
with reviews as (
    select
        r.campaign_id,
        m.branch_org_id as org_id,
        m.reviewed_at - m.registered_at <= interval 48 hours as is_timely
    from stg_roster r
    join stg_members m on m.id_number = r.id_number
    where m.registration_status in (2, 3, 4, 5)
      and m.registered_at is not null
      and m.reviewed_at is not null
),

branch_reviews as (
    select
        campaign_id,
        org_id,
        count(*) as reviewed,
        count(*) filter (where is_timely) as reviewed_timely
    from reviews
    group by campaign_id, org_id
)

select
    cl.ancestor_seq as seq,
    f.campaign_id,
    cl.ancestor_org_id as org_id,
    cast(sum(f.reviewed) as bigint) as reviewed,
    cast(sum(f.reviewed_timely) as bigint) as reviewed_timely
from branch_reviews f
join org_closure cl on cl.org_id = f.org_id
group by cl.ancestor_seq, f.campaign_id, cl.ancestor_org_id
order by seq, f.campaign_id
