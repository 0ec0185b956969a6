-- member_duplicates: the member rows quarantined as duplicates of a kept member row (the same
-- 身份证号码 with other values; etl/RULES.md keeps the latest reviewed), with the branch and 团籍状态
-- they name. Kept after checked_members is dropped, for the check "the same person active in
-- two branches" (member_checks). Merged rows (identical to the kept one) are not here.
-- Grain: one row per quarantined duplicate member row (file_id, row_no). Parameters: none.
select
    file_id,
    row_no,
    id_number,
    name,
    branch_org_id,
    branch_seq,
    membership_status,
    membership_status = 0 as is_active
from checked_members
where disposition = 'duplicate'
order by id_number, file_id, row_no
