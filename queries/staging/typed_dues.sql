-- typed_dues: one row per raw dues bill line, typed, with its month (column or title row),
-- billing branch and member resolved (by ID number, else by name + mobile within the billing or
-- current branch), and its own problem (duplicates are found by dues_duplicates).
-- Grain: one row per row of raw_dues. Parameters: none.
-- Built for 120 million lines: nothing wide is materialized twice, values with few distinct
-- forms (months) are parsed once each.
with raw as not materialized (
    select
        file_id, row_no,
        clean_text(month) as month_raw,
        clean_text(name) as name,
        clean_text(branch) as branch_ref,
        clean_text(amount_due) as amount_due_raw,
        clean_text(paid_status) as paid_status_raw,
        clean_text(mobile) as mobile,
        norm_id(id_number) as id_number,
        clean_text(current_branch) as current_branch_ref,
        clean_text(voluntary_amount) as voluntary_raw,
        -- strlen (bytes, at hand) bounds length (characters, counted): only long cells are counted
        case when greatest(strlen(month), strlen(name), strlen(branch), strlen(amount_due), strlen(paid_status), strlen(mobile), strlen(id_number), strlen(current_branch), strlen(voluntary_amount), strlen(unpaid_total), strlen(political_status)) > 500
            and greatest(length(month), length(name), length(branch), length(amount_due), length(paid_status), length(mobile), length(id_number), length(current_branch), length(voluntary_amount), length(unpaid_total), length(political_status)) > 500
            then long_value_problem([{'c': '月份', 'v': month}, {'c': '团员姓名', 'v': name}, {'c': '所在团支部', 'v': branch}, {'c': '当月应交金额（元）', 'v': amount_due}, {'c': '当月交纳状态', 'v': paid_status}, {'c': '手机号码', 'v': mobile}, {'c': '身份证号码', 'v': id_number}, {'c': '团员当前所属支部', 'v': current_branch}, {'c': '自愿交费金额（元）', 'v': voluntary_amount}, {'c': '累计未交团费总数', 'v': unpaid_total}, {'c': '政治面貌', 'v': political_status}]) end as long_value
    from raw_dues
),

file_months as (
    select file_id, title, title_month(title) as title_month from files
),

paid_codes as (
    select label, cast(code as integer) as paid_code from label_codes where key = 'paid_status'
),

months as (
    select month_raw, parse_month(month_raw) as parsed_month
    from (select distinct clean_text(month) as month_raw from raw_dues where month is not null)
),

typed as not materialized (
    select
        r.*,
        f.title,
        case when r.month_raw is null then f.title_month else m.parsed_month end as dues_month,
        parse_yuan(r.amount_due_raw) as amount_due_yuan,
        pc.paid_code,
        parse_yuan(r.voluntary_raw) as voluntary_yuan,
        b.seq as branch_seq,
        cb.seq as current_branch_seq,
        org_ref_problem('所在团支部', r.branch_ref, b.matches, b.org_type, true) as branch_problem,
        mi.member_key as id_member
    from raw r
    left join file_months f on f.file_id = r.file_id
    left join months m on m.month_raw = r.month_raw
    left join paid_codes pc on pc.label = r.paid_status_raw
    left join org_refs b on b.ref = r.branch_ref
    left join org_refs cb on cb.ref = r.current_branch_ref
    left join stg_members mi on mi.id_number = r.id_number
),

by_name as (
    select t.file_id, t.row_no, min(m.member_key) as member_key, count(distinct m.member_key) as matches
    from typed t
    join stg_members m
        on m.name = t.name and m.mobile = t.mobile
        and (m.branch_seq = t.branch_seq or m.branch_seq = t.current_branch_seq)
    where t.id_number is null
    group by t.file_id, t.row_no
),

matched as (
    select
        t.*,
        coalesce(t.id_member, n.member_key) as member_key,
        case when t.id_number is not null then (case when t.id_member is null then 0 else 1 end)
             else coalesce(n.matches, 0) end as member_matches
    from typed t
    left join by_name n on n.file_id = t.file_id and n.row_no = t.row_no
),

row_checked as (
    select
        file_id, row_no, dues_month, member_key, branch_seq, current_branch_seq,
        amount_due_yuan, paid_code, voluntary_yuan,
        case
            -- the common case first, cheaply; the reasons are worked out only for the rest
            when long_value is null and name is not null and dues_month is not null
                and branch_problem is null and amount_due_yuan >= 0 and paid_code is not null
                and (voluntary_raw is null or voluntary_yuan >= 0) and member_matches = 1
                then null
            else coalesce(
                long_value,
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
            )
        end as row_problem
    from matched
)

select
    file_id, row_no, dues_month, member_key, branch_seq, current_branch_seq,
    amount_due_yuan, paid_code, voluntary_yuan, row_problem
from row_checked
