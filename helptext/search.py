"""Search the help entries by Chinese words (欠费, 转接), English words, or pinyin in full or by
initials (qianfei, qf), as the organization search finds 计算机学院 by jsj and jisuanji."""

from __future__ import annotations

import functools
import re

from etl.org_search import romanize
from helptext.entries import Entry, entries

_SPACES = re.compile(r"\s+")
_LATIN = re.compile(r"[a-z0-9 ]+")


@functools.cache
def _haystacks() -> tuple[tuple[Entry, tuple[str, ...], tuple[str, ...], str], ...]:
    """Per entry: its titles and keywords (both languages, lowercased), the pinyin and initials
    of each Chinese title and keyword (one per word, so that initials never run across two
    words), and the whole text of both languages."""
    out = []
    for e in entries():
        words = (e.zh.title, *e.zh.keywords)
        names = tuple(w.lower() for w in (*words, e.en.title, *e.en.keywords))
        spelled = tuple(s for w in words for s in romanize(_SPACES.sub("", w)) if s)
        body = " ".join(x for lang in (e.zh, e.en)
                        for x in (lang.definition, lang.example, lang.action or "")).lower()
        out.append((e, names, spelled, body))
    return tuple(out)


def search(query: str | None) -> list[Entry]:
    """The entries matching every word of the query, best first: a title or keyword match, then
    a pinyin match, then one in the text; an empty query gives every entry in the page's order."""
    words = [w for w in _SPACES.split((query or "").strip().lower()) if w]
    if not words:
        return list(entries())
    joined = "".join(words)  # pinyin has no spaces: "qian fei" finds qianfei
    pinyin_ok = bool(_LATIN.fullmatch(" ".join(words)))
    found = []
    for e, names, spelled, body in _haystacks():
        score = 0
        if all(any(w in n for n in names) for w in words):
            score = 3
        elif pinyin_ok and any(joined in s for s in spelled):
            score = 2
        elif all(w in body or any(w in n for n in names) for w in words):
            score = 1
        if score:
            found.append((-score, e.order, e))
    return [e for *_, e in sorted(found, key=lambda x: (x[0], x[1]))]
