"""The org_search table: every organization's name with its pinyin and pinyin initials."""

from __future__ import annotations

import functools
import re
import threading

import duckdb
import pyarrow as pa

# CJK unified ideographs (with extension A and the compatibility block).
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# re.split with a group keeps the Han runs at the odd positions.
_SEGMENTS = re.compile(f"([{_HAN}]+)")
# Han runs are cut after the words that end a place or a unit, so that the pieces names share
# (共青团广州市, 天河区, 第一中学, 委员会, 班团支部) are converted once. Cutting there also keeps
# pypinyin from reading across a boundary: whole, 东莞市长安镇 reads 市长 (mayor, shi zhang);
# cut, it reads 长安 (chang an), which is right.
_WORD_ENDS = ("大学|学院|学校|中学|小学|委员会|工委|团委|总支|支部|公司|集团|街道|社区"
              "|省|市|县|区|镇|乡|村|级|班")
_PIECES = re.compile(f".*?(?:{_WORD_ENDS})|.+")


@functools.lru_cache(maxsize=1 << 17)
def _piece(piece: str) -> tuple[str, str]:
    # Imported here: its dictionaries take 0.15 s to load, which the load spends on the thread
    # that romanizes (Romanizer), not before its first step.
    from pypinyin import lazy_pinyin

    # One call in the plain style gives both: a syllable's first letter is what Style.FIRST_LETTER
    # gives for it (tone marks are gone, and ü is written v).
    syllables = lazy_pinyin(piece)
    return "".join(s[:1] for s in syllables).lower(), "".join(syllables).lower()


@functools.lru_cache(maxsize=1 << 18)
def _han_run(run: str) -> tuple[str, str]:
    parts = [_piece(p) for p in _PIECES.findall(run)]
    return "".join(p[0] for p in parts), "".join(p[1] for p in parts)


def romanize(name: str | None) -> tuple[str, str]:
    """(initials, pinyin) of a name, lowercase; characters other than Chinese are kept, lowercased.

    >>> romanize("计算机学院2024级1班团支部")
    ('jsjxy2024j1btzb', 'jisuanjixueyuan2024ji1bantuanzhibu')
    """
    if not name:
        return "", ""
    initials, full = [], []
    for i, segment in enumerate(_SEGMENTS.split(name)):
        if i % 2:
            a, b = _han_run(segment)
        else:
            a = b = segment.lower()
        initials.append(a)
        full.append(b)
    return "".join(initials), "".join(full)


def initials(name: str | None) -> str:
    """Lowercase pinyin initials: 计算机学院 -> jsjxy."""
    return romanize(name)[0]


def full_pinyin(name: str | None) -> str:
    """Lowercase pinyin without spaces or tones: 计算机学院 -> jisuanjixueyuan."""
    return romanize(name)[1]


def build_org_search(con: duckdb.DuckDBPyConnection) -> int:
    """Create table org_search (seq, org_id, full_name, short_name, depth, initials, pinyin,
    haystack) from org_tree; returns its number of rows. haystack joins the four searchable
    texts with '|' so that a search scans one column (2.5x faster at 700k organizations)."""
    return Romanizer(con, background=False).build(con)


class Romanizer:
    """The names of org_tree romanized, on a thread of their own when `background`: the load
    starts it once org_tree is built and goes on with the other tables (DuckDB lets go of the
    GIL while it runs a statement), then `build` writes org_search. Names are taken and kept
    as Arrow columns, a slice at a time, so that 700k organizations cost the load's peak memory
    tens of megabytes, not the hundreds their Python strings would."""

    SLICE = 50_000

    def __init__(self, con: duckdb.DuckDBPyConnection, *, background: bool = True) -> None:
        self._names = con.sql("select seq, full_name from org_tree").to_arrow_table()
        self._frame: pa.Table | None = None
        self._error: BaseException | None = None
        self._thread = None
        if background:
            self._thread = threading.Thread(target=self._run, name="zhtj-romanize", daemon=True)
            self._thread.start()
        else:
            self._run()

    def _run(self) -> None:
        try:
            initials, pinyin = [], []
            names = self._names.column("full_name")
            for start in range(0, len(names), self.SLICE):
                done = [romanize(n) for n in names.slice(start, self.SLICE).to_pylist()]
                initials.append(pa.array([r[0] for r in done], pa.string()))
                pinyin.append(pa.array([r[1] for r in done], pa.string()))
            self._frame = pa.Table.from_arrays(
                [self._names.column("seq").cast(pa.int64()),
                 pa.chunked_array(initials, pa.string()), pa.chunked_array(pinyin, pa.string())],
                names=["seq", "initials", "pinyin"])
        except BaseException as exc:  # noqa: BLE001 - raised again by build, in the load's thread
            self._error = exc
        finally:
            _piece.cache_clear()
            _han_run.cache_clear()

    def build(self, con: duckdb.DuckDBPyConnection) -> int:
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        con.register("org_search_frame", self._frame)
        try:
            con.execute(
                "create or replace table org_search as "
                "select t.seq, t.org_id, t.full_name, t.short_name, t.depth, f.initials, "
                "f.pinyin, concat_ws('|', t.full_name, coalesce(t.short_name, ''), f.initials, "
                "f.pinyin) as haystack "
                "from org_tree t join org_search_frame f on f.seq = t.seq "
                "order by t.seq")
        finally:
            con.unregister("org_search_frame")
        return self._names.num_rows
