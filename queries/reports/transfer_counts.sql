-- transfer_counts: the transfer figures of one organization's subtree. pending_out, pending_in,
-- completed, returned and withdrawn are CONTRACT.md §2's (from org_rollup); pending_within counts
-- the pending transfers (status 1-4) with both ends inside the subtree, which neither pending
-- figure counts. With the load's as-of time.
-- Grain: one row (none when :seq is not loaded). Parameters: :seq, :seq_last.
with rollup as (
    select
        transfers_pending_out,
        transfers_pending_in,
        transfers_completed,
        transfers_returned,
        transfers_withdrawn
    from org_rollup
    where seq = :seq
),

within as (
    select count(*) as pending_within
    from transfer_steps
    where status between 1 and 4
      and from_seq between :seq and :seq_last
      and to_seq between :seq and :seq_last
)

select
    r.transfers_pending_out as pending_out,
    r.transfers_pending_in as pending_in,
    w.pending_within,
    r.transfers_completed as completed,
    r.transfers_returned as returned,
    r.transfers_withdrawn as withdrawn,
    l.as_of
from rollup r
cross join within w
cross join current_load l
