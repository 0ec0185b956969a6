"""The translation of queries/ to Spark SQL (no Spark needed): every query translates, the
rewrites keep DuckDB's meaning, and every override says why it exists."""

from __future__ import annotations

import pytest
import sqlglot

from etl import load
from etl.spark import translate
from etl.spark.translate import java_pattern, spark_sql, to_spark

BUILD = load.STAGING + load.BOOKKEEPING + load.MARTS


@pytest.mark.parametrize("name", BUILD)
def test_every_build_query_translates_to_spark_sql_without_duckdb_leftovers(name):
    text = spark_sql(name)
    sqlglot.parse_one(text, read="spark")  # Spark's grammar reads it back
    upper = text.upper()
    for leftover in ("REGEXP_FULL_MATCH", "TRY_STRPTIME", "STRLEN(", "MATERIALIZED",
                     "BY NAME", "QUALIFY", "LIST_FILTER", "TO_MICROSECONDS"):
        assert leftover not in upper, (name, leftover)
    for macro in translate.macros():
        assert f"{macro.upper()}(" not in upper, (name, macro)  # inlined


def test_overrides_are_few_and_each_says_why():
    names = translate.override_names()
    assert set(names) <= {"macros", "org_closure"}, names
    for name in names:
        first = (translate.SPARK_DIR / f"{name}.sql").read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("-- ") and len(first) > 40, name
    # a macro override replaces DuckDB's macro of the same name, not a new one
    duckdb_macros = translate._parse_macros(
        (translate.queries.ROOT / "macros.sql").read_text(encoding="utf-8"), "duckdb")
    spark_macros = translate._parse_macros(
        (translate.SPARK_DIR / "macros.sql").read_text(encoding="utf-8"), "spark")
    assert set(spark_macros) <= set(duckdb_macros)


@pytest.mark.parametrize(("fmt", "parse", "write"), [
    ("%Y-%m-%d %H:%M:%S", "yyyy'-'M'-'d' 'H':'m':'s", "yyyy'-'MM'-'dd' 'HH':'mm':'ss"),
    ("%Y年%m月%d日", "yyyy'年'M'月'd'日'", "yyyy'年'MM'月'dd'日'"),
    ("%Y%m%d", "yyyyMMdd", "yyyyMMdd"),  # adjacent numbers: fixed widths
    ("%Y-%m-%dT%H:%M:%S", "yyyy'-'M'-'d'T'H':'m':'s", "yyyy'-'MM'-'dd'T'HH':'mm':'ss"),
])
def test_strptime_formats_become_java_patterns(fmt, parse, write):
    assert java_pattern(fmt) == parse
    assert java_pattern(fmt, padded=True) == write


def test_rewrites_keep_duckdb_meaning():
    out = to_spark("select regexp_full_match(s, '\\d{4}'), chr(12288), strlen(s), "
                   "regexp_replace(s, '^(\\d{4})年$', '\\1-01'), try_cast(s as date), "
                   "list(a order by b), hash(a, b) from t")
    assert "'\u3000'" in out  # Spark's chr() is chr(n % 256)
    out = " ".join(out.split())
    assert "RLIKE '^(?:\\\\d{4})\\\\z'" in out  # whole string, not before a final newline
    assert "OCTET_LENGTH(s)" in out
    assert "'$1-01'" in out  # Java's back reference
    assert "CASE WHEN s RLIKE '^\\\\d{4}-\\\\d{1,2}-\\\\d{1,2}\\\\z' THEN TRY_CAST(s AS DATE)" in out  # no '2024' as a date
    assert "ARRAY_SORT(COLLECT_LIST(STRUCT(b AS k0, a AS v)))" in out
    assert "XXHASH64(a, b)" in out


def test_union_by_name_of_ctes_becomes_a_union_by_position():
    out = to_spark("with a as (select 1 as x, 2 as y), b as (select 3 as y, 4 as z) "
                   "select * from a union all by name select * from b")
    assert "BY NAME" not in out.upper()
    assert "NULL AS z" in out and "NULL AS x" in out
    with pytest.raises(ValueError, match="override"):
        to_spark("select 1 as x union all by name select 2 as x")


def test_not_in_a_subquery_is_refused_as_a_nested_loop():
    """Spark plans `not in (select …)` as a nested loop (rows × rows); the build's SQL says
    `not exists` instead, which it runs as a hash anti join."""
    with pytest.raises(ValueError, match="not exists"):
        to_spark("select a from t where a not in (select b from u)")
    with pytest.raises(ValueError, match="not exists"):
        to_spark("select case when a not in (select b from u) then 1 end from t")
    out = to_spark("select a from t where not exists (select 1 from u where u.b = t.a)")
    assert "NOT EXISTS" in out.upper()
    assert "not a in (1, 2)" in to_spark("select a from t where a not in (1, 2)").lower()  # a list: fine


def test_macros_are_inlined_with_their_arguments():
    out = " ".join(to_spark("select age_on(birth_date, as_of) from t").split())
    assert "AGE_ON" not in out.upper()
    assert "YEAR((as_of)) - YEAR((birth_date))" in out.replace("( ", "(").replace(" )", ")")
