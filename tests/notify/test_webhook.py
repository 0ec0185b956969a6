"""The generic JSON webhook, and the outbox's retries: 500s and timeouts with backoff, failed
after N attempts with the last answer kept, retried on demand."""

import datetime as dt

from notify import BACKOFF, Message, deliver, parse_channels

from tests.notify.conftest import T0, secrets_of

TOKEN = "wh-token-0123456789abcdef"


def channels(robot, timeout=5):
    return parse_channels({"w": {"kind": "webhook", "url": robot.url + "/hooks/zhtj",
                                 "timeout": timeout}})


def test_the_message_is_posted_as_json(robot, outbox, tmp_path):
    """The message's fields as JSON, its id as Idempotency-Key, the token as a bearer."""
    msg = Message("m1", "w", "报到进度", "**3** 个支部", mentions=("13800001111",),
                  attachments=[("pack.pdf", tmp_path / "pack.pdf")], extra={"open": 3})
    outbox.enqueue(msg, now=T0)
    report = deliver(outbox, channels(robot), secrets_of(w={"token": TOKEN}), now=T0)
    assert report.sent == ["m1"]
    (req,) = robot.requests
    assert req.headers["Idempotency-Key"] == "m1"
    assert req.headers["Authorization"] == f"Bearer {TOKEN}"
    assert req.json() == {"message_id": "m1", "channel": "w", "title": "报到进度", "language": "zh",
                          "markdown": "**3** 个支部", "text": "3 个支部\n",
                          "mentioned_mobiles": ["13800001111"],
                          "attachments": [{"name": "pack.pdf"}], "extra": {"open": 3}}
    assert outbox.messages()[0].last_answer.startswith("HTTP 200")


def test_500s_are_retried_with_backoff_then_failed_with_the_last_answer(robot, outbox):
    """Each 500 schedules the next attempt 1, 5, 30 min, 2 h… later; after max_attempts the
    message is failed and shown with the server's last answer; retry() sends it again."""
    robot.respond = lambda req: (500, b"upstream exploded")
    outbox.enqueue(Message("m1", "w", "t", "x"), now=T0)
    now, waits = T0, []
    for attempt in range(1, 5):
        report = deliver(outbox, channels(robot), secrets_of(), now=now, max_attempts=4)
        (state,) = outbox.messages()
        if attempt < 4:
            assert report.retrying == ["m1"] and report.exit_code == 1
            next_at = dt.datetime.fromisoformat(state.next_attempt_at)
            waits.append(next_at - now)
            assert deliver(outbox, channels(robot), secrets_of(),
                           now=next_at - dt.timedelta(seconds=1)).sent == []  # not yet due
            now = next_at
        else:
            assert report.failed == ["m1"]
    assert [round(w.total_seconds() / 60) for w in waits] == [1, 5, 30]
    assert all(w >= b for w, b in zip(waits, BACKOFF))
    assert len(robot.requests) == 4
    assert outbox.counts() == {"pending": 0, "sending": 0, "sent": 0, "failed": 1}
    (failed,) = outbox.messages("failed")
    assert failed.attempts == 4 and failed.last_answer == "HTTP 500: upstream exploded"
    assert [a["outcome"] for a in outbox.attempts("m1")] == ["retry"] * 3 + ["failed"]
    # later runs leave it alone, until someone asks
    assert deliver(outbox, channels(robot), secrets_of(), now=now + dt.timedelta(days=2)).ok
    robot.respond = None
    assert outbox.retry(now=now) == 1
    assert deliver(outbox, channels(robot), secrets_of(), now=now).sent == ["m1"]


def test_a_timeout_is_retried(robot, outbox):
    """A server that does not answer within the channel's timeout: retried with backoff."""
    import time

    def slow(req):
        time.sleep(1.0)
        return 200, {}
    robot.respond = slow
    outbox.enqueue(Message("m1", "w", "t", "x"), now=T0)
    report = deliver(outbox, channels(robot, timeout=0.2), secrets_of(), now=T0)
    assert report.retrying == ["m1"]
    assert "timeout" in outbox.messages()[0].last_answer


def test_connection_refused_is_retried(robot, outbox):
    settings = channels(robot)
    robot.stop()
    outbox.enqueue(Message("m1", "w", "t", "x"), now=T0)
    assert deliver(outbox, settings, secrets_of(), now=T0).retrying == ["m1"]
    assert outbox.messages()[0].last_answer == "connection refused"


def test_a_4xx_answer_fails_at_once(robot, outbox):
    """404 (say, the hook was removed) will not get better by itself: failed after one attempt."""
    robot.respond = lambda req: (404, b"no such hook")
    outbox.enqueue(Message("m1", "w", "t", "x"), now=T0)
    assert deliver(outbox, channels(robot), secrets_of(), now=T0).failed == ["m1"]
    assert outbox.messages()[0].attempts == 1


def test_a_failing_channel_does_not_hold_up_another(robot, outbox):
    """Channel w is down; channel v still gets its message in the same run; w's second message
    waits behind its first (order kept), and the run's exit code says something failed."""
    from tests.notify.conftest import RobotServer
    other = RobotServer().start()
    try:
        robot.respond = lambda req: (503, b"busy")
        settings = {**channels(robot), **parse_channels(
            {"v": {"kind": "webhook", "url": other.url + "/hook"}})}
        for mid, ch in [("w1", "w"), ("v1", "v"), ("w2", "w")]:
            outbox.enqueue(Message(mid, ch, "t", "x"), now=T0)
        report = deliver(outbox, settings, secrets_of(), now=T0)
        assert (report.retrying, report.sent, report.deferred) == (["w1"], ["v1"], ["w2"])
        assert report.exit_code == 1 and len(robot.requests) == 1
    finally:
        other.stop()


def test_an_unknown_channel_fails_visibly(outbox):
    outbox.enqueue(Message("m1", "gone", "t", "x"), now=T0)
    assert deliver(outbox, {}, secrets_of(), now=T0).failed == ["m1"]
    assert "gone" in outbox.messages()[0].last_answer
