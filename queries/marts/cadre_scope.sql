-- cadre_scope: each loaded cadre record judged against the entry-scope rule (团干部录入范围,
-- CONTRACT.md §2): is_in_scope and the rule that decided it (rule_code: A = leading bodies,
-- 团委, 团工委; B = 团总支; C = 团支部, C2 being the smartphone exception, C6 the positions the
-- settings file allows in a branch). The rules are data: the table cadre_rules (written by
-- etl/cadre_rules.py with the load's setting) lists each rule's organization types, positions,
-- what it requires and whether it admits; the first matching rule by priority decides. What a
-- rule may require is the record's state in its branch: 'secretary_onboarded' (a 书记 record of
-- the organization is onboarded), 'exception_chosen' / 'exception_not_chosen' (the record is a
-- candidate for the smartphone exception: the organization's operator, in a position the
-- exception rule covers and no earlier rule admits, with no onboarded 书记; the first candidate by
-- onboarded first, then the smallest 身份证号码, then position, is chosen), else 'none'.
-- Grain: one row per cadre record. Parameters: none.
with cadres as (
    select * from stg_cadres
),

states as (
    select unnest(['none', 'secretary_onboarded', 'exception_chosen', 'exception_not_chosen'])
        as state
),

org_types as (
    select distinct unnest(org_types) as org_type
    from cadre_rules
),

-- The rule deciding each (organization type, position, state): a few hundred rows.
decisions as (
    select
        t.org_type,
        p.position,
        s.state,
        arg_min({'rule_code': r.rule_code, 'is_in_scope': r.is_in_scope, 'requires': r.requires},
                r.priority) as rule
    from org_types t
    cross join cadre_positions p
    cross join states s
    join cadre_rules r
        on list_contains(r.org_types, t.org_type)
       and (r.positions is null or list_contains(r.positions, p.position))
       and (r.requires is null or r.requires = s.state)
    group by t.org_type, p.position, s.state
),

orgs_with_onboarded_secretary as (
    select distinct org_id
    from cadres
    where position = 'secretary' and is_onboarded
),

exception_candidates as (
    select
        c.id_number, c.org_id, c.position,
        row_number() over (partition by c.org_id
                           order by c.is_onboarded desc, c.id_number, c.position) as candidate_rank
    from cadres c
    join decisions d
        on d.org_type = c.org_type and d.position = c.position and d.state = 'exception_chosen'
    where c.is_operator
      and d.rule.requires = 'exception_chosen'
      -- not exists, not `not in (select …)`: Spark runs that as a nested loop (rows × rows)
      and not exists (select 1 from orgs_with_onboarded_secretary o where o.org_id = c.org_id)
),

stated as (
    select
        c.*,
        case
            when e.candidate_rank = 1 then 'exception_chosen'
            when e.candidate_rank > 1 then 'exception_not_chosen'
            when s.org_id is not null then 'secretary_onboarded'
            else 'none'
        end as state
    from cadres c
    left join exception_candidates e
        on e.id_number = c.id_number and e.org_id = c.org_id and e.position = c.position
    left join orgs_with_onboarded_secretary s on s.org_id = c.org_id
)

select
    c.name, c.id_number, c.org_id, c.org_type, c.position, c.wecom_status, c.is_onboarded,
    c.is_operator, c.mobile,
    coalesce(d.rule.is_in_scope, false) as is_in_scope,
    d.rule.rule_code as rule_code
from stated c
left join decisions d
    on d.org_type = c.org_type and d.position = c.position and d.state = c.state
