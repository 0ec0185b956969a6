"""The load's SQL for Spark: each query under queries/ (DuckDB's dialect, the one source of truth)
with the macros of queries/macros.sql inlined, then written in Spark's dialect by sqlglot.

Where the translation cannot say the same thing, a file of the same name under queries/spark/
says it in Spark SQL instead, with a comment saying why (queries/spark/macros.sql overrides
single macros, by name). Keep those few: every override is a second definition to keep equal.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlglot import exp

import queries

SPARK_DIR = queries.ROOT / "spark"

# One macro: `create or replace macro name(a, b) as <expression>;`, up to the next one.
_MACRO = re.compile(r"^create or replace macro (\w+)\(([^)]*)\) as\s", re.M)


@dataclass(frozen=True)
class Macro:
    name: str
    params: tuple[str, ...]
    body: exp.Expression


def _comment_free(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))


def _parse_macros(text: str, dialect: str) -> dict[str, Macro]:
    text = _comment_free(text)
    heads = list(_MACRO.finditer(text))
    out = {}
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        body = text[m.end():end].strip().rstrip(";")
        params = tuple(p.strip() for p in m.group(2).split(",") if p.strip())
        out[m.group(1)] = Macro(m.group(1), params, sqlglot.parse_one(body, read=dialect))
    return out


@functools.cache
def macros() -> dict[str, Macro]:
    """The macros, those of queries/spark/macros.sql (Spark SQL) in place of DuckDB's."""
    found = _parse_macros((queries.ROOT / "macros.sql").read_text(encoding="utf-8"), "duckdb")
    override = SPARK_DIR / "macros.sql"
    if override.exists():
        found.update(_parse_macros(override.read_text(encoding="utf-8"), "spark"))
    return found


def _call_name(node: exp.Expression) -> str | None:
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower()
    if isinstance(node, exp.Func):
        return node.sql_name().lower()
    return None


def _inline_once(tree: exp.Expression, found: dict[str, Macro]) -> tuple[exp.Expression, bool]:
    changed = False

    def expand(node: exp.Expression) -> exp.Expression:
        nonlocal changed
        name = _call_name(node)
        macro = found.get(name) if name else None
        if macro is None:
            return node
        args = node.expressions if isinstance(node, exp.Anonymous) else _func_args(node)
        if len(args) != len(macro.params):
            return node
        bound = dict(zip(macro.params, args, strict=True))

        def substitute(inner: exp.Expression) -> exp.Expression:
            if (isinstance(inner, exp.Column) and not inner.table
                    and inner.name in bound):
                return exp.paren(bound[inner.name].copy(), copy=False)
            return inner

        changed = True
        return exp.paren(macro.body.copy().transform(substitute), copy=False)

    return tree.transform(expand), changed


def _func_args(node: exp.Func) -> list[exp.Expression]:
    """A parsed function's arguments in call order (sqlglot gives some names of their own)."""
    args = []
    for key in node.arg_types:
        value = node.args.get(key)
        if value is None:
            continue
        args.extend(value if isinstance(value, list) else [value])
    return args


def inline_macros(tree: exp.Expression) -> exp.Expression:
    found = macros()
    for _ in range(20):  # macros call macros a few levels deep
        tree, changed = _inline_once(tree, found)
        if not changed:
            return tree
    raise ValueError("macros nest more than 20 levels deep")


# ---- what sqlglot leaves in DuckDB's terms, said in Spark's -------------------------------------
# Each rewrite keeps DuckDB's meaning where Spark's function of the same name differs.

# strftime directives as Java patterns (two letters where a number directly follows another).
_DIRECTIVES = {"Y": "yyyy", "m": "M", "d": "d", "H": "H", "M": "m", "S": "s", "f": "SSSSSS"}
_PADDED = {"m": "MM", "d": "dd", "H": "HH", "M": "mm", "S": "ss"}


def java_pattern(fmt: str, *, padded: bool = False) -> str:
    """A DuckDB strptime format as a Spark datetime pattern, literal text quoted; `padded` for
    strftime (output zero-padded as DuckDB writes it)."""
    out, i = [], 0
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt) and fmt[i + 1] in _DIRECTIVES:
            d = fmt[i + 1]
            adjacent = padded or fmt[i + 2:i + 3] == "%" or (i > 0 and fmt[i - 2:i - 1] == "%")
            out.append(_PADDED.get(d, _DIRECTIVES[d]) if adjacent else _DIRECTIVES[d])
            i += 2
            continue
        j = i
        while j < len(fmt) and fmt[j] != "%":
            j += 1
        text = fmt[i:j] or fmt[i]
        out.append("'" + text.replace("'", "''") + "'")
        i = max(j, i + 1)
    return "".join(out)


def _anon(name: str, *args: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this=name, expressions=list(args))


def _spark_terms(node: exp.Expression) -> exp.Expression:
    name = str(node.this).lower() if isinstance(node, exp.Anonymous) else None
    if name == "strlen":  # bytes
        return _anon("octet_length", *node.expressions)
    if name == "hash":  # a key for grouping only: any 64-bit hash will do
        return _anon("xxhash64", *node.expressions)
    if name == "try_strptime":  # the first format that parses, or null
        value, formats = node.expressions
        fmts = formats.expressions if isinstance(formats, exp.Array) else [formats]
        return exp.Coalesce(this=_anon("try_to_timestamp", value.copy(),
                                        exp.Literal.string(java_pattern(fmts[0].name))),
                            expressions=[_anon("try_to_timestamp", value.copy(),
                                               exp.Literal.string(java_pattern(f.name)))
                                         for f in fmts[1:]])
    if (isinstance(node, exp.Chr) and len(node.expressions) == 1
            and isinstance(node.expressions[0], exp.Literal)):
        # Spark's chr() is chr(n % 256): the character itself instead
        return exp.Literal.string(chr(int(node.expressions[0].name)))
    if isinstance(node, exp.CTE) and node.args.get("materialized") is not None:
        node.set("materialized", None)  # a DuckDB planner hint Spark's parser does not know
        return node
    if isinstance(node, exp.TimeToStr) and isinstance(node.args.get("format"), exp.Literal):
        # strftime: sqlglot's pattern leaves literal letters (the T of an ISO time) unquoted
        return _anon("date_format", node.this, exp.Literal.string(
            java_pattern(node.args["format"].name, padded=True)))
    if isinstance(node, exp.RegexpFullMatch):  # the whole string (\z: not before a final newline)
        return exp.RegexpLike(this=node.this, expression=exp.Literal.string(
            "^(?:" + node.expression.name + ")\\z"))
    if isinstance(node, exp.RegexpReplace):
        rep = node.args.get("replacement")
        if isinstance(rep, exp.Literal):  # \1 in RE2's replacement is $1 in Java's
            node.set("replacement", exp.Literal.string(re.sub(r"\\(\d)", r"$\1", rep.name)))
        node.set("modifiers", None)  # 'g': Spark replaces every match (others are anchored)
        return node
    if isinstance(node, exp.TryCast) and node.to.is_type("date"):
        # Spark also reads '2024', '2024-09' and '2024-09-01 anything' as dates; DuckDB does not
        value = node.this
        return exp.Case(ifs=[exp.If(this=exp.RegexpLike(
            this=value.copy(), expression=exp.Literal.string("^\\d{4}-\\d{1,2}-\\d{1,2}\\z")),
            true=node.copy())])
    if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order):
        # list(x order by k): collect (k, x) pairs, sort them, keep x
        order = node.this
        keys = [o.this.copy() for o in order.expressions]
        pairs = exp.Struct(expressions=[
            *(exp.PropertyEQ(this=exp.to_identifier(f"k{i}"), expression=k)
              for i, k in enumerate(keys)),
            exp.PropertyEQ(this=exp.to_identifier("v"), expression=order.this.copy())])
        collected = exp.ArrayAgg(this=pairs)
        return _anon("transform", _anon("array_sort", collected),
                     exp.Lambda(this=exp.Dot(this=exp.column("e"), expression=exp.to_identifier("v")),
                                expressions=[exp.to_identifier("e")]))
    return node


def _union_by_name(tree: exp.Expression) -> exp.Expression:
    """`select * from a union all by name select * from b ...` (a, b: CTEs of the query), which
    Spark SQL lacks, as a plain union of the columns by name, null where a branch has none."""
    columns = {cte.alias_or_name: cte.this.named_selects for cte in tree.find_all(exp.CTE)}

    def branches(node: exp.Expression) -> list[exp.Expression]:
        if isinstance(node, exp.Union) and node.args.get("by_name"):
            return branches(node.this) + branches(node.expression)
        return [node]

    for union in list(tree.find_all(exp.Union)):
        if not union.args.get("by_name") or (
                isinstance(union.parent, exp.Union) and union.parent.args.get("by_name")):
            continue
        parts = branches(union)
        names: list[str] = []
        for part in parts:
            source = part.args.get("from_") or part.args.get("from")
            if not (isinstance(part, exp.Select) and part.is_star and source is not None
                    and source.this.name in columns):
                raise ValueError("union by name of anything but `select * from <cte>`: "
                                 "write a queries/spark/ override")
            names += [c for c in columns[source.this.name] if c not in names]
        for part in parts:
            source = part.args.get("from_") or part.args.get("from")
            have = set(columns[source.this.name])
            part.set("expressions", [exp.column(c) if c in have else
                                     exp.alias_(exp.Null(), c) for c in names])
        rebuilt = parts[0]
        for part in parts[1:]:
            rebuilt = exp.Union(this=rebuilt, expression=part, distinct=union.args.get("distinct"))
        if union is tree:
            rebuilt.set("with_", union.args.get("with_"))
            tree = rebuilt
        else:
            union.replace(rebuilt)
    return tree


def _bottom_up(tree: exp.Expression, fn) -> exp.Expression:
    """fn applied to every node, children before their parent (each sees translated arguments)."""
    for node in reversed(list(tree.walk())):
        new = fn(node)
        if new is not node:
            if node is tree:
                tree = new
            else:
                node.replace(new)
    return tree


def _refuse_not_in_subquery(tree: exp.Expression) -> None:
    """Spark runs `x not in (select …)` as a null-aware nested loop over rows × rows (at 10M
    members the organization check ran for hours on it): the build says `not exists` or joins."""
    for node in tree.find_all(exp.Not):
        if isinstance(node.this, exp.In) and node.this.args.get("query") is not None:
            raise ValueError("`not in (select …)` is a nested loop on Spark: write `not exists "
                             "(select … where …)` or a left join instead")


def to_spark(text: str, dialect: str = "duckdb") -> str:
    """SQL text (DuckDB's dialect by default) as Spark SQL, with the macros inlined."""
    tree = inline_macros(sqlglot.parse_one(text, read=dialect))
    _refuse_not_in_subquery(tree)
    if dialect == "duckdb":
        tree = _bottom_up(_union_by_name(tree), _spark_terms)
    return tree.sql(dialect="spark", pretty=True)


@functools.cache
def spark_sql(name: str) -> str:
    """The named query as Spark SQL: queries/spark/<name>.sql if there is one, else translated."""
    override = SPARK_DIR / f"{name}.sql"
    if override.exists():
        text, dialect = _comment_free(override.read_text(encoding="utf-8")), "spark"
    else:
        text, dialect = queries._body(name), "duckdb"
    return to_spark(text, dialect)


def override_names() -> list[str]:
    return sorted(p.stem for p in Path(SPARK_DIR).glob("*.sql")) if SPARK_DIR.exists() else []
