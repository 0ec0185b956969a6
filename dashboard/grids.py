"""Person- and branch-level tables: AG Grid's infinite row model (pages fetched from the server)
and CSV / XLSX downloads built on the server from the same query."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from dashboard import access, context
from dashboard.i18n import t
from dashboard.store import DataStore
from dashboard.view import parse

PAGE_ROWS = 100
DOWNLOAD_ROWS = 1_000_000  # a download is the whole list, not the pages the grid has shown


@dataclass(frozen=True)
class Column:
    key: str  # the query's column
    label: str  # translation key of the header
    sort: str | None = None  # the query's :sort value for this column; None = not sortable
    text_filter: bool = False  # a text filter on it feeds the query's :name_filter
    width: int | None = None


@dataclass(frozen=True)
class GridSpec:
    grid_id: str
    columns: tuple[Column, ...]
    # fetch(store, ctx, offset, limit, sort, descending, name_filter) -> (rows frame, total)
    fetch: Callable
    # present(rows frame, lang, *, reveal) -> frame formatted for people (masked unless reveal,
    # labelled); same for grid and files. reveal is the request's (ctx.reveal: the account's role).
    present: Callable
    file_stem: str  # translation key of the download's file name
    # True: fetch also takes filter_on, the key of the column the text filter was typed in (a
    # query can then test only that column, e.g. branch names and not members' names).
    filter_on: bool = False


def layout(spec: GridSpec, lang: str) -> html.Div:
    cols = [{"field": c.key, "headerName": t(c.label, lang), "sortable": c.sort is not None,
             **({"filter": "agTextColumnFilter",
                 "filterParams": {"filterOptions": ["contains"], "maxNumConditions": 1}}
                if c.text_filter else {}),
             **({"width": c.width} if c.width else {"flex": 1, "minWidth": 110})}
            for c in spec.columns]
    grid = dag.AgGrid(
        id=spec.grid_id,
        rowModelType="infinite",
        columnDefs=cols,
        defaultColDef={"resizable": True},
        dashGridOptions={"cacheBlockSize": PAGE_ROWS, "maxBlocksInCache": 20,
                         "infiniteInitialRowCount": 1, "rowBuffer": 0,
                         "pagination": True, "paginationPageSize": 20,
                         "paginationPageSizeSelector": False,
                         "localeText": _locale(lang)},
        style={"height": "560px"},
        className="ag-theme-alpine",
    )
    buttons = html.Div([
        dbc.Button(t("download_csv", lang), id=f"{spec.grid_id}-csv", color="secondary",
                   outline=True, size="sm", className="me-2"),
        dbc.Button(t("download_xlsx", lang), id=f"{spec.grid_id}-xlsx", color="secondary",
                   outline=True, size="sm"),
        dcc.Download(id=f"{spec.grid_id}-download"),
    ], className="grid-toolbar mb-2")
    return html.Div([buttons, grid])


def _locale(lang: str) -> dict:
    if lang != "zh":
        return {}
    return {"page": "页", "more": "更多", "to": "至", "of": "共", "next": "下一页",
            "last": "末页", "first": "首页", "previous": "上一页", "loadingOoo": "加载中…",
            "noRowsToShow": "没有数据", "contains": "包含", "filterOoo": "筛选…",
            "pageSizeSelectorLabel": "每页"}


def request_params(spec: GridSpec, request: dict | None) -> dict:
    """The query's sort and filter from the grid's request (only values from fixed lists)."""
    request = request if isinstance(request, dict) else {}
    by_key = {c.key: c for c in spec.columns}
    sort, descending = None, False
    sorts = request.get("sortModel")
    for s in sorts if isinstance(sorts, list) else []:
        col = by_key.get(s.get("colId")) if isinstance(s, dict) else None
        if col and col.sort:
            sort, descending = col.sort, s.get("sort") == "desc"
            break
    name_filter, filter_on = None, None
    filters = request.get("filterModel")
    for key, f in (filters.items() if isinstance(filters, dict) else ()):
        col = by_key.get(key) if isinstance(key, str) else None
        if col and col.text_filter and isinstance(f, dict) and f.get("filter"):
            name_filter, filter_on = str(f["filter"])[:100], col.key
            break
    out = {"sort": sort, "descending": descending, "name_filter": name_filter}
    return {**out, "filter_on": filter_on} if spec.filter_on else out


def _whole(value, default: int) -> int:
    """A row number from the grid's request (a forged one may be anything): 0 or more."""
    try:
        return max(0, int(value)) if value is not None else default
    except (TypeError, ValueError, OverflowError):
        return default


def rows_response(spec: GridSpec, store: DataStore, pathname, search, request) -> dict:
    view = parse(pathname, search)
    ctx = context.resolve(store, view)
    if ctx.problem is not None:
        return {"rowData": [], "rowCount": 0}
    request = request if isinstance(request, dict) else {}
    start = _whole(request.get("startRow"), 0)
    end = _whole(request.get("endRow"), start + PAGE_ROWS)
    frame, total = spec.fetch(store, ctx, offset=start, limit=max(1, min(end - start, 1000)),
                              **request_params(spec, request))
    shown = spec.present(frame, view.lang, reveal=ctx.reveal)
    return {"rowData": shown.to_dict("records"), "rowCount": int(total)}


def download(spec: GridSpec, store: DataStore, pathname, search, request, fmt: str):
    """The whole list (with the grid's sort and filter) as CSV (UTF-8 with BOM) or XLSX,
    headed in the view's language, named for the organization and the as-of date."""
    view = parse(pathname, search)
    ctx = context.resolve(store, view)
    if ctx.problem is not None:
        return no_update
    frame, _ = spec.fetch(store, ctx, offset=0, limit=DOWNLOAD_ROWS,
                          **request_params(spec, request))
    shown = spec.present(frame, view.lang, reveal=ctx.reveal)
    access.audit_download(ctx, what=spec.grid_id, fmt=fmt, rows=len(shown))
    shown = shown[[c.key for c in spec.columns]]
    shown.columns = [t(c.label, view.lang) for c in spec.columns]
    stem = "_".join([t(spec.file_stem, view.lang), ctx.org["full_name"],
                     ctx.info["as_of"].strftime("%Y%m%d")])
    # Demo data says so in a title row above the header (as the platform's own exports have).
    title = t("demo_data_note", view.lang) if ctx.info.get("is_demo") else None
    if fmt == "csv":
        # A byte-order mark so that Excel opens the Chinese text as UTF-8.
        head = pd.DataFrame([[title]]).to_csv(index=False, header=False) if title else ""
        return dcc.send_string("\ufeff" + head + shown.to_csv(index=False), f"{stem}.csv")
    buf = io.BytesIO()
    sheet = t(spec.file_stem, view.lang)[:31]
    with pd.ExcelWriter(buf, engine="xlsxwriter") as xw:
        shown.to_excel(xw, index=False, sheet_name=sheet, startrow=1 if title else 0)
        xw.sheets[sheet].autofit()
        if title:
            xw.sheets[sheet].write(0, 0, title, xw.book.add_format({"bold": True,
                                                                    "font_color": "#b45309"}))
            xw.sheets[sheet].set_header("&C" + title.replace("&", "&&"))
    return dcc.send_bytes(buf.getvalue(), f"{stem}.xlsx")


def register(app, store: DataStore, spec: GridSpec) -> None:
    gid = spec.grid_id

    @app.callback(Output(gid, "getRowsResponse"), Input(gid, "getRowsRequest"),
                  State("url", "pathname"), State("url", "search"), prevent_initial_call=True)
    def rows(request, pathname, search):
        return rows_response(spec, store, pathname, search, request)

    @app.callback(Output(f"{gid}-download", "data"), Input(f"{gid}-csv", "n_clicks"),
                  Input(f"{gid}-xlsx", "n_clicks"), State(gid, "getRowsRequest"),
                  State("url", "pathname"), State("url", "search"), prevent_initial_call=True)
    def files(csv_clicks, xlsx_clicks, request, pathname, search):
        from dash import ctx as dash_ctx

        fmt = "xlsx" if dash_ctx.triggered_id == f"{gid}-xlsx" else "csv"
        return download(spec, store, pathname, search, request, fmt)
