-- dues_heatmap: compliance of each child organization's subtree in each month of :since ..
-- :month (the dues page's heatmap): billed_members, paid_members, compliance (null when none
-- was billed). Children are ordered as on the page, worst first by their compliance in :month
-- (child_rank 1 = worst; nobody billed in :month last).
-- Read from dues_child_months (the children's rows are contiguous there).
-- Grain: one row per (child organization, dues_month) with bill lines.
-- Parameters: :seq (the organization's, from org_lookup), :month, :since.
with cells as (
    select
        seq,
        org_id,
        org_name,
        dues_month,
        billed_members,
        paid_members,
        paid_members / nullif(billed_members, 0) as compliance
    from dues_child_months
    where parent_seq = :seq
      and dues_month between cast(:since as date) and cast(:month as date)
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
