-- branch_contacts: each branch (团支部) with its parent's name and the cadre to contact about its
-- registrations (org_contacts: the branch's cadre marked as its operator (是否本组织运营者), else
-- its 书记; among several, the smaller 身份证号码, then position); null fields when the branch has
-- neither. Kept so that the registration page's paged list of branches reads
-- neither the whole tree nor the cadre records on each request.
-- Grain: one row per branch, ordered by seq. Parameters: none.
select
    b.seq,
    b.org_id,
    b.full_name as branch_name,
    b.parent_org_id,
    p.full_name as parent_name,
    c.contact_name as operator_name,
    c.contact_mobile as operator_mobile,
    c.contact_position as operator_position
from org_tree b
left join org_tree p on p.org_id = b.parent_org_id
left join org_contacts c on c.org_id = b.org_id
where b.is_branch
order by b.seq
