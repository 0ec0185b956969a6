-- followup_kinds: the kinds of follow-up item (CONTRACT.md §4) in the contract's order, so that
-- every report lists all of them (0 where a kind has no item) in one order.
-- Grain: one row per kind, ordered by kind_order. Parameters: none.
select kind_order, kind
from (values
    (1, 'lagging_branch'), (2, 'review_overdue'), (3, 'stuck_transfer'),
    (4, 'cadre_out_of_scope'), (5, 'cadre_not_onboarded'), (6, 'branch_without_cadre'),
    (7, 'arrears_6plus')
) as k(kind_order, kind)
order by kind_order
