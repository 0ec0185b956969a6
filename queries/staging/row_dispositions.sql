-- row_dispositions: what became of every row read, across all kinds: 'loaded', 'merged',
-- 'duplicate' or 'invalid', with the problem of the last two.
-- Grain: one row per row of every raw_* table. Parameters: none.
select 'orgs' as kind, file_id, row_no, disposition, problem from checked_orgs
union all
select 'members', file_id, row_no, disposition, problem from checked_members
union all
select 'cadres', file_id, row_no, disposition, problem from checked_cadres
union all
select 'transfers', file_id, row_no, disposition, problem from checked_transfers
union all
select 'dues', file_id, row_no, disposition, problem from checked_dues
union all
select 'campaigns', file_id, row_no, disposition, problem from checked_campaigns
union all
select 'roster', file_id, row_no, disposition, problem from checked_roster
