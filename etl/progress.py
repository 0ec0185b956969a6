"""Progress bars (rich) for the command line; silent when asked or when output is not a terminal."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                           TimeElapsedColumn)

console = Console(stderr=True)


def make_progress(quiet: bool = False) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console, disable=quiet, transient=False,
    )


@contextlib.contextmanager
def step_progress(quiet: bool = False) -> Iterator[Callable[[str, int, int], None]]:
    """A callback progress(step, done, total) that keeps one bar per step name."""
    with make_progress(quiet) as progress:
        tasks: dict[str, int] = {}

        def update(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(step, total=total)
            progress.update(tasks[step], completed=done, total=total)

        yield update
