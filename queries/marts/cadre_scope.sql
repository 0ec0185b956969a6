-- cadre_scope: each loaded cadre record judged against the entry-scope rule (团干部录入范围,
-- CONTRACT.md §2): is_in_scope and the rule that decided it (rule_code: A = leading bodies,
-- 团委, 团工委; B = 团总支; C = 团支部, C2 being the smartphone exception).
-- Grain: one row per cadre record. Parameters: none.
with cadres as (
    select * from stg_cadres
),

committee_positions as (
    select unnest(['deputy', 'organization', 'publicity', 'culture', 'production', 'rights',
                   'volunteer', 'member']) as position
),

branches_with_onboarded_secretary as (
    select distinct org_id
    from cadres
    where org_type = 5 and position = 'secretary' and is_onboarded
),

exception_candidates as (
    select
        id_number, org_id, position,
        row_number() over (partition by org_id order by is_onboarded desc, id_number, position) as candidate_rank
    from cadres
    where org_type = 5
      and is_operator
      and position in (select position from committee_positions)
      and org_id not in (select org_id from branches_with_onboarded_secretary)
)

select
    c.name, c.id_number, c.org_id, c.org_type, c.position, c.wecom_status, c.is_onboarded,
    c.is_operator, c.mobile,
    case
        when c.org_type in (1, 2, 3) then c.position <> 'other'
        when c.org_type = 4 then c.position in ('secretary', 'deputy', 'organization', 'publicity',
            'culture', 'production', 'rights', 'volunteer', 'member')
        else c.position = 'secretary' or coalesce(e.candidate_rank = 1, false)
    end as is_in_scope,
    case
        when c.org_type in (1, 2, 3) and c.position <> 'other' then 'A1'
        when c.org_type in (1, 2, 3) then 'A2'
        when c.org_type = 4 and c.position in ('secretary', 'deputy', 'organization', 'publicity',
            'culture', 'production', 'rights', 'volunteer', 'member') then 'B1'
        when c.org_type = 4 then 'B2'
        when c.position = 'secretary' then 'C1'
        when e.candidate_rank = 1 then 'C2'
        when e.candidate_rank > 1 then 'C3'
        when c.position in (select position from committee_positions)
             and c.org_id in (select org_id from branches_with_onboarded_secretary) then 'C4'
        else 'C5'
    end as rule_code
from cadres c
left join exception_candidates e
    on e.id_number = c.id_number and e.org_id = c.org_id and e.position = c.position
