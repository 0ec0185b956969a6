-- org_refs: every way a file may name an organization (its 组织ID, or its 团组织全称) and what
-- it resolves to (id and tree position). A full name shared by several organizations resolves to none (matches > 1).
-- Grain: one row per reference text. Parameters: none.
with ids as (
    select org_id as ref, org_id, seq, org_type, 1 as matches
    from org_tree
),

names as (
    select
        full_name as ref,
        case when count(*) = 1 then any_value(org_id) end as org_id,
        case when count(*) = 1 then any_value(seq) end as seq,
        case when count(*) = 1 then any_value(org_type) end as org_type,
        count(*) as matches
    from org_tree o
    -- not exists, not `not in (select …)`: Spark runs that as a nested loop (rows × rows)
    where not exists (select 1 from org_tree i where i.org_id = o.full_name)
    group by full_name
)

select ref, org_id, seq, org_type, matches from ids
union all
select ref, org_id, seq, org_type, matches from names
