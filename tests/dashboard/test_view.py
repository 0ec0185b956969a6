"""The URL carries the whole view; unknown pages and parameters are ignored."""

from dashboard.view import View, parse


def test_parse_reads_page_org_campaign_and_language():
    v = parse("/registration", "?org=U&campaign=2024级新生&lang=en&rank=x")
    assert v == View(page="registration", org="U", campaign="2024级新生", rank="x", lang="en")


def test_parse_ignores_unknown_pages_parameters_and_languages():
    v = parse("/nowhere", "?org=U&evil=1&lang=fr")
    assert v == View(page="overview", org="U", lang="zh")


def test_href_round_trips_and_keeps_the_view_when_changing_one_field():
    v = View(page="transfers", org="组织/1", campaign="任务 A", lang="en")
    href = v.href(lang="zh")
    path, _, query = href.partition("?")
    assert parse(path, "?" + query) == View(page="transfers", org="组织/1", campaign="任务 A",
                                            lang="zh")
    assert View(org="P").href(page="registration") == "/registration?org=P&lang=zh"
    assert View().href() == "/?lang=zh"


def test_search_is_the_query_part_only():
    assert View(org="P").search(org="U") == "?org=U&lang=zh"
