"""Named SQL queries: each .sql file under queries/ is compiled once and run with bound parameters."""

from __future__ import annotations

import functools
import re
from pathlib import Path

ROOT = Path(__file__).parent
GROUPS = ("staging", "marts", "reports")


@functools.cache
def path(name: str) -> Path:
    """The file of a named query, searched in staging/, marts/ and reports/."""
    for group in GROUPS:
        p = ROOT / group / f"{name}.sql"
        if p.exists():
            return p
    raise KeyError(f"no query named {name!r}")


@functools.cache
def sql(name: str) -> str:
    """The query's text, without its header comment."""
    return path(name).read_text(encoding="utf-8")


# `{{other}}` in a query stands for the named query's body: one definition that several queries
# build on (its parameters are bound with theirs). Included, a query is a relation: its final
# top-level `order by` (a line of its own at the first column, to the end) is left out, since
# the including query orders what it needs and a sort of every row would be wasted.
_INCLUDE = re.compile(r"\{\{(\w+)\}\}")
_FINAL_ORDER = re.compile(r"\norder by [^;]*\Z")


@functools.cache
def _body(name: str) -> str:
    """The query without its comment lines (a `:name` in a comment is not a parameter), with
    each `{{other}}` replaced by that query's body."""
    body = "\n".join(line for line in sql(name).splitlines()
                      if not line.lstrip().startswith("--"))
    return _INCLUDE.sub(lambda m: _FINAL_ORDER.sub("", _body(m.group(1)).rstrip()), body)


@functools.cache
def _compiled(name: str, expanding: tuple[str, ...]):
    # not at import time: a native DuckDB caller (`zhtj progress`, the alerts) never needs it
    from sqlalchemy import bindparam, text

    stmt = text(_body(name))
    if expanding:
        stmt = stmt.bindparams(*(bindparam(p, expanding=True) for p in expanding))
    return stmt


# SQLAlchemy's own pattern for a `:name` bind parameter in text() (not `::` casts).
_BIND = re.compile(r"(?<![:\w\x5c]):(\w+)(?!:)")


@functools.cache
def native(name: str) -> tuple[str, frozenset[str]]:
    """The query with `:name` turned into DuckDB's own `$name`, and the names it binds."""
    text_ = _body(name)
    return _BIND.sub(r"$\1", text_), frozenset(_BIND.findall(text_))


def _is_duckdb(conn) -> bool:
    return type(conn).__module__.startswith(("duckdb", "_duckdb"))


def _execute(name: str, conn, params: dict):
    expanding = tuple(sorted(k for k, v in params.items() if isinstance(v, (list, tuple))))
    return conn.execute(_compiled(name, expanding), params)


def run(name: str, conn, **params):
    """Run a named query on a SQLAlchemy connection and return a pandas DataFrame.

    List values bind as expanding parameters. A DuckDB connection (the dashboard's) is also
    accepted: values bind natively as `$name` (lists bind as DuckDB lists there).
    """
    import pandas as pd  # not at import time: `zhtj metrics` answers without pandas

    if _is_duckdb(conn):
        text_, used = native(name)
        return conn.execute(text_, {k: v for k, v in params.items() if k in used}).df()
    result = _execute(name, conn, params)
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def rows(name: str, conn, **params) -> list[dict]:
    """Run a named query and return its rows as dicts (for small answers; no pandas)."""
    if _is_duckdb(conn):
        text_, used = native(name)
        cur = conn.execute(text_, {k: v for k, v in params.items() if k in used})
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]
    return [dict(r) for r in _execute(name, conn, params).mappings()]


def header(name: str) -> str:
    """The leading comment block of a query file (what it returns, its grain, its parameters)."""
    lines = []
    for line in sql(name).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return "\n".join(lines)


def names(group: str | None = None) -> list[str]:
    groups = (group,) if group else GROUPS
    return sorted(p.stem for g in groups for p in (ROOT / g).glob("*.sql"))

