"""Splitting at lines within a byte limit, and the markdown rendered as text and HTML."""

import pytest

from notify import chunks, markup, robot


def size(text):
    return len(text.encode("utf-8"))


def chinese_lines(n):
    return [f"- 第{i}团支部（计算机学院2024级{i}班）：已报到 {i} 人，未报到 {40 - i % 40} 人，"
            f"请于10月20日前完成审核" for i in range(n)]


def test_split_keeps_whole_lines_within_the_limit():
    """Long Chinese content is split into parts of at most the limit, each of whole lines, and
    the parts put together give back every line in order."""
    lines = chinese_lines(200)
    parts = chunks.split_lines("\n".join(lines), 4096)
    assert len(parts) > 1
    assert all(size(p) <= 4096 for p in parts)
    assert [line for p in parts for line in p.split("\n")] == lines


def test_a_line_longer_than_the_limit_is_cut_at_a_character_with_an_ellipsis():
    """A single line over the limit is cut at a character boundary and ends with "…"."""
    line = "团" * 2000  # 6,000 bytes
    (part,) = chunks.split_lines(line, 4096)
    assert part.endswith("…") and size(part) <= 4096
    assert set(part[:-1]) == {"团"} and size(part) > 4096 - 6


@pytest.mark.parametrize("limit", [10, 11, 12, 13])
def test_cut_never_splits_a_character(limit):
    """Whatever the limit, the cut text decodes and fits."""
    cut = chunks.cut("共青团员报到", limit)
    assert size(cut) <= limit and cut.endswith("…")
    cut.encode("utf-8").decode("utf-8")


def test_text_that_fits_is_one_part_unchanged():
    assert chunks.split_lines("a\n\nb\n", 4096) == ["a\n\nb"]


def test_titled_parts_number_the_parts_and_keep_the_limit():
    """Each part opens with the title as a heading, numbered when there are several."""
    parts = robot.titled_parts("报到进度 计算机学院", "\n".join(chinese_lines(200)), 4096)
    assert all(size(p) <= 4096 for p in parts)
    assert parts[0].startswith(f"### 报到进度 计算机学院 (1/{len(parts)})\n\n")
    assert parts[-1].startswith(f"### 报到进度 计算机学院 ({len(parts)}/{len(parts)})")
    (single,) = robot.titled_parts("短", "一行", 4096)
    assert single == "### 短\n\n一行"


def test_markdown_to_html_escapes_and_renders():
    """Headings, bold, lists, quotes and links are rendered; anything else is escaped."""
    html = markup.markdown_to_html(
        "## 标题\n**3** 个支部 <script>x</script>\n\n- 一\n- [看看](https://example.org/p?a=1&b=2)"
        '\n\n> 引用 <font color="warning">注意</font>')
    assert "<h2>标题</h2>" in html
    assert "<p><strong>3</strong> 个支部 &lt;script&gt;x&lt;/script&gt;</p>" in html
    assert '<li><a href="https://example.org/p?a=1&amp;b=2">看看</a></li>' in html
    assert '<blockquote>引用 <span style="color:#e65100">注意</span></blockquote>' in html
    assert "<script>" not in html


def test_a_link_that_is_not_http_stays_text():
    assert "href" not in markup.markdown_to_html("[x](javascript:alert(1))")


def test_markdown_to_text_drops_the_markup():
    text = markup.markdown_to_text('### 标题\n> **3** 个 <font color="info">支部</font>\n'
                                   "- [进展](https://example.org/progress)")
    assert text == "标题\n3 个 支部\n- 进展 (https://example.org/progress)\n"
