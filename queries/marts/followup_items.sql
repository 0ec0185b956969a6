-- followup_items: the follow-up items open in this load (CONTRACT.md §4): one thing some
-- organization's operator must fix, with a kind and a key that stays the same from one load to
-- the next, so that a later load can tell whether it was fixed.
-- kind / open when / key / org_id (the organization it belongs to):
--   lagging_branch: a 团支部 with roster entries of a campaign and approved < roster (past the
--     deadline too) / campaign name + branch org id / the branch. Figures: roster, approved.
--   review_overdue: a registration pending review (报到资料状态 1 or 4) submitted (申请报到时间)
--     more than 48 hours before the as-of time / the member's ID number / the member's branch.
--     Figures: waiting_since (the submission).
--   stuck_transfer: a transfer with status 1-4 whose current step has waited more than 7 days /
--     from org, to org (or the outside name), ID number and application time (the files carry no
--     application number) / the organization that must act (transfer_steps.holder_org_id), else
--     the sending branch. Figures: step, waiting_since.
--   cadre_out_of_scope, cadre_not_onboarded: a cadre record outside the entry-scope rule; an
--     in-scope record with 是否入驻企业号 not 是 / org id + ID number + position / the cadre's
--     organization. Figures: position.
--   branch_without_cadre: a 团支部 with no cadre record / org id / the branch.
--   arrears_6plus: a member counted in arrears of 6 or more for the latest dues month (§2) /
--     the member's ID number / the branch billed that month. Figures: months_unpaid,
--     amount_owed_yuan (over the run).
-- item_key joins the key's parts with '|'. name and id_number are the person's (null for
-- organization items); the app masks them.
-- Grain: one row per (kind, item_key), ordered by kind, item_key. Parameters: none (the as-of
-- time from load_clock).
with clock as (
    select as_of from load_clock
),

lagging as (
    select
        'lagging_branch' as kind,
        c.campaign || '|' || r.org_id as item_key,
        r.org_id,
        c.campaign,
        r.roster,
        r.approved
    from org_rollup_registration r
    join org_tree t on t.seq = r.seq
    join stg_campaigns c on c.campaign_id = r.campaign_id
    where t.is_branch and r.approved < r.roster
),

reviews as (
    select
        'review_overdue' as kind,
        m.id_number as item_key,
        m.branch_org_id as org_id,
        m.name,
        m.id_number,
        m.registered_at as waiting_since
    from stg_members m, clock
    where m.registration_status in (1, 4)
      and m.registered_at < clock.as_of - interval 48 hour
),

transfers as (
    select
        'stuck_transfer' as kind,
        concat_ws('|', s.from_org_id, coalesce(s.to_org_id, s.to_outside_name), s.id_number,
                  strftime(s.created_at, '%Y-%m-%dT%H:%M:%S')) as item_key,
        coalesce(s.holder_org_id, s.from_org_id) as org_id,
        s.name,
        s.id_number,
        s.step,
        s.waiting_since
    from transfer_steps s, clock
    where s.status between 1 and 4
      and s.waiting_since < clock.as_of - interval 7 day
),

cadres as (
    select
        case when is_in_scope then 'cadre_not_onboarded' else 'cadre_out_of_scope' end as kind,
        concat_ws('|', org_id, id_number, position) as item_key,
        org_id,
        name,
        id_number,
        position
    from cadre_scope
    where not is_in_scope or not is_onboarded
),

without_cadre as (
    select 'branch_without_cadre' as kind, org_id as item_key, org_id
    from org_rollup_cadres
    where is_without_cadre
),

arrears as (
    select
        'arrears_6plus' as kind,
        m.id_number as item_key,
        t.org_id,
        m.name,
        m.id_number,
        a.unpaid_streak_months as months_unpaid,
        a.unpaid_run_yuan as amount_owed_yuan
    from member_arrears a
    join stg_members m on m.member_key = a.member_key
    join org_tree t on t.seq = a.branch_seq
    where a.dues_month = (select max(dues_month) from dues_months)
      and a.unpaid_streak_months >= 6
),

items as (
    select * from lagging
    union all by name select * from reviews
    union all by name select * from transfers
    union all by name select * from cadres
    union all by name select * from without_cadre
    union all by name select * from arrears
)

select
    kind,
    item_key,
    org_id,
    campaign,
    name,
    id_number,
    position,
    cast(step as integer) as step,
    cast(roster as bigint) as roster,
    cast(approved as bigint) as approved,
    cast(waiting_since as timestamp) as waiting_since,
    cast(months_unpaid as integer) as months_unpaid,
    cast(amount_owed_yuan as decimal(18, 2)) as amount_owed_yuan
from items
qualify row_number() over (partition by kind, item_key order by org_id) = 1
order by kind, item_key
