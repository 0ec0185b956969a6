-- checked_cadres: one row per raw cadre row, typed, with its organization resolved, its position
-- coded (numbers read by the organization type's list), disposition and problem.
-- Grain: one row per row of raw_cadres. Parameters: none.
with raw as (
    select
        file_id, row_no,
        clean_text(name) as name,
        norm_id(id_number) as id_number,
        ric_expected_check(norm_id(id_number)) as id_check,
        coalesce(clean_text(org_id), clean_text(org)) as org_ref,
        clean_text(position) as position_raw,
        clean_text(wecom_status) as wecom_status_raw,
        clean_text(is_operator) as is_operator_raw,
        clean_text(cadre_kind) as cadre_kind_raw,
        clean_text(in_post_since) as in_post_since_raw,
        clean_text(mobile) as mobile,
        -- strlen (bytes, at hand) bounds length (characters, counted): only long cells are counted
        case when greatest(strlen(name), strlen(id_number), strlen(org), strlen(org_id), strlen(position), strlen(wecom_status), strlen(is_operator), strlen(cadre_kind), strlen(in_post_since), strlen(mobile)) > 500
            and greatest(length(name), length(id_number), length(org), length(org_id), length(position), length(wecom_status), length(is_operator), length(cadre_kind), length(in_post_since), length(mobile)) > 500
            then long_value_problem([{'c': '姓名', 'v': name}, {'c': '身份证号码', 'v': id_number}, {'c': '所在组织', 'v': org}, {'c': '组织ID', 'v': org_id}, {'c': '团内现任职务', 'v': position}, {'c': '是否入驻企业号', 'v': wecom_status}, {'c': '是否本组织运营者', 'v': is_operator}, {'c': '团干部性质', 'v': cadre_kind}, {'c': '任现职年月', 'v': in_post_since}, {'c': '手机号码', 'v': mobile}]) end as long_value
    from raw_cadres
),

typed as (
    select
        r.*,
        o.org_id,
        o.org_type,
        -- both lists' codes here, the choice below: a CASE holding look-ups costs the whole
        -- projection its shared subexpressions (twice the time)
        code_of('position_leading', r.position_raw) as position_leading,
        code_of('position_other', r.position_raw) as position_other,
        cast(code_of('wecom_status', r.wecom_status_raw) as integer) as wecom_status,
        code_of('yes_no', r.is_operator_raw) as is_operator_code,
        cast(code_of('cadre_kind', r.cadre_kind_raw) as integer) as cadre_kind,
        parse_month(r.in_post_since_raw) as in_post_since,
        org_ref_problem('所在组织', r.org_ref, o.matches, o.org_type, false) as org_problem,
        p.is_known as place_known,
        ric_shape_given(r.id_number, r.id_check) as id_shape
    from raw r
    left join org_refs o on o.ref = r.org_ref
    left join ric_places p on p.prefix6 = substr(r.id_number, 1, 6) and p.birth_year = try_cast(substr(r.id_number, 7, 4) as integer)
),

positioned as (
    select
        *,
        -- a number is read by the organization type's list, a label by either list
        case
            when regexp_full_match(position_raw, '\d+')
                then case when org_type = 1 then position_leading else position_other end
            else coalesce(position_leading, position_other)
        end as position
    from typed
),

row_checked as (
    select
        *,
        coalesce(
            long_value,
            case when name is null then problem('姓名', null, '缺少姓名', 'missing name (姓名)') end,
            id_problem(id_number, null, id_shape, place_known),
            org_problem,
            case when position_raw is null
                then problem('团内现任职务', null, '缺少团内现任职务', 'missing position (团内现任职务)') end,
            code_problem('团内现任职务', position_raw, position),
            case when wecom_status_raw is null
                then problem('是否入驻企业号', null, '缺少是否入驻企业号', 'missing 是否入驻企业号') end,
            code_problem('是否入驻企业号', wecom_status_raw, wecom_status),
            code_problem('是否本组织运营者', is_operator_raw, is_operator_code),
            code_problem('团干部性质', cadre_kind_raw, cadre_kind),
            case when in_post_since_raw is not null and in_post_since is null
                then problem('任现职年月', in_post_since_raw, '任现职年月不是有效月份', '任现职年月 is not a valid month') end
        ) as row_problem
    from positioned
),

ranked as (
    select
        file_id, row_no,
        row_number() over w as rank_in_key,
        {'n': name, 'w': wecom_status, 'op': coalesce(is_operator_code = '1', false), 'k': cadre_kind, 's': in_post_since, 'm': mobile} as row_values,
        first_value({'n': name, 'w': wecom_status, 'op': coalesce(is_operator_code = '1', false), 'k': cadre_kind, 's': in_post_since, 'm': mobile}) over w as kept_values,
        first_value(file_id) over w as kept_file_id,
        first_value(row_no) over w as kept_row_no
    from row_checked
    where row_problem is null
    window w as (partition by id_number, org_id, position order by file_id, row_no)
)

select
    c.file_id, c.row_no,
    c.name, c.id_number, c.org_id, c.org_type, c.position, c.wecom_status,
    coalesce(c.is_operator_code = '1', false) as is_operator,
    c.cadre_kind, c.in_post_since, c.mobile,
    disposition_of(c.row_problem, k.rank_in_key, k.row_values, k.kept_values) as disposition,
    row_or_duplicate_problem(c.row_problem, k.rank_in_key, k.row_values, k.kept_values,
        '团内现任职务', c.position_raw, '同一人在同一组织同一职务有多条记录', 'same person, organization and position in several rows', kf.path, k.kept_row_no) as problem
from row_checked c
left join ranked k on k.file_id = c.file_id and k.row_no = c.row_no
left join files kf on kf.file_id = k.kept_file_id
