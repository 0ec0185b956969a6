"""Named SQL queries: each .sql file under queries/ is compiled once and run with bound parameters."""

from __future__ import annotations

import functools
from pathlib import Path

from sqlalchemy import bindparam, text

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


@functools.cache
def _compiled(name: str, expanding: tuple[str, ...]):
    stmt = text(sql(name))
    if expanding:
        stmt = stmt.bindparams(*(bindparam(p, expanding=True) for p in expanding))
    return stmt


def _execute(name: str, conn, params: dict):
    expanding = tuple(sorted(k for k, v in params.items() if isinstance(v, (list, tuple))))
    return conn.execute(_compiled(name, expanding), params)


def run(name: str, conn, **params):
    """Run a named query on a SQLAlchemy connection and return a pandas DataFrame.

    List values bind as expanding parameters.
    """
    import pandas as pd  # not at import time: `zhtj metrics` answers without pandas

    result = _execute(name, conn, params)
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def rows(name: str, conn, **params) -> list[dict]:
    """Run a named query and return its rows as dicts (for small answers; no pandas)."""
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

