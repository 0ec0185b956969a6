-- load_info: the published load (its as-of time and number), the previous load's as-of time,
-- the first root organization (the default view) and the latest month with dues data.
-- Grain: one row. Parameters: none.
select
    l.load_id,
    l.as_of,
    l.loaded_at,
    (select max(p.as_of) from loads p where p.load_id < l.load_id) as previous_as_of,
    (select org_id from org_tree where depth = 0 order by seq limit 1) as root_org_id,
    (select max(dues_month) from dues_months) as latest_dues_month
from current_load l
