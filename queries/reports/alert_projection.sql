-- alert_projection: every organization with a parent whose roster of a campaign not past its
-- deadline is projected to be incomplete at the deadline, judged as registration_children
-- judges each child (approvals of the 7 days up to the as-of date, continued: the macros
-- projected_date and is_at_risk), with its parent. A subscription takes the rows whose parent is
-- its organization: its children at risk, in every campaign with roster entries below it.
-- Grain: one row per (campaign, organization at risk), ordered by parent_org_id, completion,
-- seq. Parameters: none.
with load_day as (
    select cast(as_of as date) as as_of_date from current_load
),

recent as (
    select d.seq, d.campaign_id, cast(sum(d.approved) as bigint) as approved_recent
    from registration_daily d
    cross join load_day l
    where d.day between l.as_of_date - 6 and l.as_of_date
    group by d.seq, d.campaign_id
)

select
    t.seq,
    t.org_id,
    coalesce(t.short_name, t.full_name) as org_name,
    t.parent_org_id,
    c.campaign,
    c.deadline,
    g.roster,
    g.approved,
    g.approved / g.roster as completion,
    projected_date(g.roster - g.approved, coalesce(r.approved_recent, 0), l.as_of_date)
        as projected_date
from org_rollup_registration g
join org_tree t on t.seq = g.seq
join stg_campaigns c on c.campaign_id = g.campaign_id
cross join load_day l
left join recent r on r.seq = g.seq and r.campaign_id = g.campaign_id
where t.parent_org_id is not null
  and c.deadline >= l.as_of_date
  and is_at_risk(g.roster - g.approved, coalesce(r.approved_recent, 0), l.as_of_date, c.deadline)
order by t.parent_org_id, completion, t.seq
