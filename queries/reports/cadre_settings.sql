-- cadre_settings: the settings the load applied (etl/settings.py): settings_file (null: none
-- given), branch_extra_positions (code words) and branch_extra_labels (Chinese) allowed in a
-- 团支部 besides the 书记, seat_quotas (quotas set for organizations in the load),
-- seat_quotas_unknown (quotas naming no loaded organization: not used) and warnings (the
-- settings warnings of the load, as bilingual lines).
-- Grain: one row. Parameters: none.
select
    s.settings_file,
    s.branch_extra_positions,
    s.branch_extra_labels,
    (select count(*) from seat_quota q where q.org_id in (select org_id from org_tree))
        as seat_quotas,
    (select count(*) from seat_quota q where q.org_id not in (select org_id from org_tree))
        as seat_quotas_unknown,
    (select coalesce(list(w.message_zh || ' / ' || w.message_en || ' (' || w.key || ')'
                          order by w.key), [])
     from setting_warnings w) as warnings
from setting_cadre_scope s
