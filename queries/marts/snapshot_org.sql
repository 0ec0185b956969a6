-- snapshot_org: this load's per-organization figures, dated, to append to history_org so that
-- trends across loads survive (the platform itself keeps only six months). Dues figures are
-- those of the latest month with dues data.
-- Grain: one row per organization for the current load. Parameters: none (reads current_load).
with latest_month as (
    select max(dues_month) as dues_month from dues_months
)

select
    l.load_id,
    l.as_of,
    r.org_id,
    r.members_active,
    r.members_approved,
    r.members_pending,
    r.reviews_pending,
    r.cadre_records,
    r.cadres_in_scope,
    r.cadres_out_of_scope,
    r.cadres_onboarded_in_scope,
    r.branches_without_cadre,
    r.transfers_pending_out,
    r.transfers_pending_in,
    r.transfers_completed,
    r.transfers_returned,
    d.dues_month,
    d.billed_members as dues_billed_members,
    d.paid_members as dues_paid_members,
    d.amount_due_yuan as dues_amount_due_yuan,
    d.amount_paid_yuan as dues_amount_paid_yuan,
    d.arrears_6plus_members as dues_arrears_6plus_members
from org_rollup r
cross join current_load l
left join org_rollup_dues d
    on d.org_id = r.org_id and d.dues_month = (select dues_month from latest_month)
