"""A `zhtj etl` killed while it builds: started in a process of its own and sent SIGKILL once its
new database file (beside the published one) has appeared."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path


def kill_load_midway(db: Path, args: list[str], *, after: float) -> None:
    """Run `zhtj etl ARGS --db DB`, kill it `after` seconds past the start of its build."""
    proc = subprocess.Popen([sys.executable, "-m", "etl.cli", "etl", *args, "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(db.parent.glob(f"{db.name}.tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(after)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
