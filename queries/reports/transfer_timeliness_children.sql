-- transfer_timeliness_children: how timely the transfer reviews done under one organization were,
-- per child organization: the reviews whose reviewer lies in the child's subtree, those done
-- within 48 hours, and their share (from transfer_review_rollup). The organization itself, when
-- it reviewed (a committee reviews steps 2 and 4 for its own branches), is a row of its own with
-- is_self true, counting only its own reviews.
-- Grain: one row per child organization of :org_id with at least one review in its subtree, plus
-- one for :org_id itself when it reviewed; worst timely_rate first, then more reviews, then tree
-- order. Parameters: :org_id, :seq, :seq_last.
with children as (
    select seq, org_id, coalesce(short_name, full_name) as org_name
    from org_tree
    where seq > :seq and seq <= :seq_last and parent_org_id = :org_id
),

rates as (
    select c.seq, c.org_id, c.org_name, false as is_self, r.reviews, r.timely
    from children c
    join transfer_review_rollup r on r.seq = c.seq
    union all
    select t.seq, t.org_id, coalesce(t.short_name, t.full_name) as org_name, true as is_self,
           r.own_reviews as reviews, r.own_timely as timely
    from org_tree t
    join transfer_review_rollup r on r.seq = t.seq
    where t.seq = :seq and r.own_reviews > 0
)

select
    seq,
    org_id,
    org_name,
    is_self,
    reviews,
    timely,
    timely / reviews as timely_rate
from rates
order by timely_rate, reviews desc, seq
