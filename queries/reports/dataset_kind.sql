-- dataset_kind: whether the published data is a demo (made by zhtj generate, whose marker file
-- the load found), for the 演示数据 / demo data badge of every page, download and pack.
-- Grain: one row (the table `dataset`, written by etl/dataset.py). Parameters: none.
select
    is_demo,
    marker
from dataset
