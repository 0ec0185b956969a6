-- stg_members: the members that were loaded, typed and coded, each in a branch (团支部).
-- Grain: one row per person (id_number unique). Parameters: none.
select
    name,
    id_number,
    id_type,
    birth_date,
    gender,
    branch_org_id,
    registration_status,
    registered_at,
    reviewed_at,
    mobile,
    political_status,
    education,
    occupation,
    income_band,
    joined_month,
    member_number,
    membership_status,
    membership_status = 0 as is_active,
    registration_status in (3, 4, 5) as is_registered_approved,
    registration_status = 1 as is_registration_pending
from checked_members
where disposition = 'loaded'
