-- transfer_review_rollup: transfer reviews (transfer_reviews) rolled up the tree: for each
-- organization, the reviews done by any organization in its subtree and how many were timely
-- (within 48 hours), and those it did itself. Precomputed so that the timeliness of a
-- province's children reads a few rows instead of every review.
-- Grain: one row per organization with at least one review in its subtree, in tree order.
-- Parameters: none.
with own as (
    select
        reviewer_seq as seq,
        count(*) as reviews,
        count(*) filter (where is_timely) as timely
    from transfer_reviews
    where reviewer_seq is not null
    group by reviewer_seq
),

rolled as (
    select
        cl.ancestor_seq as seq,
        cast(sum(o.reviews) as bigint) as reviews,
        cast(sum(o.timely) as bigint) as timely
    from own o
    join org_closure cl on cl.seq = o.seq
    group by cl.ancestor_seq
)

select
    r.seq,
    t.org_id,
    r.reviews,
    r.timely,
    coalesce(o.reviews, 0) as own_reviews,
    coalesce(o.timely, 0) as own_timely
from rolled r
join org_tree t on t.seq = r.seq
left join own o on o.seq = r.seq
order by r.seq
