-- macros: value parsers shared by the staging queries (clean text, dates, months, money, codes,
-- ID numbers), and the registration page's deadline projection used by its reports. Created once
-- per load connection before staging (so they are stored in the published file); no parameters.
-- Grain: scalar macros, one value in, one value out; null in, null out.

-- The extractor has already trimmed cells; this catches what other writers leave. trim() with a
-- set of characters is slow (minutes at 100 million rows), so only values that begin or end
-- with a space character go through it.
create or replace macro clean_text(s) as case
    -- the common case, cheaply: right(s, 1) walks the whole string, ends_with looks at its end
    when unicode(s) > 32 and unicode(s) not in (160, 12288)
         and not (ends_with(s, ' ') or ends_with(s, chr(9)) or ends_with(s, chr(10))
                  or ends_with(s, chr(13)) or ends_with(s, chr(12288)) or ends_with(s, chr(160)))
        then s
    else nullif(trim(s, ' ' || chr(9) || chr(10) || chr(13) || chr(12288) || chr(160)), '')
end;


-- An Excel serial number: days since 1899-12-30, the fraction being the time of day.
create or replace macro excel_serial_ts(s) as
    case when regexp_full_match(s, '\d{4,5}(\.\d+)?') and try_cast(s as double) between 1 and 80000
         then timestamp '1899-12-30'
              + to_days(cast(floor(cast(s as double)) as integer))
              + to_microseconds(cast(round((cast(s as double) - floor(cast(s as double))) * 86400e6) as bigint))
    end;

create or replace macro parse_ts_any(s) as coalesce(
    try_strptime(s, ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d', '%Y/%m/%d', '%Y-%m-%d %H:%M',
                     '%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M',
                     '%Y年%m月%d日', '%Y年%m月%d日 %H:%M:%S', '%Y年%m月%d日 %H:%M',
                     '%Y.%m.%d', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M:%S.%f']),
    excel_serial_ts(s));

-- A timestamp in any accepted form, or null (also for years outside 1900-2100).
create or replace macro parse_ts(s) as
    case when year(parse_ts_any(s)) between 1900 and 2100 then parse_ts_any(s) end;

create or replace macro month_of(d) as
    case when year(d) between 1900 and 2100 then cast(date_trunc('month', d) as date) end;

-- A month: 2024-09, 2024.09, 2024/9, 2024年9月, 202409, or a full date; the first day of it.
create or replace macro parse_month(s) as coalesce(
    month_of(try_cast(regexp_replace(s, '^(\d{4})\s*[-./年]?\s*(\d{1,2})\s*月?$', '\1-\2-01') as date)),
    month_of(parse_ts_any(s)));

create or replace macro parse_yuan(s) as
    try_cast(replace(replace(replace(s, ',', ''), '元', ''), '¥', '') as decimal(12, 2));

-- The code of a label (or of a numeric code written as such) in the label_codes table.
create or replace macro code_of(k, v) as
    (select any_value(c.code) from label_codes c where c.key = k and c.label = v);

-- ID number as compared: upper case, no spaces, full-width digits and Ｘ as ASCII (as stdnum reads them).
-- The common case first: an ASCII number without spaces (\s is [\t\n\f\r ] to RE2) is only
-- upper-cased, without the regular expression (8x faster on 100 million dues lines).
create or replace macro norm_id(s) as case
    when strlen(s) = length(s) and not (contains(s, ' ') or contains(s, chr(9))
        or contains(s, chr(10)) or contains(s, chr(12)) or contains(s, chr(13)))
        then nullif(upper(s), '')
    else nullif(upper(translate(regexp_replace(s, '[\s\x{3000}\x{00A0}]', '', 'g'), '０１２３４５６７８９Ｘｘ', '0123456789XX')), '')
end;

-- ISO 7064 MOD 11-2 check character of the first 17 digits of an 18-character ID number.
-- The digits are taken from one number (n, the first 17 as a bigint) by integer arithmetic:
-- three times faster than 17 string slices and casts. s must begin with 17 ASCII digits.
create or replace macro ric_check_of(n) as substr('10X98765432', 1 + ((
      7 * (n // 10000000000000000 % 10) + 9 * (n // 1000000000000000 % 10) + 10 * (n // 100000000000000 % 10)
    + 5 * (n // 10000000000000 % 10) + 8 * (n // 1000000000000 % 10) + 4 * (n // 100000000000 % 10)
    + 2 * (n // 10000000000 % 10) + 1 * (n // 1000000000 % 10) + 6 * (n // 100000000 % 10)
    + 3 * (n // 10000000 % 10) + 7 * (n // 1000000 % 10) + 9 * (n // 100000 % 10)
    + 10 * (n // 10000 % 10) + 5 * (n // 1000 % 10) + 8 * (n // 100 % 10)
    + 4 * (n // 10 % 10) + 2 * (n % 10)) % 11), 1);

-- The check character the first 17 characters call for, null unless they are digits.
create or replace macro ric_expected_check(s) as
    ric_check_of(try_cast(substr(s, 1, 17) as bigint));

-- Why an ID number fails the shape and check-character test ('length', 'format', 'checksum',
-- 'birth_date'), or null; expected is ric_expected_check(s). The staging queries compute that
-- as a column of its own (their raw CTE): inside a CASE, DuckDB does not share the 17 uses of
-- the number, and the check costs six times more. The county code is checked against
-- ric_places by the staging queries.
create or replace macro ric_shape_given(s, expected) as case
    when length(s) <> 18 then 'length'
    when not regexp_full_match(s, '\d{17}[\dX]') then 'format'
    when expected <> substr(s, 18, 1) then 'checksum'
    when try_strptime(substr(s, 7, 8), '%Y%m%d') is null or substr(s, 7, 4) = '0000' then 'birth_date'
end;

-- The same, for one number at hand.
create or replace macro ric_shape_problem(s) as ric_shape_given(s, ric_expected_check(s));

create or replace macro ric_birth_date(s) as cast(try_strptime(substr(s, 7, 8), '%Y%m%d') as date);

create or replace macro ric_gender(s) as
    case when cast(substr(s, 17, 1) as integer) % 2 = 1 then 'male' else 'female' end;

-- A quarantine reason: which column, its value, why (Chinese, English).
create or replace macro problem(col, val, zh, en) as
    {'column_name': col, 'value': left(cast(val as varchar), 200), 'reason_zh': zh, 'reason_en': en};

-- Why a reference to an organization cannot be used, or null. `ref` is the text in the file;
-- matches and org_type come from org_refs (null when nothing matched).
create or replace macro org_ref_problem(col, ref, matches, org_type, need_branch) as case
    when ref is null then problem(col, null, '缺少' || col, 'missing ' || col)
    when matches is null then problem(col, ref, '组织不存在', 'organization not found')
    when matches > 1 then problem(col, ref, '组织名称不唯一（' || matches || '个组织同名）',
        'organization name is ambiguous (' || matches || ' organizations share it)')
    when need_branch and org_type <> 5 then problem(col, ref, '不是团支部', 'not a branch (团支部)')
end;

-- Why an ID number is not acceptable, or null. Numbers of 境外身份证 (id_type 2) need only exist.
create or replace macro id_problem(id, id_type, shape, place_known) as case
    when id is null then problem('身份证号码', null, '缺少身份证号码', 'missing ID number')
    when coalesce(id_type, 1) = 2 then null
    when shape = 'length'
        then problem('身份证号码', id, '身份证号码应为18位', 'ID number must have 18 characters')
    when shape = 'format'
        then problem('身份证号码', id, '身份证号码格式错误', 'ID number must be 17 digits and a check character')
    when shape = 'checksum'
        then problem('身份证号码', id, '身份证号码校验码错误', 'ID number check character is wrong')
    when shape = 'birth_date'
        then problem('身份证号码', id, '身份证号码中的出生日期无效', 'invalid birth date in ID number')
    when not coalesce(place_known, false)
        then problem('身份证号码', id, '身份证号码地区码无效', 'unknown county code in ID number')
end;

-- Why an optional coded value is not acceptable: present but not a known label or code.
create or replace macro code_problem(col, raw, code) as case
    when raw is not null and code is null
        then problem(col, raw, '未知的' || col || '：' || left(raw, 50), 'unknown value in ' || col)
end;

-- Why an optional date is not acceptable: present but not parseable.
create or replace macro date_problem(col, raw, ts) as case
    when raw is not null and ts is null
        then problem(col, raw, col || '不是有效日期', col || ' is not a valid date')
end;

-- How a quarantine message names a row that was kept instead: "file.xlsx 第12行".
create or replace macro kept_row_zh(path, row_no) as
    '保留' || regexp_extract(path, '[^/\\]+$') || '第' || row_no || '行';

create or replace macro kept_row_en(path, row_no) as
    'kept ' || regexp_extract(path, '[^/\\]+$') || ' row ' || row_no;

-- The month named in a title row such as "2024年09月团费交纳明细", or null.
create or replace macro title_month(title) as month_of(try_cast(regexp_replace(
    regexp_extract(title, '\d{4}\s*年\s*\d{1,2}\s*月', 0),
    '^(\d{4})\s*年\s*(\d{1,2})\s*月$', '\1-\2-01') as date));

-- The first over-long value among cells ({'c': header, 'v': value}), as a quarantine problem.
create or replace macro long_value_problem(cells) as problem(
    list_filter(cells, lambda x: length(x.v) > 500)[1].c,
    list_filter(cells, lambda x: length(x.v) > 500)[1].v,
    '值过长（超过500字）', 'value too long (over 500 characters)');

-- What becomes of a row: 'invalid' (it has a problem), 'loaded' (the only or the kept row of its
-- key), 'merged' (identical to the kept row) or 'duplicate' (differs from it).
create or replace macro disposition_of(row_problem, rank_in_key, row_values, kept_values) as case
    when row_problem is not null then 'invalid'
    when rank_in_key is null or rank_in_key = 1 then 'loaded'
    when row_values = kept_values then 'merged'
    else 'duplicate'
end;

-- The problem of a row: its own, or for a differing duplicate the reason naming the kept row.
create or replace macro row_or_duplicate_problem(row_problem, rank_in_key, row_values, kept_values,
                                                 col, val, zh, en, kept_path, kept_row_no) as case
    when row_problem is not null then row_problem
    when rank_in_key > 1 and row_values <> kept_values then problem(col, val,
        zh || '，' || kept_row_zh(kept_path, kept_row_no),
        en || '; ' || kept_row_en(kept_path, kept_row_no))
end;


-- Registration deadline projection (the one definition; registration_summary,
-- registration_children and registration_branches use it). The pace is the approvals of the
-- 7 days up to and including the as-of date, so rate_per_day = approved_recent / 7, and the
-- remaining approvals take ceil(remaining / rate_per_day) = ceil(remaining * 7 / approved_recent)
-- days, computed in integers so that no rounding error adds a day.
-- The day the remaining approvals would be done at the recent pace; null when nothing remains or
-- when nothing was approved in the last 7 days.
create or replace macro projected_date(remaining, approved_recent, as_of_date) as case
    when remaining > 0 and approved_recent > 0
        then cast(as_of_date as date)
             + cast((remaining * 7 + approved_recent - 1) // approved_recent as integer)
end;

-- At risk: something remains and either nothing was approved in the last 7 days or the projected
-- day falls after the deadline (finishing on the deadline is on time).
create or replace macro is_at_risk(remaining, approved_recent, as_of_date, deadline) as case
    when coalesce(remaining, 0) <= 0 then false
    when coalesce(approved_recent, 0) <= 0 then true
    else projected_date(remaining, approved_recent, as_of_date) > deadline
end;


-- Transfers (transfer_steps, transfer_reviews): when step `step` (1-4) of a transfer began. Step 1
-- begins with the application; a later step with the review of the step before it. A missing
-- review time falls back to the one before it, and at last to the application time.
create or replace macro transfer_step_started_at(step, applied_at, step1_at, step2_at, step3_at) as
    case step
        when 1 then applied_at
        when 2 then coalesce(step1_at, applied_at)
        when 3 then coalesce(step2_at, step1_at, applied_at)
        when 4 then coalesce(step3_at, step2_at, step1_at, applied_at)
    end;


-- Data quality (member_checks, quarantine reports). Whole years of age on day `d` of someone born
-- on `birth` (周岁): the birthday counts from its month and day, so one born on 29 February turns
-- a year older on 1 March in a common year.
create or replace macro age_on(birth, d) as
    year(d) - year(birth)
    - case when month(d) * 100 + day(d) < month(birth) * 100 + day(birth) then 1 else 0 end;

-- A quarantine reason without the parts that vary from row to row (the kept row a duplicate
-- names, the unknown value, how many organizations or members matched), so that rows of one
-- cause count together.
create or replace macro reason_group_zh(s) as regexp_replace(regexp_replace(regexp_replace(s,
    '(，保留.*|：.*)$', ''), '（\d+个组织同名）$', ''), '^匹配到\d+名团员', '匹配到多名团员');

create or replace macro reason_group_en(s) as regexp_replace(regexp_replace(regexp_replace(s,
    '; kept .*$', ''), ' \(\d+ organizations share it\)$', ''), '^matches \d+ members$',
    'matches several members');
