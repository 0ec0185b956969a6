"""One delivery run in a process of its own, for the crash tests (test_crash.py):

    python -m tests.notify.crash_runner OUTBOX CHANNELS_JSON SECRETS_TOML [resend|hold]

With KILL_AT_STEP=N and KILL_WHEN=before|after in the environment, the process kills itself
(SIGKILL, as `kill -9` would) at the Nth request the server accepted: before the outbox records
it (the ambiguous moment) or just after (between requests).
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

from notify import Outbox, deliver, load_secrets, parse_channels


def _kill_at(n: int, when: str) -> None:
    original = Outbox.step_done
    calls = [0]

    def step_done(self, message_id):
        calls[0] += 1
        if calls[0] == n and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        original(self, message_id)
        if calls[0] == n and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)

    Outbox.step_done = step_done


def main() -> int:
    outbox, channels, secrets = sys.argv[1:4]
    uncertain = sys.argv[4] if len(sys.argv) > 4 else "resend"
    if os.environ.get("KILL_AT_STEP"):
        _kill_at(int(os.environ["KILL_AT_STEP"]), os.environ.get("KILL_WHEN", "after"))
    report = deliver(Outbox(Path(outbox)), parse_channels(json.loads(Path(channels).read_text())),
                     load_secrets(Path(secrets), environ={}), uncertain=uncertain)
    print(json.dumps({"sent": report.sent, "failed": report.failed,
                      "recovered": report.recovered}))
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
