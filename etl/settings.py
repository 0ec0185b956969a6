"""The load's settings file (TOML): the cadre entry-scope setting and the mobile-app seat quotas.

    [cadre_scope]
    branch_extra_positions = ["副书记"]   # positions in scope in a 团支部 besides the 书记
    [seats]
    "org-id" = 30                         # seats of the cadres' mobile app for one organization
    [[dues_standard]]                     # one table per version of the dues standard
    from = "2018-09"                      # (etl/dues_standard.py lists the keys)
    student = 0.20

Hard errors (unreadable file, bad TOML, unknown section or key, unknown position, a quota that is
not a whole number >= 0, a dues amount that is not a number >= 0, a bad or repeated month) raise SettingsError naming the file and the key. A quota for an
organization the load does not contain is only a warning (`setting_warnings`), since the
settings file outlives any one export.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import datetime as dt
from decimal import Decimal, InvalidOperation

import duckdb

from etl import cadre_rules, dues_standard, labels


class SettingsError(ValueError):
    """The settings file cannot be used; the message is one line, Chinese / English."""


@dataclass(frozen=True)
class Settings:
    branch_extra_positions: tuple[str, ...] = ()  # position codes ('deputy', ...)
    seats: dict[str, int] = field(default_factory=dict)
    dues_standard: tuple[dues_standard.StandardVersion, ...] = dues_standard.DEFAULT
    source: Path | None = None


_SECTIONS = {"cadre_scope": ("branch_extra_positions",), "seats": None,
             "dues_standard": ("from",) + dues_standard.KEYS,
             "notify": None,  # alerts: read and checked by notify/settings.py, not by the load
             "import": None}  # loads from the browser: read by importer/settings.py


def _fail(path: Path, key: str, zh: str, en: str) -> SettingsError:
    return SettingsError(f"设置文件 {path} 的 {key}：{zh} / settings file {path}, {key}: {en}")


def _position_code(text: str) -> str | None:
    """A position given as its Chinese label (副书记) or as its code word (deputy)."""
    t = text.strip()
    if t in cadre_rules.POSITIONS:
        return t
    for key in ("position_other", "position_leading"):
        code = labels.CODES[key].get(t)
        if code is not None and not t.isdigit():
            return code
    return None


def read_settings(path: Path | None) -> Settings:
    """The settings in the file (defaults for None)."""
    if path is None:
        return Settings()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(path, "-", "文件不存在", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path, "-", f"无法读取（{exc}）", f"cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path, "-", f"不是有效的 TOML（{exc}）", f"not valid TOML ({exc})") from None
    for section, value in data.items():
        if section not in _SECTIONS:
            raise _fail(path, f"[{section}]",
                        "未知的设置项（可用：cadre_scope、seats、dues_standard、notify、import）",
                        "unknown section (known: cadre_scope, seats, dues_standard, notify, "
                        "import)")
        if section == "dues_standard":
            if not isinstance(value, list):
                raise _fail(path, section, "应写作 [[dues_standard]]（每个版本一个表）",
                            "must be written [[dues_standard]] (one table per version)")
            continue
        if not isinstance(value, dict):
            raise _fail(path, section, "应为一个表 [section]", "must be a table [section]")
    scope = data.get("cadre_scope", {})
    for key in scope:
        if key not in _SECTIONS["cadre_scope"]:
            raise _fail(path, f"cadre_scope.{key}", "未知的设置项（可用：branch_extra_positions）",
                        "unknown key (known: branch_extra_positions)")
    positions = _positions(path, scope.get("branch_extra_positions", []))
    return Settings(branch_extra_positions=positions, seats=_seats(path, data.get("seats", {})),
                    dues_standard=_dues_standard(path, data.get("dues_standard")), source=path)


def _month(path: Path, key: str, value) -> dt.date:
    m = re.fullmatch(r"(\d{4})[-./年](\d{1,2})月?", str(value).strip()) if isinstance(
        value, str) else None
    if m is None or not 1 <= int(m.group(2)) <= 12:
        raise _fail(path, key, f"月份应写作 \"2018-09\"：{value!r}",
                    f"the month must be written \"2018-09\": {value!r}")
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def _dues_standard(path: Path, tables) -> tuple[dues_standard.StandardVersion, ...]:
    """The versions of the dues standard; none given = the default (DOMAIN.md §5)."""
    if not tables:
        return dues_standard.DEFAULT
    given: dict[dt.date, dict] = {}
    for i, table in enumerate(tables, start=1):
        where = f"dues_standard[{i}]"
        if not isinstance(table, dict):
            raise _fail(path, where, "应为一个表", "must be a table")
        for key in table:
            if key not in _SECTIONS["dues_standard"]:
                raise _fail(path, f"{where}.{key}",
                            "未知的设置项（可用：from、" + "、".join(dues_standard.KEYS) + "）",
                            "unknown key (known: from, " + ", ".join(dues_standard.KEYS) + ")")
        if "from" not in table:
            raise _fail(path, f"{where}.from", "缺少起始月份 from，如 \"2018-09\"",
                        "missing the month it applies from, e.g. from = \"2018-09\"")
        start = _month(path, f"{where}.from", table["from"])
        if start in given:
            raise _fail(path, f"{where}.from", f"月份重复：{table['from']}",
                        f"the same month twice: {table['from']}")
        amounts = {}
        for key in dues_standard.KEYS:
            if key not in table:
                continue
            value = table[key]
            try:
                amount = (None if isinstance(value, bool) or not isinstance(value, (int, float))
                          else Decimal(str(value)).quantize(Decimal("0.01")))
            except InvalidOperation:
                amount = None
            if amount is None or amount < 0:
                raise _fail(path, f"{where}.{key}", f"金额应为不小于0的数（元）：{value!r}",
                            f"the amount must be a number of yuan >= 0: {value!r}")
            amounts[key] = amount
        given[start] = amounts
    # A version lists what changed: the rest carries over from the version before it.
    versions, carried = [], {}
    for start in sorted(given):
        carried = {**carried, **given[start]}
        versions.append(dues_standard.version(start, carried))
    return tuple(versions)


def _positions(path: Path, value) -> tuple[str, ...]:
    key = "cadre_scope.branch_extra_positions"
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, key, "应为职务名称列表，如 [\"副书记\"]",
                    "must be a list of position names, e.g. [\"副书记\"]")
    codes: list[str] = []
    for v in value:
        code = _position_code(v)
        if code is None:
            raise _fail(path, key, f"未知的职务：{v}", f"unknown position: {v}")
        if code == "secretary":
            raise _fail(path, key, "书记始终在录入范围内，无需列出",
                        "the secretary (书记) is always in scope; do not list it")
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _seats(path: Path, table: dict) -> dict[str, int]:
    out: dict[str, int] = {}
    for org_id, seats in table.items():
        # bool is an int in Python; `true` is not a quota.
        if isinstance(seats, bool) or not isinstance(seats, int) or seats < 0:
            raise _fail(path, f"seats.{org_id}", f"席位数应为不小于0的整数：{seats!r}",
                        f"the quota must be a whole number >= 0: {seats!r}")
        out[str(org_id).strip()] = seats
    return out


def write_settings(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """The effective settings as tables (setting_cadre_scope, seat_quota) and the rules."""
    cadre_rules.write_rules(con, settings.branch_extra_positions)
    dues_standard.write_standard(con, settings.dues_standard)
    con.execute("create or replace table setting_cadre_scope (settings_file varchar, "
                "branch_extra_positions varchar[], branch_extra_labels varchar[])")
    con.execute("insert into setting_cadre_scope values (?, ?, ?)",
                [None if settings.source is None else str(settings.source),
                 list(settings.branch_extra_positions),
                 [cadre_rules.position_label(p) for p in settings.branch_extra_positions]])
    con.execute("create or replace table seat_quota (org_id varchar, seats integer)")
    if settings.seats:
        con.executemany("insert into seat_quota values (?, ?)", sorted(settings.seats.items()))
    con.execute("create or replace table setting_warnings (settings_file varchar, key varchar, "
                "message_zh varchar, message_en varchar)")


def check_against_tree(con: duckdb.DuckDBPyConnection) -> None:
    """Warn (in setting_warnings) about quotas of organizations the load does not contain."""
    con.execute("""
        insert into setting_warnings
        select s.settings_file, 'seats.' || q.org_id,
               '组织不存在，该席位设置未使用', 'organization not found; the quota is not used'
        from seat_quota q
        cross join setting_cadre_scope s
        where q.org_id not in (select org_id from org_tree)
        order by q.org_id""")


def warning_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The settings warnings of the load, one bilingual line each."""
    return [f"设置文件 {f} 的 {k}：{zh} / settings file {f}, {k}: {en}" for f, k, zh, en in
            con.execute("select * from setting_warnings order by key").fetchall()]
