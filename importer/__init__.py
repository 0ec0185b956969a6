"""Loads from the browser (导入数据): uploads streamed to disk, safe unzipping, and `zhtj etl`'s
load run in a background process of its own, one at a time."""
