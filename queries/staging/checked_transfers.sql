-- checked_transfers: one row per raw transfer row, typed, both ends resolved (the receiving end
-- may lie outside the province when 转往 is 转出省外 or 退回原籍), with disposition and problem.
-- Grain: one row per row of raw_transfers. Parameters: none.
with raw as (
    select
        file_id, row_no,
        clean_text(name) as name,
        norm_id(id_number) as id_number,
        ric_expected_check(norm_id(id_number)) as id_check,
        clean_text(created_at) as created_at_raw,
        clean_text(from_org) as from_ref,
        clean_text(to_org) as to_ref,
        clean_text(status) as status_raw,
        clean_text(completed_at) as completed_at_raw,
        clean_text(destination_kind) as destination_kind_raw,
        clean_text(cause) as cause_raw,
        clean_text(from_branch_reviewed_at) as step1_raw,
        clean_text(from_superior_reviewed_at) as step2_raw,
        clean_text(to_branch_reviewed_at) as step3_raw,
        clean_text(to_superior_reviewed_at) as step4_raw,
        -- strlen (bytes, at hand) bounds length (characters, counted): only long cells are counted
        case when greatest(strlen(name), strlen(id_number), strlen(created_at), strlen(from_org), strlen(to_org), strlen(status), strlen(completed_at), strlen(destination_kind), strlen(cause), strlen(from_branch_reviewed_at), strlen(from_superior_reviewed_at), strlen(to_branch_reviewed_at), strlen(to_superior_reviewed_at)) > 500
            and greatest(length(name), length(id_number), length(created_at), length(from_org), length(to_org), length(status), length(completed_at), length(destination_kind), length(cause), length(from_branch_reviewed_at), length(from_superior_reviewed_at), length(to_branch_reviewed_at), length(to_superior_reviewed_at)) > 500
            then long_value_problem([{'c': '姓名', 'v': name}, {'c': '身份证号码', 'v': id_number}, {'c': '申请时间', 'v': created_at}, {'c': '转出团组织', 'v': from_org}, {'c': '转入团组织', 'v': to_org}, {'c': '处理状态', 'v': status}, {'c': '完成时间', 'v': completed_at}, {'c': '转往', 'v': destination_kind}, {'c': '原因', 'v': cause}, {'c': '转出团支部审核时间', 'v': from_branch_reviewed_at}, {'c': '转出团支部上级审核时间', 'v': from_superior_reviewed_at}, {'c': '转入团支部审核时间', 'v': to_branch_reviewed_at}, {'c': '转入团支部上级审核时间', 'v': to_superior_reviewed_at}]) end as long_value
    from raw_transfers
),

typed as (
    select
        r.*,
        parse_ts(created_at_raw) as created_at,
        cast(code_of('transfer_status', status_raw) as integer) as status,
        parse_ts(completed_at_raw) as completed_at,
        cast(code_of('destination_kind', destination_kind_raw) as integer) as destination_kind,
        cast(code_of('cause', cause_raw) as integer) as cause,
        parse_ts(step1_raw) as from_branch_reviewed_at,
        parse_ts(step2_raw) as from_superior_reviewed_at,
        parse_ts(step3_raw) as to_branch_reviewed_at,
        parse_ts(step4_raw) as to_superior_reviewed_at,
        f.org_id as from_org_id,
        t.org_id as to_org_id,
        org_ref_problem('转出团组织', r.from_ref, f.matches, f.org_type, false) as from_problem,
        org_ref_problem('转入团组织', r.to_ref, t.matches, t.org_type, false) as to_problem,
        p.is_known as place_known,
        ric_shape_given(r.id_number, r.id_check) as id_shape
    from raw r
    left join org_refs f on f.ref = r.from_ref
    left join org_refs t on t.ref = r.to_ref
    left join ric_places p on p.prefix6 = substr(r.id_number, 1, 6) and p.birth_year = try_cast(substr(r.id_number, 7, 4) as integer)
),

row_checked as (
    select
        *,
        coalesce(
            long_value,
            case when name is null then problem('姓名', null, '缺少姓名', 'missing name (姓名)') end,
            id_problem(id_number, null, id_shape, place_known),
            case when created_at_raw is null then problem('申请时间', null, '缺少申请时间', 'missing 申请时间') end,
            date_problem('申请时间', created_at_raw, created_at),
            case when status_raw is null then problem('处理状态', null, '缺少处理状态', 'missing 处理状态') end,
            code_problem('处理状态', status_raw, status),
            code_problem('转往', destination_kind_raw, destination_kind),
            code_problem('原因', cause_raw, cause),
            from_problem,
            case when to_ref is not null and to_org_id is null and coalesce(destination_kind, 1) in (2, 3)
                 and coalesce(to_problem.reason_en, '') = 'organization not found' then null
                 else to_problem end,
            date_problem('完成时间', completed_at_raw, completed_at),
            date_problem('转出团支部审核时间', step1_raw, from_branch_reviewed_at),
            date_problem('转出团支部上级审核时间', step2_raw, from_superior_reviewed_at),
            date_problem('转入团支部审核时间', step3_raw, to_branch_reviewed_at),
            date_problem('转入团支部上级审核时间', step4_raw, to_superior_reviewed_at)
        ) as row_problem
    from typed
),

ranked as (
    select
        file_id, row_no,
        row_number() over w as rank_in_key,
        {'n': name, 'f': from_org_id, 't': coalesce(to_org_id, to_ref), 's': status, 'c': completed_at,
         'd': destination_kind, 'k': cause, 's1': from_branch_reviewed_at, 's2': from_superior_reviewed_at,
         's3': to_branch_reviewed_at, 's4': to_superior_reviewed_at} as row_values,
        first_value({'n': name, 'f': from_org_id, 't': coalesce(to_org_id, to_ref), 's': status, 'c': completed_at,
         'd': destination_kind, 'k': cause, 's1': from_branch_reviewed_at, 's2': from_superior_reviewed_at,
         's3': to_branch_reviewed_at, 's4': to_superior_reviewed_at}) over w as kept_values,
        first_value(row_no) over w as kept_row_no,
        first_value(file_id) over w as kept_file_id
    from row_checked
    where row_problem is null
    window w as (partition by id_number, created_at order by file_id, row_no)
)

select
    c.file_id, c.row_no,
    c.name, c.id_number, c.created_at, c.from_org_id, c.to_org_id,
    case when c.to_org_id is null then c.to_ref end as to_outside_name,
    c.status, c.completed_at, c.destination_kind, c.cause,
    c.from_branch_reviewed_at, c.from_superior_reviewed_at, c.to_branch_reviewed_at, c.to_superior_reviewed_at,
    disposition_of(c.row_problem, k.rank_in_key, k.row_values, k.kept_values) as disposition,
    row_or_duplicate_problem(c.row_problem, k.rank_in_key, k.row_values, k.kept_values,
        '申请时间', c.created_at_raw, '同一人同一申请时间有多条转接记录', 'same person and application time in several rows', kf.path, k.kept_row_no) as problem
from row_checked c
left join ranked k on k.file_id = c.file_id and k.row_no = c.row_no
left join files kf on kf.file_id = k.kept_file_id
