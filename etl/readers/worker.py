"""What the extraction's worker processes run. Kept apart from etl.extract so that a worker
starts by importing the readers only (not DuckDB, Arrow and the load's modules)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

from etl.readers.parts import Part


def watch_parent(parent: int) -> None:
    """Workers end with the load: a killed parent would otherwise leave them waiting forever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def read_many(read: Callable[[str], list[Part]], names: list[str]) -> list[list[Part]]:
    """Several small files in one message (a message per file costs more than reading one)."""
    return [read(n) for n in names]
