-- checked_campaigns: one row per raw registration-campaign row, typed, with the organization
-- running it resolved, and its disposition and problem.
-- Grain: one row per row of raw_campaigns. Parameters: none.
with raw as (
    select
        file_id, row_no,
        clean_text(campaign) as campaign,
        clean_text(deadline) as deadline_raw,
        clean_text(org_id) as org_ref,
        -- strlen (bytes, at hand) bounds length (characters, counted): only long cells are counted
        case when greatest(strlen(campaign), strlen(deadline), strlen(org_id)) > 500
            and greatest(length(campaign), length(deadline), length(org_id)) > 500
            then long_value_problem([{'c': '任务名称', 'v': campaign}, {'c': '截止日期', 'v': deadline}, {'c': '组织ID', 'v': org_id}]) end as long_value
    from raw_campaigns
),

typed as (
    select
        r.*,
        cast(parse_ts(r.deadline_raw) as date) as deadline,
        o.org_id,
        org_ref_problem('组织ID', r.org_ref, o.matches, o.org_type, false) as org_problem
    from raw r
    left join org_refs o on o.ref = r.org_ref
),

row_checked as (
    select
        *,
        coalesce(
            long_value,
            case when campaign is null then problem('任务名称', null, '缺少任务名称', 'missing 任务名称') end,
            case when deadline_raw is null then problem('截止日期', null, '缺少截止日期', 'missing 截止日期') end,
            date_problem('截止日期', deadline_raw, deadline),
            org_problem
        ) as row_problem
    from typed
),

ranked as (
    select
        file_id, row_no,
        row_number() over w as rank_in_key,
        {'d': deadline, 'o': org_id} as row_values,
        first_value({'d': deadline, 'o': org_id}) over w as kept_values,
        first_value(file_id) over w as kept_file_id,
        first_value(row_no) over w as kept_row_no
    from row_checked
    where row_problem is null
    window w as (partition by campaign order by file_id, row_no)
)

select
    c.file_id, c.row_no, c.campaign, c.deadline, c.org_id,
    disposition_of(c.row_problem, k.rank_in_key, k.row_values, k.kept_values) as disposition,
    row_or_duplicate_problem(c.row_problem, k.rank_in_key, k.row_values, k.kept_values,
        '任务名称', c.campaign, '同名报到任务有多条不同记录', 'campaign defined twice differently', kf.path, k.kept_row_no) as problem
from row_checked c
left join ranked k on k.file_id = c.file_id and k.row_no = c.row_no
left join files kf on kf.file_id = k.kept_file_id
