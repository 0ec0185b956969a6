"""The `?` beside a card or chart title: a tap (or click) opens that figure's help entry in place,
with a link to the same entry on the Help page. The entry is found from the title itself (the
translation key that produced it), so every KPI card, section card and chart gets one from
dashboard/components.py and dashboard/charts.py, and a title without an entry gets none (a test
fails on it)."""

from __future__ import annotations

import functools
import re

import dash_bootstrap_components as dbc
from dash import MATCH, Input, Output, State, dcc, html, no_update

import helptext
from dashboard import context
from dashboard.i18n import LANGS, t, translations
from dashboard.shell import problem
from dashboard.store import DataStore
from dashboard.view import parse
from helptext import dynamic
from helptext.entries import Entry

_FIELD = re.compile(r"\{(\w+)\}")


@functools.cache
def _exact() -> dict[str, tuple[str, ...]]:
    """Every translated text (both languages) -> the keys that give it."""
    out: dict[str, list[str]] = {}
    for key, texts in translations().items():
        for lang in LANGS:
            if "{" not in texts[lang]:
                out.setdefault(texts[lang], []).append(key)
    return {text: tuple(keys) for text, keys in out.items()}


@functools.cache
def _templates() -> tuple[tuple[re.Pattern, str], ...]:
    """Texts with {fields} ("下级组织：{figure}") as patterns, with their key."""
    out = []
    for key, texts in translations().items():
        for lang in LANGS:
            text = texts[lang]
            if "{" in text:
                parts = _FIELD.split(text)  # literal, field, literal, ...
                pattern = "".join(re.escape(p) if i % 2 == 0 else "(.+)"
                                  for i, p in enumerate(parts))
                out.append((re.compile(pattern), key))
    return tuple(out)


def lookup(title: str | None) -> tuple[Entry, str] | None:
    """(entry, title key) of a card or chart title as shown: its exact translation, else a
    template's (the figure it names first: "下级组织：团费交纳率" is the dues compliance entry)."""
    if not isinstance(title, str) or not title.strip():
        return None
    for key in _exact().get(title, ()):
        found = helptext.for_title_key(key)
        if found is not None:
            return found, key
    for pattern, key in _templates():
        m = pattern.fullmatch(title)
        if m is None:
            continue
        for value in m.groups():
            inner = lookup(value)
            if inner is not None:
                return inner[0], f"{key}.{inner[1]}"
        found = helptext.for_title_key(key)
        if found is not None:
            return found, key
    return None


def button(title: str | None, at: str, lang: str | None = None):
    """The `?` for a title and its popover, or None when the title has no help entry. at: what
    it sits beside (a card id, a chart key), unique on the page."""
    found = lookup(title)
    if found is None:
        return None
    entry, key = found
    lang = lang or _lang_of(title)
    ident = {"at": f"{at}:{key}", "entry": entry.key}
    text = entry.text(lang)
    return html.Span([
        html.Button(html.I(className="bi bi-question-circle"), type="button",
                    # hovering shows the definition; a click or a tap opens the whole text
                    id={"type": "help-q", **ident}, className="help-q", title=text.definition,
                    **{"aria-label": t("help_about", lang, title=text.title)}),
        dbc.Popover([dbc.PopoverHeader(text.title),
                     dbc.PopoverBody(dbc.Spinner(size="sm", color="primary"),
                                     id={"type": "help-body", **ident})],
                    target={"type": "help-q", **ident}, id={"type": "help-pop", **ident},
                    trigger="legacy", placement="bottom", class_name="help-popover"),
    ], className="help-tip")


def _lang_of(title: str) -> str:
    for key in _exact().get(title, ()):
        return "en" if translations()[key]["en"] == title else "zh"
    return "en" if title.isascii() else "zh"


# -- what an entry says: the same in the popover and on the Help page ------------------------

def dynamic_part(store: DataStore, ctx: context.Context, entry: Entry) -> dict | None:
    """The entry's part read from the published load (rules, standard, campaign), or None."""
    if entry.dynamic is None:
        return None
    with store.cursor() as cur:
        return dynamic.part(entry.dynamic, cur, ctx.lang, campaign_row=ctx.campaign,
                            as_of=ctx.info.get("as_of"), org_name=ctx.org["full_name"],
                            dues_month=ctx.info.get("latest_dues_month"))


def render_part(part: dict | None, key: str):
    if not part:
        return None
    children = [html.P(line, className="mb-1") for line in part.get("lines", ())]
    if part.get("rows"):
        children.append(dbc.Table(
            [html.Thead(html.Tr([html.Th(c) for c in part["columns"]])),
             html.Tbody([html.Tr([html.Td(v) for v in row]) for row in part["rows"]])],
            size="sm", bordered=False, striped=True, responsive=True,
            className="small-table help-table mb-0"))
    return html.Div(children, className="help-dynamic", id=f"help-{key}-dynamic")


def body(entry: Entry, lang: str, part: dict | None) -> list:
    """Definition, example, what to do, and the part from the load."""
    text = entry.text(lang)
    out = [html.P(text.definition, className="help-definition")]
    out.append(html.P([html.Strong(t("help_example", lang)), text.example],
                      className="help-example"))
    if text.action:
        out.append(html.P([html.Strong(t("help_action", lang)), text.action],
                          className="help-action"))
    out.append(render_part(part, entry.key))
    return [c for c in out if c is not None]


def href(view, key: str) -> str:
    """The Help page's entry, keeping the view's organization, campaign and language."""
    return view.href(page="help", rank=None, month=None, since=None, from_load=None) + f"#{key}"


def popover_body(store: DataStore, entry_key: str, pathname, search, *, is_open: bool = True):
    """The popover's text for the URL's view (through context.resolve, like every request: an
    organization outside the account's subtree gets the refusal instead)."""
    view = parse(pathname, search)
    ctx = context.resolve(store, view)
    if ctx.problem is not None:
        return problem(view, ctx)
    entry = helptext.entry(entry_key)
    if entry is None or not is_open:
        return no_update
    part = dynamic_part(store, ctx, entry)
    more = dcc.Link([t("help_more", view.lang), html.I(className="bi bi-chevron-right ms-1")],
                    href=href(view, entry.key), className="help-more")
    return [*body(entry, view.lang, part), more]


def register(app, store: DataStore, **_) -> None:
    @app.callback(Output({"type": "help-body", "at": MATCH, "entry": MATCH}, "children"),
                  Input({"type": "help-pop", "at": MATCH, "entry": MATCH}, "is_open"),
                  State({"type": "help-pop", "at": MATCH, "entry": MATCH}, "id"),
                  State("url", "pathname"), State("url", "search"), prevent_initial_call=True)
    def fill(is_open, ident, pathname, search):
        entry = ident.get("entry") if isinstance(ident, dict) else None
        return popover_body(store, entry, pathname, search, is_open=bool(is_open))

