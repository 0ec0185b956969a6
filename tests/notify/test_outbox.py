"""The outbox: written before sending, an id taken once across runs, owner-only, no secret in its
bytes or in the log, a run at a time, and the state left by a dead run settled."""

import logging
import os
import stat

import pytest

from notify import Message, Outbox, deliver, parse_channels

from tests.notify.conftest import T0, secrets_of

KEY = "693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa"
HOOK_URL_TOKEN = "tok-abcdef0123456789"


def wecom(robot):
    return parse_channels({"g": {"kind": "wecom", "url": robot.url + "/cgi-bin/webhook/send"}})


def test_a_message_id_is_taken_once_across_runs(robot, outbox, clock, limiter):
    """Enqueued again in a later run (a new Outbox on the same file), whether sent, pending or
    failed: nothing is added and nothing is sent again."""
    msg = Message("sub1-load7-part1", "g", "t", "x")
    assert outbox.enqueue(msg, now=T0) is True
    assert outbox.enqueue(msg, now=T0) is False
    secrets = secrets_of(g={"key": KEY})
    assert deliver(outbox, wecom(robot), secrets, now=T0, limiter=limiter).sent == [msg.message_id]
    later = Outbox(outbox.path)
    assert later.enqueue(msg, now=T0) is False
    assert deliver(later, wecom(robot), secrets, now=T0, limiter=limiter).sent == []
    assert len(robot.requests) == 1 and later.counts()["sent"] == 1


def test_the_files_are_owner_only(outbox):
    with outbox.lock():
        pass
    for path in (outbox.path, outbox.path.with_name("notify.sqlite.lock")):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_the_message_is_in_the_outbox_before_anything_is_sent(robot, outbox, limiter):
    """While the server handles the request, the outbox already holds the message, claimed."""
    seen = []

    def respond(req):
        seen.append([(s.status, s.steps_done) for s in Outbox(outbox.path).messages()])
        return 200, {"errcode": 0, "errmsg": "ok"}
    robot.respond = respond
    outbox.enqueue(Message("m1", "g", "t", "x"), now=T0)
    deliver(outbox, wecom(robot), secrets_of(g={"key": KEY}), now=T0, limiter=limiter)
    assert seen == [[("sending", 0)]]
    assert [(s.status, s.steps_done, s.steps_total) for s in outbox.messages()] == [("sent", 1, 1)]


def test_no_secret_in_the_outbox_file_or_the_log(robot, outbox, limiter, caplog, tmp_path):
    """A server that echoes the robot's key and the URL in its error: the outbox keeps the
    answer with the key masked, and no log line holds it either."""
    def respond(req):
        if req.path == "/hooks":
            return 500, f"bad token {HOOK_URL_TOKEN} for {robot.url}{req.path}".encode()
        return 200, {"errcode": 93000, "errmsg": f"invalid webhook url {robot.url}/send?key={KEY}"}
    robot.respond = respond
    hook_url = f"{robot.url}/hooks?token={HOOK_URL_TOKEN}"
    settings = {**wecom(robot), **parse_channels({"w": {"kind": "webhook"}})}
    secrets = secrets_of(g={"key": KEY}, w={"url": hook_url})
    outbox.enqueue(Message("m1", "g", "t", "x"), now=T0)
    outbox.enqueue(Message("m2", "w", "t", "x"), now=T0)
    with caplog.at_level(logging.DEBUG):
        report = deliver(outbox, settings, secrets, now=T0, limiter=limiter)
    assert report.retrying == ["m1", "m2"]
    answers = {s.message_id: s.last_answer for s in outbox.messages()}
    assert "693****aa" in answers["m1"] and KEY not in answers["m1"]
    assert answers["m2"].startswith("HTTP 500: bad token tok****89")
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("notify.sqlite*") if p.is_file())
    for secret in (KEY, HOOK_URL_TOKEN):
        assert secret.encode() not in stored
        assert secret not in caplog.text
    assert "m1" in caplog.text  # the log does say what happened


def test_one_run_at_a_time(robot, outbox, limiter):
    """While a run holds the outbox, another sends nothing and says it was busy."""
    outbox.enqueue(Message("m1", "g", "t", "x"), now=T0)
    with outbox.lock():
        report = deliver(Outbox(outbox.path), wecom(robot), secrets_of(g={"key": KEY}), now=T0,
                         limiter=limiter)
    assert report.busy and report.sent == [] and robot.requests == []
    assert deliver(outbox, wecom(robot), secrets_of(g={"key": KEY}), now=T0,
                   limiter=limiter).sent == ["m1"]


def test_status_lists_counts_and_answers(robot, outbox, limiter):
    robot.respond = lambda req: (200, {"errcode": 0 if b"ok" in req.body else 45009,
                                       "errmsg": "x"})
    outbox.enqueue(Message("a", "g", "t", "ok"), now=T0)
    outbox.enqueue(Message("b", "w", "t", "x"), now=T0)
    outbox.enqueue(Message("c", "g", "t", "no"), now=T0)
    deliver(outbox, wecom(robot), secrets_of(g={"key": KEY}), now=T0, limiter=limiter)
    assert outbox.counts() == {"pending": 1, "sending": 0, "sent": 1, "failed": 1}
    by_id = {s.message_id: s for s in outbox.messages()}
    assert by_id["a"].status == "sent" and by_id["a"].sent_at
    assert by_id["b"].status == "failed" and "w" in by_id["b"].last_answer
    assert by_id["c"].status == "pending" and by_id["c"].next_attempt_at > by_id["c"].created_at
    assert [s.message_id for s in outbox.messages("failed")] == ["b"]


def _interrupt(outbox, message, steps_done, in_flight, plan_len=3):
    """Leave a message as a killed run would: claimed, `steps_done` requests accepted, and
    maybe one in flight."""
    outbox.enqueue(message, now=T0)
    outbox.claim(message.message_id, T0, [{"kind": "markdown", "body": {"content": f"p{i}"}}
                                          for i in range(plan_len)])
    for _ in range(steps_done):
        outbox.step_started(message.message_id, T0)
        outbox.step_done(message.message_id)
    if in_flight:
        outbox.step_started(message.message_id, T0)


@pytest.mark.parametrize("in_flight, sent_again", [(False, ["p2"]), (True, ["p1", "p2"])])
def test_a_dead_runs_message_resumes_where_it_stopped(robot, outbox, limiter, in_flight,
                                                      sent_again):
    """Between requests: only the rest is sent. During a request (uncertain): that request is
    sent again, then the rest (the default, "resend")."""
    _interrupt(outbox, Message("m1", "g", "t", "x"), 1 + (not in_flight), in_flight)
    report = deliver(outbox, wecom(robot), secrets_of(g={"key": KEY}), now=T0, limiter=limiter)
    assert report.recovered == ["m1"] and report.sent == ["m1"]
    assert [r.json()["markdown"]["content"] for r in robot.requests] == sent_again
    assert outbox.attempts("m1")[0]["outcome"] == "interrupted"


def test_hold_fails_an_uncertain_message_until_someone_decides(robot, outbox, limiter):
    """uncertain="hold": failed, marked uncertain, nothing sent; retry(skip_uncertain=True) goes
    on after the uncertain request."""
    _interrupt(outbox, Message("m1", "g", "t", "x"), 1, True)
    secrets = secrets_of(g={"key": KEY})
    report = deliver(outbox, wecom(robot), secrets, now=T0, limiter=limiter, uncertain="hold")
    assert report.failed == ["m1"] and robot.requests == []
    (state,) = outbox.messages()
    assert state.uncertain and "may have accepted" in state.last_answer
    assert outbox.retry(["m1"], now=T0, skip_uncertain=True) == 1
    assert deliver(outbox, wecom(robot), secrets, now=T0, limiter=limiter).sent == ["m1"]
    assert [r.json()["markdown"]["content"] for r in robot.requests] == ["p2"]


def test_a_message_whose_requests_were_all_accepted_is_marked_sent(robot, outbox, limiter):
    _interrupt(outbox, Message("m1", "g", "t", "x"), 3, False)
    report = deliver(outbox, wecom(robot), secrets_of(g={"key": KEY}), now=T0, limiter=limiter)
    assert report.sent == ["m1"] and robot.requests == []
