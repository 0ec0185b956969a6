-- quarantine_by_reason: the latest load's quarantined rows counted by kind and reason. The
-- quarantine is load-wide (a bad row may name no organization), so this is not per organization.
-- Reasons are grouped without the parts that vary from row to row (macros reason_group_zh and
-- reason_group_en: the kept row a duplicate names, the unknown value, how many organizations or
-- members matched); reason_zh here is the value quarantine_rows takes as :reason.
-- quarantined_rows = rows of that reason; column_names = the columns they name, '、'-separated;
-- is_duplicate = the rows are duplicates of a kept row. The quarantined_rows of all rows add up
-- to the quarantine's row count (quarantine_reconcile).
-- Grain: one row per (kind, reason_zh, reason_en), most rows first, then kind and reason_zh.
-- Parameters: none.
with grouped as (
    select
        kind,
        reason_group_zh(reason_zh) as reason_zh,
        reason_group_en(reason_en) as reason_en,
        column_name,
        is_duplicate
    from quarantine
)

select
    kind,
    reason_zh,
    reason_en,
    count(*) as quarantined_rows,
    string_agg(distinct column_name, '、' order by column_name) as column_names,
    bool_or(is_duplicate) as is_duplicate
from grouped
group by kind, reason_zh, reason_en
order by quarantined_rows desc, kind, reason_zh
