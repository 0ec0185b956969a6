-- transfer_reviews: every review of a transfer step that happened (approved or returned), who did
-- it, when its step began and how long it took. A step is reviewed by: 1 the sending branch
-- (from_org_id), 2 its superior (parent of from_org_id), 3 the receiving branch (to_org_id),
-- 4 its superior (parent of to_org_id); reviewer_org_id is null when that organization is not in
-- the tree (a receiving end outside the province).
-- A review happened when its step's time is recorded and the status shows the transfer got that
-- far: every step when completed (5) or withdrawn (0), the steps before the waiting one when
-- pending (1-4), up to the returning one when returned (6-9). Step 4's time falls back to
-- completed_at for a completed transfer.
-- started_at: macro transfer_step_started_at (created_at for step 1, else the previous step's
-- review time, else the one before it, else created_at). hours = (reviewed_at - started_at) in
-- hours; is_timely: hours <= 48 (the platform's 48-hour rule).
-- Grain: one row per (transfer_id, step) reviewed, in order of reviewer_seq. Parameters: none.
with transfers as (
    select
        transfer_id, created_at, status, from_org_id, to_org_id, completed_at,
        from_branch_reviewed_at, from_superior_reviewed_at, to_branch_reviewed_at,
        to_superior_reviewed_at
    from stg_transfers
),

orgs as (
    select org_id, seq, parent_org_id
    from org_tree
),

reached as (
    select
        t.*,
        f.parent_org_id as from_parent_org_id,
        o.parent_org_id as to_parent_org_id,
        case
            when t.status in (0, 5) then 4
            when t.status between 1 and 4 then t.status - 1
            when t.status between 6 and 9 then t.status - 5
        end as last_step
    from transfers t
    left join orgs f on f.org_id = t.from_org_id
    left join orgs o on o.org_id = t.to_org_id
),

steps as (
    select
        transfer_id, created_at, from_branch_reviewed_at, from_superior_reviewed_at,
        to_branch_reviewed_at, last_step,
        unnest([
            {'step': 1, 'reviewer_org_id': from_org_id, 'reviewed_at': from_branch_reviewed_at},
            {'step': 2, 'reviewer_org_id': from_parent_org_id,
             'reviewed_at': from_superior_reviewed_at},
            {'step': 3, 'reviewer_org_id': to_org_id, 'reviewed_at': to_branch_reviewed_at},
            {'step': 4, 'reviewer_org_id': to_parent_org_id,
             'reviewed_at': coalesce(to_superior_reviewed_at,
                                     case when status = 5 then completed_at end)}
        ]) as r
    from reached
),

reviews as (
    select
        transfer_id,
        r.step,
        r.reviewer_org_id,
        transfer_step_started_at(r.step, created_at, from_branch_reviewed_at,
                                 from_superior_reviewed_at, to_branch_reviewed_at) as started_at,
        r.reviewed_at
    from steps
    where r.reviewed_at is not null and r.step <= last_step
)

select
    v.transfer_id,
    v.step,
    v.reviewer_org_id,
    o.seq as reviewer_seq,
    v.started_at,
    v.reviewed_at,
    (epoch(v.reviewed_at) - epoch(v.started_at)) / 3600 as hours,
    (epoch(v.reviewed_at) - epoch(v.started_at)) / 3600 <= 48 as is_timely
from reviews v
left join orgs o on o.org_id = v.reviewer_org_id
order by o.seq, v.transfer_id, v.step
