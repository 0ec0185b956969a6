-- stg_orgs: the organizations that were loaded, typed and placed in the tree.
-- Grain: one row per organization (org_id unique). Parameters: none.
select
    org_id,
    parent_org_id,
    org_type,
    full_name,
    coalesce(short_name, full_name) as short_name,
    industry,
    is_graduating
from checked_orgs
where disposition = 'loaded'
