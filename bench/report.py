"""The benchmark's Markdown table, and putting it into README.md between its markers."""

from __future__ import annotations

import re
from pathlib import Path

START, END = "<!-- bench:start -->", "<!-- bench:end -->"

# (result key, column title, target shown beside the figure)
COLUMNS = (
    ("members", "Members", ""),
    ("files", "Files (layout)", ""),
    ("generate", "Generate", ""),
    ("load", "Load `zhtj etl`", "≤ 15 min at 10M"),
    ("load_peak", "Load peak RSS", "≤ 8 GB"),
    ("floor", "DuckDB read floor", ""),
    ("floor_ratio", "Load ÷ floor", "≤ 3× (bulk)"),
    ("db_size", "DB size", ""),
    ("metrics_root", "Metrics, root (warm)", "≤ 50 ms"),
    ("metrics_mid", "Metrics, mid-level (warm)", "≤ 50 ms"),
    ("metrics_cmd", "`zhtj metrics` command", "< 2 s"),
    ("pandas_load", "pandas: read + validate", ""),
    ("pandas_peak", "pandas peak RSS", ""),
    ("pandas_metrics", "pandas: metrics call", ""),
    ("ratio_load", "Load pandas/ours", ""),
    ("ratio_metrics", "Metrics pandas/ours", ""),
    ("same_answer", "Same figures", ""),
)


def seconds(s: float | None) -> str:
    if s is None:
        return "–"
    if s < 1:
        return f"{s * 1000:.1f} ms"
    if s < 120:
        return f"{s:.1f} s"
    return f"{int(s // 60)} min {int(s % 60):02d} s"


def size(n: int | None) -> str:
    if n is None:
        return "–"
    if n >= 1 << 30:
        return f"{n / (1 << 30):.2f} GB"
    return f"{n / (1 << 20):.0f} MB"


def ratio(a: float | None, b: float | None) -> str:
    return "–" if not a or not b else f"{a / b:,.1f}×"


def render(rows: list[dict[str, str]], notes: list[str]) -> str:
    """Rows of already formatted cells (missing keys show a dash), the targets, then notes."""
    lines = ["| " + " | ".join(title for _, title, _ in COLUMNS) + " |",
             "|" + "|".join("---" for _ in COLUMNS) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(row.get(key, "–") for key, _, _ in COLUMNS) + " |")
    lines.append("| " + " | ".join(f"*target {t}*" if t else ("*target*" if i == 0 else "")
                                   for i, (_, _, t) in enumerate(COLUMNS)) + " |")
    return "\n".join(lines + [""] + [f"- {n}" for n in notes]) + "\n"


def replace_readme_section(readme: Path, table: str) -> None:
    """Replace what sits between the bench markers of README.md with the table."""
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"{readme} has no {START} … {END} section")
    readme.write_text(pattern.sub(lambda _: f"{START}\n{table.rstrip()}\n{END}", text),
                      encoding="utf-8")
