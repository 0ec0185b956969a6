"""A delivery process killed (SIGKILL) in the middle: the next run sends what was not sent and
nothing twice (the one documented exception: a request the server accepted just before the kill,
with uncertain="resend")."""

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from notify import Message, Outbox

from tests.notify.conftest import RobotServer

ROOT = Path(__file__).resolve().parents[2]
KEY = "693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa"


class Recorder:
    """A WeCom robot that counts what it accepted, and can hang on the Nth request."""

    def __init__(self, hang_on: int | None = None):
        self.accepted: list[str] = []
        self.hang_on = hang_on
        self.hanging = threading.Event()
        self.release = threading.Event()
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, req):
        with self.lock:
            self.count += 1
            n = self.count
        if n == self.hang_on:
            self.hanging.set()
            self.release.wait(10)
            return None  # hang up without an answer: not accepted
        body = req.json()
        self.accepted.append((body.get("markdown") or body.get("text"))["content"])
        return 200, {"errcode": 0, "errmsg": "ok"}


@pytest.fixture
def setup(tmp_path):
    made = []

    def make(recorder, messages):
        server = RobotServer(respond=recorder).start()
        made.append(server)
        channels = tmp_path / "channels.json"
        channels.write_text(json.dumps({"g": {"kind": "wecom",
                                              "url": server.url + "/cgi-bin/webhook/send"}}))
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(f'[channels.g]\nkey = "{KEY}"\n')
        os.chmod(secrets, 0o600)
        outbox = Outbox(tmp_path / "notify.sqlite")
        for m in messages:
            outbox.enqueue(m)
        return outbox, [str(outbox.path), str(channels), str(secrets)]

    yield make
    for server in made:
        server.stop()


def start(args, uncertain="resend", **env):
    return subprocess.Popen([sys.executable, "-m", "tests.notify.crash_runner", *args, uncertain],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(args, uncertain="resend"):
    proc = start(args, uncertain)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode in (0, 1), err
    return json.loads(out)


def messages(n):
    return [Message(f"m{i}", "g", f"第{i}条", f"内容{i}") for i in range(1, n + 1)]


def contents(n):
    return [f"### 第{i}条\n\n内容{i}" for i in range(1, n + 1)]


def test_killed_during_a_request_the_next_run_sends_the_rest_once(setup):
    """kill -9 while the 4th request waits for its answer (never given): the next run sends
    the 4th again and the rest; the robot accepted each message exactly once, in order."""
    robot = Recorder(hang_on=4)
    outbox, args = setup(robot, messages(6))
    proc = start(args)
    assert robot.hanging.wait(30), proc.communicate()
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    robot.release.set()
    assert proc.returncode == -signal.SIGKILL
    assert [s.status for s in reversed(outbox.messages())] == ["sent"] * 3 + ["sending", "pending",
                                                                              "pending"]
    report = finish(args)
    assert report["recovered"] == ["m4"] and report["sent"] == ["m4", "m5", "m6"]
    assert robot.accepted == contents(6)
    assert outbox.counts()["sent"] == 6


def test_killed_between_messages_nothing_is_sent_twice(setup):
    """kill -9 right after the robot's acceptance of the 3rd message was recorded (before the
    message was closed as sent): the next run closes it without a request and sends 4 to 6."""
    robot = Recorder()
    outbox, args = setup(robot, messages(6))
    proc = start(args, KILL_AT_STEP="3", KILL_WHEN="after")
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert robot.accepted == contents(3)
    report = finish(args)
    assert report["recovered"] == ["m3"] and report["sent"] == ["m3", "m4", "m5", "m6"]
    assert robot.accepted == contents(6)


def test_killed_between_the_parts_of_one_message(setup):
    """A message of several requests (markdown parts and the @-mention), killed after its first
    part: the next run sends the other parts only."""
    robot = Recorder()
    long = "\n".join(f"- 第{i}团支部：未报到 {i} 人，请尽快完成审核" for i in range(400))
    outbox, args = setup(robot, [Message("m1", "g", "进度", long, mentions=("13800001111",))])
    proc = start(args, KILL_AT_STEP="1", KILL_WHEN="after")
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL and len(robot.accepted) == 1
    (state,) = outbox.messages()
    assert (state.status, state.steps_done) == ("sending", 1) and state.steps_total >= 4
    assert finish(args)["sent"] == ["m1"]
    assert len(robot.accepted) == state.steps_total == len(set(robot.accepted))
    assert robot.accepted[-1].startswith("进度：请相关同志")


def test_killed_after_the_server_accepted_but_before_the_mark_resend(setup):
    """The ambiguous moment, policy "resend": that one request, and only it, arrives twice."""
    robot = Recorder()
    outbox, args = setup(robot, messages(6))
    proc = start(args, KILL_AT_STEP="3", KILL_WHEN="before")
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert finish(args)["sent"] == ["m3", "m4", "m5", "m6"]
    expected = contents(6)
    assert robot.accepted == expected[:3] + expected[2:]


def test_killed_after_the_server_accepted_but_before_the_mark_hold(setup):
    """Policy "hold": nothing twice; the uncertain message is failed and shown as uncertain, the
    others go on; someone who saw it arrive retries with skip_uncertain and nothing is resent."""
    robot = Recorder()
    outbox, args = setup(robot, messages(6))
    proc = start(args, "hold", KILL_AT_STEP="3", KILL_WHEN="before")
    proc.communicate(timeout=60)
    report = finish(args, "hold")
    assert report["failed"] == ["m3"] and report["sent"] == ["m4", "m5", "m6"]
    assert robot.accepted == contents(6)
    (held,) = outbox.messages("failed")
    assert held.uncertain and held.message_id == "m3"
    assert outbox.retry(["m3"], skip_uncertain=True) == 1
    assert finish(args, "hold")["sent"] == ["m3"]
    assert robot.accepted == contents(6) and outbox.counts()["sent"] == 6
