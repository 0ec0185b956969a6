-- transfer_steps: every loaded transfer with both ends placed in the tree, the step it is at and,
-- while pending, who must act and since when. Times are absolute: ages are the reports' (from
-- current_load.as_of, recorded after the marts are built).
-- Steps: 1 sending branch (from_org_id), 2 its superior (the parent of from_org_id), 3 receiving
-- branch (to_org_id), 4 its superior (the parent of to_org_id).
-- step: for pending transfers (status 1-4) the step they wait at; for returned ones (6-9) the step
-- that returned them; otherwise null.
-- holder_org_id, holder_seq: pending only, the organization of that step; null when it is not in
-- the tree (a receiving end outside the province, to_org_id null; the parent of a root).
-- waiting_since: pending only, when the step began (macro transfer_step_started_at: created_at
-- for step 1, else the previous step's review time, else the one before it, else created_at).
-- from_path, to_path: the ends' ancestor_seqs (root first, the end last; to_path null outside
-- the province), so that reports place an end relative to any organization without a join.
-- from_org_name, to_org_name (null outside the province), holder_name: full names, kept here
-- so that the stuck list filters and sorts on them without joining the tree.
-- Grain: one row per transfer, in order of from_seq. Parameters: none.
with transfers as (
    select
        transfer_id, name, id_number, created_at, status, from_org_id, to_org_id, to_outside_name,
        completed_at, from_branch_reviewed_at, from_superior_reviewed_at, to_branch_reviewed_at
    from stg_transfers
),

orgs as (
    select org_id, seq, parent_org_id, ancestor_seqs, full_name
    from org_tree
),

placed as (
    select
        t.*,
        f.seq as from_seq,
        f.ancestor_seqs as from_path,
        f.full_name as from_org_name,
        o.seq as to_seq,
        o.ancestor_seqs as to_path,
        o.full_name as to_org_name,
        case
            when t.status between 1 and 4 then t.status
            when t.status between 6 and 9 then t.status - 5
        end as step,
        case t.status
            when 1 then t.from_org_id
            when 2 then f.parent_org_id
            when 3 then t.to_org_id
            when 4 then o.parent_org_id
        end as holder_org_id
    from transfers t
    left join orgs f on f.org_id = t.from_org_id
    left join orgs o on o.org_id = t.to_org_id
)

select
    p.transfer_id,
    p.name,
    p.id_number,
    p.created_at,
    p.status,
    p.from_org_id,
    p.from_seq,
    p.to_org_id,
    p.to_seq,
    p.to_outside_name,
    p.step,
    p.holder_org_id,
    h.seq as holder_seq,
    case when p.status between 1 and 4 then transfer_step_started_at(
        p.step, p.created_at, p.from_branch_reviewed_at, p.from_superior_reviewed_at,
        p.to_branch_reviewed_at) end as waiting_since,
    p.completed_at,
    p.from_path,
    p.to_path,
    p.from_org_name,
    p.to_org_name,
    h.full_name as holder_name
from placed p
left join orgs h on h.org_id = p.holder_org_id
order by p.from_seq, p.transfer_id
