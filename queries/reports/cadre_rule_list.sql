-- cadre_rule_list: the entry-scope rule as the load applied it (cadre_rules, with the settings
-- file's branch positions in C6), for the cadres page's explanation of the rules: rule_code,
-- org_types (codes 1-5) and org_types_zh, positions (code words; null: any position not
-- matched by an earlier rule) and positions_zh, requires (null, 'secretary_onboarded',
-- 'exception_chosen', 'exception_not_chosen'), is_in_scope, is_setting (the positions come
-- from the settings file), is_active (false for a setting rule with no positions set), title,
-- explanation ({position} unfilled) and source sentence, each in Chinese and English.
-- Grain: one row per rule, in the order the rules are tried (priority). Parameters: none.
select
    rule_code,
    priority,
    org_types,
    org_types_zh,
    positions,
    positions_zh,
    requires,
    is_in_scope,
    is_setting,
    positions is null or len(positions) > 0 as is_active,
    title_zh,
    title_en,
    explanation_zh,
    explanation_en,
    source_zh,
    source_en
from cadre_rules
order by priority
