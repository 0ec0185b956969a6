-- dues_months: the months that have dues data, with their bill-line counts (the latest is the
-- default month of every dues figure). Grain: one row per dues_month. Parameters: none.
select dues_month, count(*) as bill_lines
from stg_dues
group by dues_month
order by dues_month
