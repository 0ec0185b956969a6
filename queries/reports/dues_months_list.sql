-- dues_months_list: the months that have dues data, latest first (the dues page's month and
-- range pickers). Grain: one row per dues_month. Parameters: none.
select dues_month, bill_lines
from dues_months
order by dues_month desc
