-- checked_members: one row per raw member row, typed, with its branch resolved and its
-- disposition ('loaded', 'merged', 'duplicate', 'invalid') and problem. The same person
-- (身份证号码) in several rows keeps the one with the latest review time (etl/RULES.md).
-- Grain: one row per row of raw_members. Parameters: none.
with raw as (
    select
        file_id, row_no,
        clean_text(name) as name,
        norm_id(id_number) as id_number,
        ric_expected_check(norm_id(id_number)) as id_check,
        coalesce(clean_text(branch_org_id), clean_text(branch)) as branch_ref,
        clean_text(registration_status) as registration_status_raw,
        clean_text(registered_at) as registered_at_raw,
        clean_text(reviewed_at) as reviewed_at_raw,
        clean_text(mobile) as mobile,
        clean_text(id_type) as id_type_raw,
        clean_text(political_status) as political_status_raw,
        clean_text(education) as education,
        clean_text(occupation) as occupation_raw,
        clean_text(income_band) as income_band_raw,
        clean_text(joined_month) as joined_month_raw,
        clean_text(member_number) as member_number,
        clean_text(membership_status) as membership_status_raw,
        -- strlen (bytes, at hand) bounds length (characters, counted): only long cells are counted
        case when greatest(strlen(name), strlen(id_number), strlen(branch), strlen(branch_org_id), strlen(registration_status), strlen(registered_at), strlen(reviewed_at), strlen(mobile), strlen(id_type), strlen(political_status), strlen(education), strlen(occupation), strlen(income_band), strlen(joined_month), strlen(member_number), strlen(membership_status)) > 500
            and greatest(length(name), length(id_number), length(branch), length(branch_org_id), length(registration_status), length(registered_at), length(reviewed_at), length(mobile), length(id_type), length(political_status), length(education), length(occupation), length(income_band), length(joined_month), length(member_number), length(membership_status)) > 500
            then long_value_problem([{'c': '姓名', 'v': name}, {'c': '身份证号码', 'v': id_number}, {'c': '所在团支部', 'v': branch}, {'c': '所在团支部ID', 'v': branch_org_id}, {'c': '报到资料状态', 'v': registration_status}, {'c': '申请报到时间', 'v': registered_at}, {'c': '资料审核时间', 'v': reviewed_at}, {'c': '手机号码', 'v': mobile}, {'c': '证件类型', 'v': id_type}, {'c': '政治面貌', 'v': political_status}, {'c': '全日制学历', 'v': education}, {'c': '职业', 'v': occupation}, {'c': '收入', 'v': income_band}, {'c': '入团年月', 'v': joined_month}, {'c': '团员编号', 'v': member_number}, {'c': '团籍状态', 'v': membership_status}]) end as long_value
    from raw_members
),

typed as (
    select
        r.*,
        o.org_id as branch_org_id,
        o.seq as branch_seq,
        cast(code_of('registration_status', registration_status_raw) as integer) as registration_status,
        parse_ts(registered_at_raw) as registered_at,
        parse_ts(reviewed_at_raw) as reviewed_at,
        cast(code_of('id_type', id_type_raw) as integer) as id_type,
        cast(code_of('political_status', political_status_raw) as integer) as political_status,
        cast(code_of('occupation', occupation_raw) as integer) as occupation,
        cast(code_of('income_band', income_band_raw) as integer) as income_band,
        parse_month(joined_month_raw) as joined_month,
        coalesce(cast(code_of('membership_status', membership_status_raw) as integer), 
                 case when membership_status_raw is null then 0 end) as membership_status,
        org_ref_problem('所在团支部', r.branch_ref, o.matches, o.org_type, true) as branch_problem,
        p.is_known as place_known,
        ric_shape_given(r.id_number, r.id_check) as id_shape
    from raw r
    left join org_refs o on o.ref = r.branch_ref
    left join ric_places p on p.prefix6 = substr(r.id_number, 1, 6) and p.birth_year = try_cast(substr(r.id_number, 7, 4) as integer)
),

row_checked as (
    select
        *,
        coalesce(
            long_value,
            case when name is null then problem('姓名', null, '缺少姓名', 'missing name (姓名)') end,
            code_problem('证件类型', id_type_raw, id_type),
            id_problem(id_number, id_type, id_shape, place_known),
            branch_problem,
            case when registration_status_raw is null
                then problem('报到资料状态', null, '缺少报到资料状态', 'missing registration status') end,
            code_problem('报到资料状态', registration_status_raw, registration_status),
            code_problem('团籍状态', membership_status_raw, membership_status),
            date_problem('申请报到时间', registered_at_raw, registered_at),
            date_problem('资料审核时间', reviewed_at_raw, reviewed_at),
            code_problem('政治面貌', political_status_raw, political_status),
            code_problem('职业', occupation_raw, occupation),
            code_problem('收入', income_band_raw, income_band),
            case when joined_month_raw is not null and joined_month is null
                then problem('入团年月', joined_month_raw, '入团年月不是有效月份', '入团年月 is not a valid month') end
        ) as row_problem
    from typed
),

valid as (
    select
        *,
        {'n': name, 'b': branch_org_id, 'rs': registration_status, 'ra': registered_at,
         'va': reviewed_at, 'm': mobile, 'it': id_type, 'ps': political_status, 'e': education,
         'o': occupation, 'ib': income_band, 'jm': joined_month, 'mn': member_number,
         'ms': membership_status} as row_values
    from row_checked
    where row_problem is null
),

repeated_keys as (
    select id_number from valid group by id_number having count(*) > 1
),

ranked as (
    select
        file_id, row_no, row_values,
        row_number() over w as rank_in_key,
        first_value(row_values) over w as kept_values,
        first_value(file_id) over w as kept_file_id,
        first_value(row_no) over w as kept_row_no
    from valid
    where id_number in (select id_number from repeated_keys)
    window w as (partition by id_number
                 order by reviewed_at desc nulls last, registered_at desc nulls last, file_id, row_no)
)

select
    c.file_id, c.row_no,
    c.name, c.id_number, c.branch_org_id, c.branch_seq, c.registration_status, c.registered_at, c.reviewed_at,
    c.mobile, c.id_type, c.political_status, c.education, c.occupation, c.income_band,
    c.joined_month, c.member_number, c.membership_status,
    case when c.id_shape is null then ric_birth_date(c.id_number) end as birth_date,
    case when c.id_shape is null then ric_gender(c.id_number) end as gender,
    disposition_of(c.row_problem, k.rank_in_key, k.row_values, k.kept_values) as disposition,
    row_or_duplicate_problem(c.row_problem, k.rank_in_key, k.row_values, k.kept_values,
        '身份证号码', c.id_number, '同一人有多条团员记录（保留审核时间最新的）', 'same person in several member rows (the latest reviewed is kept)', kf.path, k.kept_row_no) as problem
from row_checked c
left join ranked k on k.file_id = c.file_id and k.row_no = c.row_no
left join files kf on kf.file_id = k.kept_file_id
