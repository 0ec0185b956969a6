-- stg_members: the members that were loaded, typed and coded, each in a branch (团支部),
-- numbered in tree order (member_key), so that a subtree's members are a contiguous range.
-- Grain: one row per person (id_number unique). Parameters: none.
select
    row_number() over (order by branch_seq, id_number) as member_key,
    name,
    id_number,
    id_type,
    birth_date,
    gender,
    branch_org_id,
    branch_seq,
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
order by member_key
