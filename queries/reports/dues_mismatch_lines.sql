-- dues_mismatch_lines: the bill lines of :month in one organization's subtree billed
-- differently from the dues standard (dues_mismatches), one page at a time: the member (raw name,
-- mobile, id_number: the app masks them), the branch billed, the amount billed and the amount
-- expected in yuan, the expected category and the category whose amount was billed (labels from
-- dues_standard in Chinese and English; billed_as null when no category has that amount).
-- :name_filter (null: none) keeps rows whose member or branch name contains it. total_rows
-- counts the rows kept. Order: tree order of the branch, then member.
-- Grain: one row per mismatched bill line; rows :offset + 1 .. :offset + :limit.
-- Parameters: :seq, :seq_last, :month, :name_filter, :limit, :offset.
with kept as materialized (
    select x.*
    from dues_mismatches x
    where x.dues_month = cast(:month as date)
      and x.branch_seq between :seq and :seq_last
      and (:name_filter is null
           or x.member_key in (select member_key from stg_members
                               where branch_seq between :seq and :seq_last
                                 and contains(name, :name_filter))
           or x.branch_seq in (select seq from org_tree
                               where seq between :seq and :seq_last
                                 and contains(full_name, :name_filter)))
),

total as (
    select count(*) as total_rows from kept
),

page as (
    select *
    from kept
    order by branch_seq, member_key
    limit :limit
    offset :offset
)

select
    k.member_key,
    m.name,
    m.mobile,
    m.id_number,
    b.full_name as branch_name,
    k.amount_due_yuan,
    k.expected_yuan,
    e.label_zh as expected_zh,
    e.label_en as expected_en,
    s.label_zh as billed_as_zh,
    s.label_en as billed_as_en,
    k.is_paid,
    t.total_rows
from page k
join stg_members m on m.member_key = k.member_key
join org_tree b on b.seq = k.branch_seq
left join dues_standard e on e.version_month = k.version_month and e.band_key = k.expected_band_key
left join dues_standard s on s.version_month = k.version_month and s.band_key = k.billed_as_band_key
cross join total t
order by k.branch_seq, k.member_key
