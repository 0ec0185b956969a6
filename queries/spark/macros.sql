-- Macros said in Spark SQL where the translation of queries/macros.sql cannot say the same thing.
-- Each replaces the macro of the same name; keep them equal in meaning to DuckDB's.
-- Grain: scalar macros, one value in, one value out; null in, null out.

-- DuckDB adds to_days()/to_microseconds() intervals to a timestamp; Spark has neither: the same
-- instant counted in microseconds from 1970 (1899-12-30 is -2,209,161,600 s), as a timestamp
-- without time zone (the session's zone is UTC).
create or replace macro excel_serial_ts(s) as
    case when s rlike '^\\d{4,5}(\\.\\d+)?\\z' and try_cast(s as double) between 1 and 80000
         then cast(timestamp_micros(-2209161600000000
              + cast(floor(cast(s as double)) as bigint) * 86400000000
              + cast(round((cast(s as double) - floor(cast(s as double))) * 86400e6) as bigint))
              as timestamp_ntz)
    end;
