"""Figure builders on small frames: traces, values and titles."""

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from dashboard import figures as builders


class _Validated:
    """Each builder's dict, validated by plotly (a wrong property name or value fails here)."""

    def __getattr__(self, name):
        attr = getattr(builders, name)
        if not callable(attr):
            return attr
        return lambda *a, **k: go.Figure(attr(*a, **k))


figures = _Validated()


def test_tree_chart_sizes_by_members_colours_by_the_figure_and_carries_org_ids():
    root = {"org_id": "U", "org_name": "某大学团委", "members_active": 30,
            "completion_approved": 0.5}
    nodes = pd.DataFrame({
        "org_id": ["G1", "B11"], "parent_org_id": ["U", "G1"], "org_name": ["计算机学院", "1班"],
        "members_active": [30, 30], "completion_approved": [0.5, None], "depth": [1, 2]})
    fig = figures.tree_chart(root, nodes, "completion_approved", "rate", "zh")
    trace = fig.data[0]
    assert trace.type == "sunburst"
    assert list(trace.ids) == ["U", "G1", "B11"]
    assert list(trace.parents) == ["", "U", "G1"]
    assert list(trace.customdata) == ["U", "G1", "B11"]
    assert list(trace.values) == [30, 30, 30]
    assert trace.marker.colors[2] == figures.MISSING  # no figure: grey, not a colour of the scale
    assert "报到完成率（已审核）" in fig.layout.title.text


def test_tree_chart_of_a_branch_is_its_centre_alone_to_click_up():
    fig = figures.tree_chart({"org_id": "B", "org_name": "支部", "members_active": 5},
                             pd.DataFrame(columns=["org_id", "parent_org_id", "org_name",
                                                   "members_active", "depth"]),
                             "completion_approved", "rate", "en")
    assert list(fig.data[0].ids) == ["B"] and list(fig.data[0].customdata) == ["B"]


def test_ranked_bars_put_the_worst_on_top():
    frame = pd.DataFrame({"org_id": ["a", "b"], "org_name": ["甲", "乙"],
                          "dues_compliance": [0.2, 0.9]})
    fig = figures.ranked_bars(frame, "dues_compliance", "rate", "zh")
    # plotly draws the first category at the bottom: the frame (worst first) is reversed
    assert list(fig.data[0].y) == ["乙", "甲"]
    assert list(fig.data[0].text) == ["90.0%", "20.0%"]


def test_completion_bars_stack_approved_and_pending_shares_and_mark_at_risk():
    children = pd.DataFrame({"org_id": ["a", "b"], "org_name": ["甲", "乙"], "roster": [10, 4],
                             "approved": [5, 4], "pending": [2, 0],
                             "is_at_risk": [True, False]})
    fig = figures.completion_bars(children, "en")
    approved, pending = fig.data
    assert approved.name == "Approved" and pending.name == "Pending"
    assert list(approved.y) == ["乙", "⚠ 甲"]
    assert list(approved.x) == [1.0, 0.5]
    assert list(pending.x) == [0.0, 0.2]
    assert fig.layout.barmode == "stack"


def test_registration_curve_has_both_lines_the_roster_the_deadline_and_the_projection():
    curve = pd.DataFrame({"day": [dt.date(2024, 9, 1), dt.date(2024, 9, 2)],
                          "cum_submitted": [3, 6], "cum_approved": [1, 4]})
    summary = {"roster": 10, "approved": 4, "deadline": dt.date(2024, 9, 30),
               "projected_date": dt.date(2024, 9, 8), "as_of": dt.datetime(2024, 9, 2, 12)}
    fig = figures.registration_curve(curve, summary, "zh")
    names = [tr.name for tr in fig.data]
    assert names == ["累计提交", "累计审核通过", "按近期速度预测"]
    assert list(fig.data[1].y) == [1, 4]
    assert list(fig.data[2].x) == ["2024-09-02", "2024-09-08"]
    assert list(fig.data[2].y) == [4, 10]
    assert fig.layout.shapes[0].y0 == 10  # the roster line
    assert any("2024年9月30日" in a.text for a in fig.layout.annotations)


def test_stacked_steps_show_each_age_bucket_per_step():
    frame = pd.DataFrame({"step": [1, 1, 1, 2, 2, 2], "age_bucket": ["le2", "3to7", "gt7"] * 2,
                          "transfers": [1, 0, 2, 0, 0, 3]})
    fig = figures.stacked_steps(frame, "zh")
    assert [tr.name for tr in fig.data] == ["≤2天", "3–7天", ">7天"]
    assert list(fig.data[2].x) == ["转出支部", "转出上级"]
    assert list(fig.data[2].y) == [2, 3]


def test_status_bars_and_empty_bucket_bars():
    fig = figures.status_bars({"pending_out": 2, "pending_in": 1, "pending_within": 4,
                               "completed": 5, "returned": 0, "withdrawn": 1}, "en")
    assert list(fig.data[0].y) == [2, 1, 4, 5, 0, 1]
    assert list(fig.data[0].x)[0] == "Pending out"
    empty = figures.bucket_bars(pd.DataFrame({"label": ["a"], "n": [0]}), "label", "n", "T", "zh")
    assert empty.data == () and empty.layout.annotations[0].text == "暂无数据"


def test_rate_bars_skip_organizations_without_a_rate():
    frame = pd.DataFrame({"org_name": ["甲", "乙"], "timely_rate": [0.5, None], "n": [4, 0]})
    fig = figures.rate_bars(frame, "timely_rate", "n", "及时率", "zh")
    assert list(fig.data[0].y) == ["甲"] and list(fig.data[0].text) == ["50.0% (4)"]


def test_flows_sankey_keeps_sources_and_targets_apart():
    flows = pd.DataFrame({"source_key": ["G1", "G2"], "source_name": ["计算机", "数学"],
                          "source_inside": [True, True], "target_key": ["G2", "out:C"],
                          "target_name": ["数学", "某市"], "target_inside": [True, False],
                          "transfers": [3, 2]})
    fig = figures.flows_sankey(flows, "zh")
    s = fig.data[0]
    assert list(s.node.label) == ["计算机", "数学", "数学", "某市"]
    assert list(s.link.source) == [0, 1] and list(s.link.target) == [2, 3]
    assert list(s.link.value) == [3, 2]
