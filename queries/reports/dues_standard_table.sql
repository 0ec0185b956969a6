-- dues_standard_table: the dues standard the load applied (from the settings; DOMAIN.md §5), for
-- the dues page: each version's month and, per category, its amount in yuan and labels.
-- Grain: one row per (version, category), by version then band_no. Parameters: none.
select
    version_month,
    applies_until,
    band_no,
    band_key,
    amount_yuan,
    label_zh,
    label_en
from dues_standard
order by version_month, band_no
