-- transfer_returned_by_step: returned transfers (status 6-9) touching one organization's subtree
-- (sent from it or bound for it), by the step that returned them: 1 sending branch, 2 its
-- superior, 3 receiving branch, 4 its superior.
-- Grain: one row per step 1-4, all present (transfers 0 when none), in step order.
-- Parameters: :seq, :seq_last.
with returned as (
    select step, count(*) as transfers
    from transfer_steps
    where status between 6 and 9
      and (from_seq between :seq and :seq_last or to_seq between :seq and :seq_last)
    group by step
)

select
    s.step,
    coalesce(r.transfers, 0) as transfers
from (values (1), (2), (3), (4)) s(step)
left join returned r on r.step = s.step
order by s.step
