-- stg_transfers: the transfer applications that were loaded. to_org_id is null for a receiving
-- organization outside the province (its name in to_outside_name).
-- Grain: one row per (id_number, created_at). Parameters: none.
select
    row_number() over (order by created_at, id_number) as transfer_id,
    name,
    id_number,
    created_at,
    from_org_id,
    to_org_id,
    to_outside_name,
    status,
    completed_at,
    destination_kind,
    cause,
    from_branch_reviewed_at,
    from_superior_reviewed_at,
    to_branch_reviewed_at,
    to_superior_reviewed_at
from checked_transfers
where disposition = 'loaded'
