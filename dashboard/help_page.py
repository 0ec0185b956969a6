"""The Help page (帮助, /help): every figure's meaning, the entry-scope rules and the dues standard
as the load applied them, what to do about each follow-up list, and the platform's rules; a
search box that finds entries by Chinese words, English words or pinyin (qianfei, qf); each
entry has an anchor (/help#arrears_6plus) that the `?` popovers link to."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, dcc, html

import helptext
from dashboard import helptips
from dashboard.context import Context
from dashboard.i18n import fmt_int, normalize_lang, t
from dashboard.store import DataStore
from helptext.entries import TOPICS, Entry

# Scrolls to the entry the URL's #hash names once the page is drawn (the browser's own jump
# happens before Dash has drawn anything), and marks it; again when a link on the page changes
# the hash. It reads the browser's location, not the view: no callback of it reads the URL.
SCROLL = """
function (_ready) {
  if (!window.zhtjHelpGo) {
    window.zhtjHelpGo = function () {
      const key = decodeURIComponent(window.location.hash.replace(/^#/, ''));
      const el = key && document.getElementById('help-' + key);
      if (!el) { return; }
      document.querySelectorAll('.help-entry.help-target')
        .forEach(function (e) { e.classList.remove('help-target'); });
      const card = el.closest('.help-entry') || el;
      card.classList.add('help-target');
      card.scrollIntoView({block: 'start'});
    };
    window.addEventListener('hashchange', window.zhtjHelpGo);
  }
  setTimeout(window.zhtjHelpGo, 0);
  return window.location.hash;
}
"""


def entry_card(store: DataStore, ctx: Context, entry: Entry, parts: dict) -> dbc.Card:
    lang, view = ctx.lang, ctx.view
    text = entry.text(lang)
    part = parts.get(entry.dynamic) if entry.dynamic else None
    footer = []
    if entry.pages:
        footer.append(html.Div([html.Span(t("help_where", lang), className="me-1")] + [
            dcc.Link(t(f"page_{p}", lang), href=view.href(page=p), className="me-2")
            for p in entry.pages], className="help-where small"))
    if entry.related:
        footer.append(html.Div([html.Span(t("help_related", lang), className="me-1")] + [
            html.A(helptext.entry(k).text(lang).title, href=f"#{k}", className="me-2")
            for k in entry.related], className="help-related small"))
    return dbc.Card(dbc.CardBody([
        html.H5([text.title, html.A("#", href=f"#{entry.key}", className="help-anchor ms-2",
                                    title=entry.key)],
                id=f"help-{entry.key}", className="help-entry-title"),
        *helptips.body(entry, lang, part),
        *footer,
    ]), id={"type": "help-entry", "key": entry.key}, className="help-entry mb-3")


def layout(store: DataStore, ctx: Context):
    lang = ctx.lang
    # Each kind of part from the load is read once for the page (several entries share one);
    # before the first load there is none, and the rest of the help is there all the same.
    kinds = {e.dynamic: e for e in helptext.entries() if e.dynamic}
    parts = ({kind: helptips.dynamic_part(store, ctx, e) for kind, e in kinds.items()}
             if ctx.org is not None else {})
    groups = []
    for topic in TOPICS:
        cards = [entry_card(store, ctx, e, parts) for e in helptext.entries() if e.topic == topic]
        groups.append(html.Section([html.H4(t(f"help_topic_{topic}", lang),
                                            className="help-topic-title",
                                            id=f"help-topic_{topic}")] + cards,
                                   id={"type": "help-topic", "topic": topic}))
    return html.Div([
        html.H3(t("help_title", lang), className="mt-3"),
        html.P(t("help_intro", lang), className="text-muted"),
        html.Div([
            html.I(className="bi bi-search help-search-icon"),
            dcc.Input(id="help-search", type="search", debounce=0.3, autoComplete="off",
                      placeholder=t("help_search_placeholder", lang),
                      className="form-control help-search-input"),
        ], className="help-search mb-2"),
        html.Div(id="help-count", className="text-muted small mb-2"),
        html.Nav([html.A(t(f"help_topic_{topic}", lang), href=f"#topic_{topic}",
                         className="help-toc-link") for topic in TOPICS],
                 className="help-toc mb-2", id="help-toc"),
        dcc.Store(id="help-scrolled"),
        dcc.Store(id="help-lang", data=lang),  # the search callback's language, not the URL's
        html.Div(groups, id="help-list"),
    ], className="help-page")


def visible(query: str | None, lang: str) -> tuple[dict, dict, str]:
    """For the search box: each entry's style by key (hidden unless it matches), each topic's
    (hidden when none of its entries shows) and the line that says how many match."""
    found = {e.key for e in helptext.search(query)}
    every = helptext.entries()
    hide = {"display": "none"}
    entries = {e.key: {} if e.key in found else hide for e in every}
    topics = {topic: {} if any(e.topic == topic and e.key in found for e in every) else hide
              for topic in TOPICS}
    if not (query or "").strip():
        line = t("help_count_all", lang, n=fmt_int(len(every), lang))
    elif found:
        line = t("help_count", lang, n=fmt_int(len(found), lang), q=query.strip())
    else:
        line = t("help_none", lang, q=query.strip())
    return entries, topics, line


def register(app, store: DataStore, **_) -> None:
    @app.callback(Output({"type": "help-entry", "key": ALL}, "style"),
                  Output({"type": "help-topic", "topic": ALL}, "style"),
                  Output("help-count", "children"),
                  Input("help-search", "value"), State("help-lang", "data"))
    def on_search(query, lang):
        from dash import ctx as dash_ctx

        entries, topics, line = visible(query, normalize_lang(lang))
        entry_ids, topic_ids = dash_ctx.outputs_list[0], dash_ctx.outputs_list[1]
        return ([entries.get(o["id"]["key"], {}) for o in entry_ids],
                [topics.get(o["id"]["topic"], {}) for o in topic_ids], line)

    app.clientside_callback(SCROLL, Output("help-scrolled", "data"),
                            Input("help-list", "id"))
