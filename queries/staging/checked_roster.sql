-- checked_roster: one row per raw roster row (who is expected to register in a campaign), typed,
-- with campaign and branch resolved (the branch must lie in the subtree of the organization
-- running the campaign), disposition and problem.
-- Grain: one row per row of raw_roster. Parameters: none.
with raw as (
    select
        file_id, row_no,
        clean_text(campaign) as campaign,
        clean_text(name) as name,
        norm_id(id_number) as id_number,
        ric_expected_check(norm_id(id_number)) as id_check,
        clean_text(branch) as branch_ref,
        -- strlen (bytes, at hand) bounds length (characters, counted): only long cells are counted
        case when greatest(strlen(campaign), strlen(name), strlen(id_number), strlen(branch)) > 500
            and greatest(length(campaign), length(name), length(id_number), length(branch)) > 500
            then long_value_problem([{'c': '任务名称', 'v': campaign}, {'c': '姓名', 'v': name}, {'c': '身份证号码', 'v': id_number}, {'c': '所在团支部', 'v': branch}]) end as long_value
    from raw_roster
),

typed as (
    select
        r.*,
        c.campaign_id,
        o.org_id as branch_org_id,
        o.seq between scope.seq and scope.seq_last as is_in_campaign_scope,
        org_ref_problem('所在团支部', r.branch_ref, o.matches, o.org_type, true) as branch_problem,
        p.is_known as place_known,
        ric_shape_given(r.id_number, r.id_check) as id_shape
    from raw r
    left join stg_campaigns c on c.campaign = r.campaign
    left join org_tree scope on scope.org_id = c.org_id
    left join org_refs o on o.ref = r.branch_ref
    left join ric_places p on p.prefix6 = substr(r.id_number, 1, 6) and p.birth_year = try_cast(substr(r.id_number, 7, 4) as integer)
),

row_checked as (
    select
        *,
        coalesce(
            long_value,
            case when campaign is null then problem('任务名称', null, '缺少任务名称', 'missing 任务名称') end,
            case when campaign_id is null then problem('任务名称', campaign, '报到任务不存在', 'campaign not found') end,
            case when name is null then problem('姓名', null, '缺少姓名', 'missing name (姓名)') end,
            id_problem(id_number, null, id_shape, place_known),
            branch_problem,
            case when not is_in_campaign_scope then problem('所在团支部', branch_ref,
                '团支部不在该报到任务的组织范围内', 'branch is outside the organization running the campaign') end
        ) as row_problem
    from typed
),

ranked as (
    select
        file_id, row_no,
        row_number() over w as rank_in_key,
        {'n': name, 'b': branch_org_id} as row_values,
        first_value({'n': name, 'b': branch_org_id}) over w as kept_values,
        first_value(file_id) over w as kept_file_id,
        first_value(row_no) over w as kept_row_no
    from row_checked
    where row_problem is null
    window w as (partition by campaign_id, id_number order by file_id, row_no)
)

select
    c.file_id, c.row_no, c.campaign_id, c.name, c.id_number, c.branch_org_id,
    disposition_of(c.row_problem, k.rank_in_key, k.row_values, k.kept_values) as disposition,
    row_or_duplicate_problem(c.row_problem, k.rank_in_key, k.row_values, k.kept_values,
        '身份证号码', c.id_number, '同一人在同一报到任务名单中出现多次', 'same person twice in one campaign roster', kf.path, k.kept_row_no) as problem
from row_checked c
left join ranked k on k.file_id = c.file_id and k.row_no = c.row_no
left join files kf on kf.file_id = k.kept_file_id
