-- progress_counts_kept: progress_counts for the period the load keeps (the previous load to the
-- latest), read from org_rollup_progress instead of computed: per kind, for one organization's
-- subtree, open, new, resolved, open over 14 days (0 where the subtree has no item of the kind;
-- new and resolved null on a first load, as org_rollup_progress has them).
-- Grain: one row per kind, in the contract's order. Parameters: :org_id.
select
    k.kind,
    cast(coalesce(r.open, 0) as bigint) as open,
    case when (select count(*) from loads) > 1 then cast(coalesce(r.new, 0) as bigint) end
        as new,
    case when (select count(*) from loads) > 1 then cast(coalesce(r.resolved, 0) as bigint) end
        as resolved,
    cast(coalesce(r.open_over_14_days, 0) as bigint) as open_over_14_days
from followup_kinds k
left join org_rollup_progress r on r.kind = k.kind and r.org_id = :org_id
order by k.kind_order
