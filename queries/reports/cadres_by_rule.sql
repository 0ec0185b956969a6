-- cadres_by_rule: the out-of-scope cadre records of one organization's subtree by the rule that
-- put them out (cadre_findings), with the rule's title and explanation in Chinese and English
-- (its {position} filled with 该职务 / position, since a rule covers several positions): records,
-- onboarded_records (seats they take on the mobile app) and orgs (organizations with one).
-- Grain: one row per rule_code with at least one record, most records first, then rule_code.
-- Parameters: :seq, :seq_last (the organization's tree range, from org_lookup).
with found as (
    select rule_code, org_id, is_onboarded
    from cadre_findings
    where seq between :seq and :seq_last
),

counted as (
    select
        rule_code,
        count(*) as records,
        count(*) filter (where is_onboarded) as onboarded_records,
        count(distinct org_id) as orgs
    from found
    group by rule_code
)

select
    c.rule_code,
    r.title_zh,
    r.title_en,
    replace(r.explanation_zh, '{position}', '该职务') as explanation_zh,
    replace(r.explanation_en, '{position}', 'position') as explanation_en,
    c.records,
    c.onboarded_records,
    c.orgs
from counted c
left join cadre_rules r on r.rule_code = c.rule_code
order by c.records desc, c.rule_code
