-- alert_arrears_coming: members 4 or 5 months in arrears in the latest dues month ("about to
-- reach six", when lapsing begins), in one organization's subtree, with the branch billed that
-- month and its contact.
-- Grain: one row per member, ordered by months unpaid descending, then seq, id_number.
-- Parameters: :seq, :seq_last.
select
    m.id_number as item_key,
    t.seq,
    t.org_id,
    t.full_name as org_name,
    m.name,
    m.id_number,
    a.unpaid_streak_months as months_unpaid,
    a.unpaid_run_yuan as amount_owed_yuan,
    k.contact_name,
    k.contact_mobile
from member_arrears a
join stg_members m on m.member_key = a.member_key
join org_tree t on t.seq = a.branch_seq
left join org_contacts k on k.org_id = t.org_id
where a.dues_month = (select max(dues_month) from dues_months)
  and a.unpaid_streak_months between 4 and 5
  and a.branch_seq between :seq and :seq_last
order by months_unpaid desc, t.seq, m.id_number
