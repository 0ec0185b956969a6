-- org_search: organizations whose full name, short name, pinyin initials or pinyin contains the
-- search text (计算机, jsj, jisuanji); the navigator's search box. Best first: an exact name, then
-- a name, initials or pinyin that starts with the text, then shallower, then tree order. Names
-- are matched as written; initials and pinyin keep other characters lowercased, so Latin letters
-- in a name (IT部) are found in any case through them.
-- Grain: one row per matching organization inside :seq .. :seq_last, at most :limit rows.
-- Parameters: :q (the search text, lowercased), :seq, :seq_last, :limit.
with matches as (
    select
        seq,
        org_id,
        full_name,
        short_name,
        depth,
        coalesce(full_name = :q or short_name = :q, false) as is_exact,
        coalesce(starts_with(full_name, :q) or starts_with(short_name, :q)
            -- pinyin and initials have no spaces: "ji suan ji" finds jisuanji
            or starts_with(initials, replace(:q, ' ', ''))
            or starts_with(pinyin, replace(:q, ' ', '')), false) as is_prefix
    from org_search
    where seq between :seq and :seq_last
        -- haystack is full_name|short_name|initials|pinyin: one scan instead of four
        and (contains(haystack, :q) or contains(haystack, replace(:q, ' ', '')))
)

select seq, org_id, full_name, short_name, depth
from matches
order by is_exact desc, is_prefix desc, depth, seq
limit :limit
