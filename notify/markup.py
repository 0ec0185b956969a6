"""The small markdown the robots speak, rendered as plain text and as HTML for e-mail.

Covers what alert digests use (and WeCom/DingTalk render): headings, bold, inline code, links,
lists, quotes, paragraphs and WeCom's <font color="info|comment|warning">. Everything else is
escaped text, so a message can never inject HTML into a mail.
"""

from __future__ import annotations

import html
import re

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_QUOTE = re.compile(r"^\s*>\s?(.*)$")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")
_FONT_OPEN = re.compile(r'<font\s+color=\\?"?([#\w]+)\\?"?\s*>', re.I)
_FONT_CLOSE = re.compile(r"</font\s*>", re.I)
_COLORS = {"info": "#2e7d32", "comment": "#757575", "warning": "#e65100"}


def markdown_to_text(md: str) -> str:
    """Plain text: the markup removed, links as "text (url)"."""
    out = []
    for line in md.splitlines():
        line = _FONT_CLOSE.sub("", _FONT_OPEN.sub("", line))
        if m := _HEADING.match(line):
            line = m.group(2)
        elif m := _QUOTE.match(line):
            line = m.group(1)
        line = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", line)
        line = _CODE.sub(r"\1", _BOLD.sub(r"\1", line))
        out.append(line.rstrip())
    return "\n".join(out).strip("\n") + "\n"


def _inline(text: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = _CODE.sub(r"<code>\1</code>", escaped)
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)

    def link(m: re.Match) -> str:
        url = html.unescape(m.group(2))
        if not url.startswith(("http://", "https://", "mailto:")):
            return m.group(0)
        return f'<a href="{html.escape(url)}">{m.group(1)}</a>'

    escaped = _LINK.sub(link, escaped)

    def font(m: re.Match) -> str:
        color = _COLORS.get(m.group(1).lower(), "")
        return f'<span style="color:{color}">' if color else "<span>"

    escaped = re.sub(r'&lt;font\s+color=\\?"?([#\w]+)\\?"?\s*&gt;', font, escaped, flags=re.I)
    return re.sub(r"&lt;/font\s*&gt;", "</span>", escaped, flags=re.I)


def markdown_to_html(md: str) -> str:
    """HTML fragment: headings, lists, quotes and paragraphs (consecutive lines joined by <br>)."""
    blocks: list[str] = []
    para: list[str] = []
    items: list[str] = []
    quote: list[str] = []

    def flush():
        if para:
            blocks.append("<p>" + "<br>\n".join(para) + "</p>")
            para.clear()
        if items:
            blocks.append("<ul>\n" + "\n".join(f"<li>{i}</li>" for i in items) + "\n</ul>")
            items.clear()
        if quote:
            blocks.append("<blockquote>" + "<br>\n".join(quote) + "</blockquote>")
            quote.clear()

    for line in md.splitlines():
        if not line.strip():
            flush()
        elif m := _HEADING.match(line):
            flush()
            level = len(m.group(1))
            blocks.append(f"<h{level}>{_inline(m.group(2))}</h{level}>")
        elif m := _BULLET.match(line):
            if para or quote:
                flush()
            items.append(_inline(m.group(1)))
        elif m := _QUOTE.match(line):
            if para or items:
                flush()
            quote.append(_inline(m.group(1)))
        else:
            if items or quote:
                flush()
            para.append(_inline(line.strip()))
    flush()
    return "\n".join(blocks)


def html_document(title: str, body: str, language: str) -> str:
    """A whole, readable HTML mail: the fragment under its title, in a narrow column."""
    lang = "zh-CN" if language == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title></head>\n"
            '<body style="font-family:\'Noto Sans CJK SC\',\'Microsoft YaHei\',sans-serif;'
            'max-width:40em;line-height:1.6">\n'
            f"<h2>{html.escape(title)}</h2>\n{body}\n</body></html>\n")
