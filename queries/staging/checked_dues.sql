-- checked_dues: one row per raw dues bill line, typed, with its month (column or title row),
-- billing branch and member resolved (by ID number, else by name + mobile within the billing or
-- current branch), disposition and problem. Two lines for one member and month keep the paid one.
-- Grain: one row per row of raw_dues. Parameters: none.
with raw as (
    select
        d.file_id, d.row_no,
        clean_text(d.month) as month_raw,
        f.title,
        clean_text(d.name) as name,
        clean_text(d.branch) as branch_ref,
        clean_text(d.amount_due) as amount_due_raw,
        clean_text(d.paid_status) as paid_status_raw,
        clean_text(d.mobile) as mobile,
        norm_id(d.id_number) as id_number,
        clean_text(d.current_branch) as current_branch_ref,
        clean_text(d.voluntary_amount) as voluntary_raw,
        greatest(length(d.name), length(d.branch), length(d.id_number), length(d.mobile),
                 length(d.current_branch)) > 500 as too_long
    from raw_dues d
    join files f on f.file_id = d.file_id
),

typed as (
    select
        r.*,
        coalesce(parse_month(r.month_raw), case when r.month_raw is null then title_month(r.title) end) as dues_month,
        parse_yuan(r.amount_due_raw) as amount_due_yuan,
        cast(code_of('paid_status', r.paid_status_raw) as integer) as paid_code,
        parse_yuan(r.voluntary_raw) as voluntary_yuan,
        b.org_id as branch_org_id,
        cb.org_id as current_branch_org_id,
        org_ref_problem('所在团支部', r.branch_ref, b.matches, b.org_type, true) as branch_problem
    from raw r
    left join org_refs b on b.ref = r.branch_ref
    left join org_refs cb on cb.ref = r.current_branch_ref
),

by_id as (
    select t.file_id, t.row_no, m.id_number as member_id_number, 1 as matches
    from typed t
    join stg_members m on m.id_number = t.id_number
),

by_name as (
    select t.file_id, t.row_no, min(m.id_number) as member_id_number, count(distinct m.id_number) as matches
    from typed t
    join stg_members m
        on m.name = t.name and m.mobile = t.mobile
        and (m.branch_org_id = t.branch_org_id or m.branch_org_id = t.current_branch_org_id)
    where t.id_number is null
    group by t.file_id, t.row_no
),

matched as (
    select t.*, coalesce(i.member_id_number, n.member_id_number) as member_id_number,
           coalesce(i.matches, n.matches, 0) as member_matches
    from typed t
    left join by_id i on i.file_id = t.file_id and i.row_no = t.row_no
    left join by_name n on n.file_id = t.file_id and n.row_no = t.row_no
),

row_checked as (
    select
        *,
        coalesce(
            case when too_long then problem('(多列)', left(name, 50), '值过长（超过500字）', 'value too long (over 500 characters)') end,
            case when name is null then problem('团员姓名', null, '缺少团员姓名', 'missing member name (团员姓名)') end,
            case when month_raw is null and dues_month is null
                then problem('月份', title, '缺少月份（既无“月份”列，标题行也未写明月份）', 'no month: neither a 月份 column nor a month in a title row') end,
            case when dues_month is null then problem('月份', month_raw, '月份无效', 'invalid month') end,
            branch_problem,
            case when amount_due_raw is null then problem('当月应交金额（元）', null, '缺少当月应交金额', 'missing amount due') end,
            case when amount_due_yuan is null then problem('当月应交金额（元）', amount_due_raw, '当月应交金额不是数字', 'amount due is not a number') end,
            case when amount_due_yuan < 0 then problem('当月应交金额（元）', amount_due_raw, '当月应交金额为负数', 'negative amount due') end,
            case when paid_status_raw is null then problem('当月交纳状态', null, '缺少当月交纳状态', 'missing payment status') end,
            code_problem('当月交纳状态', paid_status_raw, paid_code),
            case when voluntary_raw is not null and voluntary_yuan is null
                then problem('自愿交费金额（元）', voluntary_raw, '自愿交费金额不是数字', 'voluntary amount is not a number') end,
            case when voluntary_yuan < 0 then problem('自愿交费金额（元）', voluntary_raw, '自愿交费金额为负数', 'negative voluntary amount') end,
            case when id_number is null and mobile is null
                then problem('身份证号码', null, '无身份证号码和手机号码，无法确定团员', 'no ID number and no mobile: cannot identify the member') end,
            case when member_matches = 0 and id_number is not null
                then problem('身份证号码', id_number, '找不到该身份证号码的团员', 'no member has this ID number') end,
            case when member_matches = 0
                then problem('团员姓名', name, '在该团支部找不到同名同手机号的团员', 'no member of this branch has this name and mobile') end,
            case when member_matches > 1
                then problem('团员姓名', name, '匹配到' || member_matches || '名团员，无法确定', 'matches ' || member_matches || ' members') end
        ) as row_problem
    from matched
),

valid as (
    select * from row_checked where row_problem is null
),

repeated_keys as (
    select member_id_number, dues_month
    from valid
    group by member_id_number, dues_month
    having count(*) > 1
),

ranked as (
    select
        v.file_id, v.row_no,
        row_number() over w as rank_in_key,
        {'b': v.branch_org_id, 'a': v.amount_due_yuan, 'p': v.paid_code, 'v': v.voluntary_yuan} as row_values,
        first_value({'b': v.branch_org_id, 'a': v.amount_due_yuan, 'p': v.paid_code, 'v': v.voluntary_yuan}) over w as kept_values,
        first_value(v.file_id) over w as kept_file_id,
        first_value(v.row_no) over w as kept_row_no
    from valid v
    semi join repeated_keys k on k.member_id_number = v.member_id_number and k.dues_month = v.dues_month
    window w as (partition by v.member_id_number, v.dues_month order by v.paid_code desc, v.file_id, v.row_no)
)

select
    c.file_id, c.row_no,
    c.dues_month, c.member_id_number, c.name, c.branch_org_id, c.current_branch_org_id,
    c.amount_due_yuan, c.paid_code = 1 as is_paid, coalesce(c.voluntary_yuan, 0) as voluntary_yuan,
    case
        when c.row_problem is not null then 'invalid'
        when k.rank_in_key is null or k.rank_in_key = 1 then 'loaded'
        when k.row_values = k.kept_values then 'merged'
        else 'duplicate'
    end as disposition,
    case
        when c.row_problem is not null then c.row_problem
        when k.rank_in_key > 1 and k.row_values <> k.kept_values then problem('月份', strftime(c.dues_month, '%Y-%m'),
            '同一团员同月有多条团费记录，' || kept_row_zh(kf.path, k.kept_row_no),
            'two bill lines for one member and month; ' || kept_row_en(kf.path, k.kept_row_no))
    end as problem
from row_checked c
left join ranked k on k.file_id = c.file_id and k.row_no = c.row_no
left join files kf on kf.file_id = k.kept_file_id
