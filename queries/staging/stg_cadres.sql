-- stg_cadres: the cadre records that were loaded: one person in one post in one organization.
-- Grain: one row per (id_number, org_id, position). Parameters: none.
select
    name,
    id_number,
    org_id,
    org_type,
    position,
    wecom_status,
    wecom_status = 1 as is_onboarded,
    is_operator,
    cadre_kind,
    in_post_since,
    mobile
from checked_cadres
where disposition = 'loaded'
