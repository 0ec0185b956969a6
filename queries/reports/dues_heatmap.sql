-- dues_heatmap: compliance of each child organization's subtree in each month of :since ..
-- :month (the dues page's heatmap): billed_members, paid_members, compliance (null when none
-- was billed). Children are ordered as on the page, worst first by their compliance in :month
-- (child_rank 1 = worst; nobody billed in :month last).
-- Grain: one row per (child organization, dues_month) with bill lines.
-- Parameters: :org_id, :seq, :seq_last (its tree range), :month, :since.
with children as (
    select seq, org_id, coalesce(short_name, full_name) as org_name
    from org_tree
    where seq > :seq and seq <= :seq_last and parent_org_id = :org_id
),

cells as (
    select
        c.seq,
        c.org_id,
        c.org_name,
        r.dues_month,
        r.billed_members,
        r.paid_members,
        r.paid_members / nullif(r.billed_members, 0) as compliance
    from children c
    join org_rollup_dues r on r.seq = c.seq
    where r.seq > :seq and r.seq <= :seq_last
      and r.dues_month between cast(:since as date) and cast(:month as date)
),

ranked as (
    select
        seq,
        row_number() over (order by max(compliance) filter (where dues_month = cast(:month as date))
                           asc nulls last, seq) as child_rank
    from cells
    group by seq
)

select
    c.org_id,
    c.org_name,
    k.child_rank,
    c.dues_month,
    c.billed_members,
    c.paid_members,
    c.compliance
from cells c
join ranked k on k.seq = c.seq
order by k.child_rank, c.dues_month
