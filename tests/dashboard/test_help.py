"""Help in the app: a `?` with an entry beside every card and chart title of every page, the
popover's text and link, the Help page, and a province's own settings shown in it."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pytest
from dash import dcc

import helptext
from dashboard import help_page, helptips
from dashboard.store import DataStore
from dashboard.view import PATHS
from tests.dashboard.conftest import AS_OF, find, render_all, text
from tests.queries import province

VIEWS = ["?org=P", "?org=U&lang=en", "?org=G1&rank=dues_compliance", "?org=B11"]


def titles_and_tips(component, titles: list, tips: list) -> None:
    """Every KPI card label, section card title and chart title under a component, and every
    `?` (its id)."""
    cid = getattr(component, "id", None)
    if isinstance(cid, dict) and cid.get("type") == "help-q":
        tips.append(cid)
    if isinstance(component, dbc.CardHeader):
        titles.append(("section", component.children.children[0]))
    if "kpi-label" in (getattr(component, "className", None) or ""):
        titles.append(("card", component.children))
    if isinstance(component, dcc.Graph):
        title = component.figure["layout"]["title"]
        titles.append(("chart", title["text"] if isinstance(title, dict) else title))
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            titles_and_tips(child, titles, tips)


@pytest.mark.parametrize("path", [p for name, p in PATHS.items() if name != "help"])
def test_every_card_and_chart_title_of_every_page_has_a_help_entry(store, path):
    """A title without an entry in helptext fails here (and shows no `?` on screen)."""
    for search in VIEWS:
        titles, tips = [], []
        titles_and_tips(render_all(store, path, search), titles, tips)
        assert titles, (path, search)
        missing = [(kind, title) for kind, title in titles if helptips.lookup(title) is None]
        assert not missing, f"{path}{search}: titles without a help entry: {missing}"
        assert len(tips) == len(titles), (path, search)
        assert len({(i["at"], i["entry"]) for i in tips}) == len(tips), "ids must be unique"
        assert all(helptext.entry(i["entry"]) is not None for i in tips)


def test_a_title_finds_its_entry_in_either_language_and_through_a_template():
    assert helptips.lookup("团费交纳率")[0].key == "dues_compliance"
    assert helptips.lookup("Dues compliance")[0].key == "dues_compliance"
    # "下级组织：{figure}" explains the figure it names
    assert helptips.lookup("下级组织：团干部入驻率")[0].key == "onboarding_rate"
    assert helptips.lookup("Colour: Transfers pending")[0].key == "transfers_pending"
    assert helptips.lookup("没有这个标题") is None


def test_the_popover_says_what_the_figure_means_and_links_to_the_help_page(store):
    body = helptips.popover_body(store, "registration_rate", "/registration",
                                 "?org=U&campaign=2024级新生报到&lang=en")
    shown = " ".join(text(c) for c in body)
    entry = helptext.entry("registration_rate")
    assert entry.en.definition in shown and entry.en.example in shown
    assert "2024级新生报到" in shown and "deadline" in shown  # the campaign in force
    link = body[-1]
    assert link.href == "/help?org=U&campaign=2024%E7%BA%A7%E6%96%B0%E7%94%9F%E6%8A%A5%E5%88%B0" \
                        "&lang=en#registration_rate"
    zh = " ".join(text(c) for c in helptips.popover_body(store, "arrears_6plus", "/", "?org=U"))
    assert helptext.entry("arrears_6plus").zh.action in zh and "详细" in zh


def test_the_help_page_lists_every_entry_with_its_anchor_in_chinese_and_english(store):
    for lang in ("zh", "en"):
        page = render_all(store, "/help", f"?org=U&lang={lang}")
        for e in helptext.entries():
            anchor = find(page, f"help-{e.key}")
            assert anchor is not None and e.text(lang).title in text(anchor), (lang, e.key)
        assert find(page, "help-search") is not None
        assert find(page, "nav-help").className.endswith("active")


def test_the_search_box_shows_only_the_matching_entries():
    entries, topics, line = help_page.visible("qianfei", "zh")
    shown = {k for k, style in entries.items() if style != {"display": "none"}}
    assert shown == {"arrears_6plus", "arrears_ageing", "platform_arrears_six_months"}
    assert {k for k, s in topics.items() if s == {}} == {"dues", "platform"}
    assert line == "“qianfei”：找到 3 条"
    entries, _, line = help_page.visible("zzzzxq", "en")
    assert all(s == {"display": "none"} for s in entries.values())
    assert "Nothing about" in line


SETTINGS = """
[cadre_scope]
branch_extra_positions = ["副书记"]
[[dues_standard]]
from = "2024-07"
student = 0.30
"""


@pytest.fixture(scope="module")
def settings_store(tmp_path_factory):
    """The hand-written province loaded with a province's own settings file."""
    import duckdb

    from etl.history import carry_history, record_load
    from etl.load import build, prepare
    from etl.settings import read_settings
    from tests.queries.conftest import create_raw

    base = tmp_path_factory.mktemp("help-settings")
    (base / "settings.toml").write_text(SETTINGS, encoding="utf-8")
    db = base / "zhtj.duckdb"
    con = duckdb.connect(str(db))
    try:
        prepare(con)
        create_raw(con, province.DATA)
        build(con, as_of=AS_OF, settings=read_settings(base / "settings.toml"))
        carry_history(con, None)
        record_load(con, as_of=AS_OF, source="test", seconds=0)
    finally:
        con.close()
    return DataStore(db)


def test_the_help_shows_the_rules_and_standard_the_load_applied(store, settings_store):
    """Default load: no branch position added, the default standard (students 0.20). With the
    settings file: rule C6 names 副书记, and students pay 0.30 from July 2024."""
    default = render_all(store, "/help", "?org=U")
    rules = text(find(default, "help-cadre_rules-dynamic"))
    assert "本省没有设置团支部额外录入的职务（规则 C6 不适用）" in rules
    assert "C6 在录入范围内" not in rules  # the rule with no position is not listed
    dues = text(find(default, "help-dues_standard-dynamic"))
    assert "默认标准" in dues and "0.20 元/月" in dues and "0.30" not in dues

    own = render_all(settings_store, "/help", "?org=U")
    rules = text(find(own, "help-cadre_rules-dynamic"))
    assert "本省设置：团支部除书记外还录入 副书记（规则 C6）" in rules
    assert "C6 在录入范围内 团支部：本省设置允许录入的其他职务 副书记" in rules
    dues = text(find(own, "help-dues_standard-dynamic"))
    assert "2024年9月适用的团费标准：2024年7月起的版本" in dues
    assert "学生 0.30 元/月" in dues and "0.20 元/月" not in dues
    english = text(find(render_all(settings_store, "/help", "?org=U&lang=en"),
                        "help-dues_standard-dynamic"))
    assert "the version from Jul 2024" in english and "student ¥0.30 a month" in english
    # the ? beside the cadres page's out-of-scope card shows the same rule table
    popover = helptips.popover_body(settings_store, "cadre_out_of_scope", "/cadres", "?org=U")
    assert "副书记（规则 C6）" in " ".join(text(c) for c in popover)


def test_the_help_page_works_before_anything_is_loaded(tmp_path):
    """A new installation (no database yet): the other pages say so, the Help page is there."""
    from dashboard.app import render_view

    empty = DataStore(tmp_path / "none.duckdb")
    page = render_view(empty, "/help", "?lang=en")
    assert find(page, "problem") is None
    assert helptext.entry("arrears_6plus").en.title in text(find(page, "help-arrears_6plus"))
    assert find(page, "help-cadre_rules-dynamic") is None  # nothing loaded, no rules to show
    assert find(render_view(empty, "/", "?lang=en"), "problem") is not None
