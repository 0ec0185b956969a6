-- dues_child_months: org_rollup_dues again, each row with its organization's parent (parent_seq)
-- and display name (简称, else 全称), ordered by parent first: the organizations one level below
-- any organization, over all months, are one contiguous stretch (the dues page's ranking of
-- the organizations below and its heatmap read them at the province without scanning every
-- organization's months). The root has no parent and no row here.
-- Grain: one row per (organization, dues_month) with bill lines in its subtree, ordered by
-- parent_seq, seq, dues_month. Parameters: none.
select
    p.seq as parent_seq,
    t.seq,
    t.org_id,
    t.org_type,
    coalesce(t.short_name, t.full_name) as org_name,
    r.dues_month,
    r.billed_members,
    r.paid_members,
    r.amount_due_yuan,
    r.amount_paid_yuan,
    r.voluntary_yuan,
    r.arrears_4_5_members,
    r.arrears_6plus_members,
    r.mismatched_lines
from org_rollup_dues r
join org_tree t on t.seq = r.seq
join org_tree p on p.org_id = t.parent_org_id
order by p.seq, t.seq, r.dues_month
