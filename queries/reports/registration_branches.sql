-- registration_branches: the lagging branches of one campaign in one organization's subtree, a
-- page at a time (the registration page's list of whom to chase). A branch (团支部) lags when it
-- has roster entries of :campaign_id and fewer approved than roster. Figures as in
-- registration_summary: roster, approved (active, status 3, 4, 5), pending (active, status 1),
-- not_submitted (roster - approved - pending: returned, withdrawn, lapsed or not a member),
-- completion_approved, approved_recent (approvals whose reviewed_at date is in the 7 days up to
-- and including the as-of date), projected_date and is_at_risk (macros of the same names).
-- The contact (from branch_contacts) is the branch's operator (是否本组织运营者), else its 书记;
-- among several, the smaller 身份证号码; null without either. operator_position is the position
-- code ('secretary', 'organization', ...). total_rows counts the branches that pass the
-- filters, before paging.
-- Sorting: :sort is 'risk' (default, also for null or unknown values: at risk first, then
-- completion_approved ascending), 'completion', 'roster', 'not_submitted', 'pending', 'name'
-- (branch_name), 'parent' (parent_name); :descending reverses it; ties go by seq (ascending).
-- Filters: :name_filter (null or text contained in branch_name or parent_name), :at_risk_only.
-- Paging: :limit rows after the first :offset of that order (:limit null: all the rest).
-- Grain: one row per lagging branch on the page, in the chosen order.
-- Parameters: :seq, :seq_last, :campaign_id, :sort, :descending, :name_filter, :at_risk_only,
-- :limit, :offset.
with settings as (
    select
        case when :sort in ('risk', 'completion', 'roster', 'not_submitted', 'pending', 'name',
                            'parent')
             then cast(:sort as varchar) else 'risk' end as sort_by,
        coalesce(cast(:descending as boolean), false) as is_descending,
        nullif(cast(:name_filter as varchar), '') as name_filter,
        coalesce(cast(:at_risk_only as boolean), false) as is_at_risk_only
),

load_day as (
    select cast(as_of as date) as as_of_date
    from current_load
),

campaign as (
    select deadline
    from stg_campaigns
    where campaign_id = :campaign_id
),

branches as (
    select
        b.seq, b.org_id, b.branch_name, b.parent_name, b.operator_name, b.operator_mobile,
        b.operator_position, g.roster, g.approved, g.pending
    from org_rollup_registration g
    join branch_contacts b on b.seq = g.seq
    where g.campaign_id = :campaign_id and g.seq between :seq and :seq_last
      and b.seq between :seq and :seq_last
      and g.approved < g.roster
),

recent as (
    select d.seq, cast(sum(d.approved) as bigint) as approved_recent
    from registration_daily d
    cross join load_day l
    where d.campaign_id = :campaign_id and d.seq between :seq and :seq_last
      and d.seq in (select seq from branches)
      and d.day between l.as_of_date - 6 and l.as_of_date
    group by d.seq
),

figures as (
    select
        b.*,
        b.roster - b.approved - b.pending as not_submitted,
        b.approved / b.roster as completion_approved,
        coalesce(r.approved_recent, 0) as approved_recent,
        projected_date(b.roster - b.approved, coalesce(r.approved_recent, 0), l.as_of_date)
            as projected_date,
        is_at_risk(b.roster - b.approved, coalesce(r.approved_recent, 0), l.as_of_date,
                   c.deadline) as is_at_risk
    from branches b
    cross join load_day l
    cross join campaign c
    left join recent r on r.seq = b.seq
),

chosen as (
    select
        f.*,
        s.is_descending,
        case s.sort_by
            when 'completion' then f.completion_approved
            when 'roster' then f.roster
            when 'not_submitted' then f.not_submitted
            when 'pending' then f.pending
            when 'risk' then case when f.is_at_risk then 0 else 1 end
        end as number_key,
        case when s.sort_by = 'risk' then f.completion_approved end as number_key_2,
        case s.sort_by when 'name' then f.branch_name when 'parent' then f.parent_name end
            as text_key
    from figures f
    cross join settings s
    where (s.name_filter is null
           or contains(f.branch_name, s.name_filter)
           or contains(coalesce(f.parent_name, ''), s.name_filter))
      and (not s.is_at_risk_only or f.is_at_risk)
)

select
    seq,
    org_id,
    branch_name,
    parent_name,
    roster,
    approved,
    pending,
    not_submitted,
    completion_approved,
    approved_recent,
    projected_date,
    is_at_risk,
    operator_name,
    operator_mobile,
    operator_position,
    -- counted apart: a window count would stop the top-N sort of the page
    (select count(*) from chosen) as total_rows
from chosen
order by
    case when not is_descending then number_key end asc nulls last,
    case when is_descending then number_key end desc nulls last,
    case when not is_descending then number_key_2 end asc nulls last,
    case when is_descending then number_key_2 end desc nulls last,
    case when not is_descending then text_key end asc nulls last,
    case when is_descending then text_key end desc nulls last,
    seq
limit :limit
offset :offset
